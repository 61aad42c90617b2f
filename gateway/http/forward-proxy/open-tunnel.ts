/**
 * A raw TCP pipe for CONNECT (RFC 9110 §9.3.6) to an address the tunnel guard already checked:
 * connect first, answer 200 only once the far side is there, then copy bytes both ways.
 */
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { ResolvedAddress } from '../../../adapters/peer-http/peer-http-types.ts';
import { writeConnectRefusal } from './connect-reply.ts';

export interface TunnelOptions {
  readonly client: Duplex;
  /** Bytes the client sent after the CONNECT head (usually none). */
  readonly head: Buffer;
  readonly addresses: readonly ResolvedAddress[];
  readonly port: number;
  readonly connectTimeoutMs: number;
}

/** Resolves once the tunnel is open (true) or refused with 502/504 (false). */
export function openTunnel(options: TunnelOptions): Promise<boolean> {
  const { client, head, port } = options;
  const first = options.addresses[0];
  return new Promise((resolve) => {
    if (first === undefined) {
      writeConnectRefusal(client, 502, 'no address to connect to');
      resolve(false);
      return;
    }
    const upstream: Socket = connect({ host: first.address, port, family: first.family });
    let settled = false;
    const refuse = (status: number, message: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      upstream.destroy();
      writeConnectRefusal(client, status, message);
      resolve(false);
    };
    const timer = setTimeout(() => {
      refuse(504, 'the target did not accept the connection in time');
    }, options.connectTimeoutMs);
    upstream.once('error', () => {
      refuse(502, 'the target could not be reached');
    });
    client.once('close', () => {
      refuse(502, 'the client left');
    });
    upstream.once('connect', () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      upstream.once('error', () => client.destroy());
      upstream.once('close', () => client.destroy());
      client.once('error', () => upstream.destroy());
      client.once('close', () => upstream.destroy());
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
      resolve(true);
    });
  });
}
