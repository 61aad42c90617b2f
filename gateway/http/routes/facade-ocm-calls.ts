/**
 * The early-OCM calls a `1.0-proposal1` backend makes at the facade's endPoint
 * (legacy-protocols §3): `POST <endPoint>/shares` (flow 4) and `/notifications` (flow 2), in the
 * backend's own codec variant. Success is 201 — anything else makes the backend fall back to its
 * legacy call, so a share the peer took must answer 201 here and nowhere else.
 */
import type { Request, Response } from 'express';
import { codecFor } from '../../core/dialects/dialect-registry.ts';
import { GatewayError } from '../../core/errors/gateway-error.ts';
import type { Codec } from '../../core/model/codec.ts';
import { isOcmDialect } from '../../core/model/dialect-id.ts';
import { jsonBody, readFacadeBody } from './facade-body.ts';
import type { FacadeServices, FacadeTarget } from './facade-context.ts';

function backendCodec(services: FacadeServices): Codec {
  const profile = services.backendProfile.current();
  const dialect = isOcmDialect(profile.dialect) ? profile.dialect : 'ocm-proposal1';
  const codec = codecFor(dialect, profile.variant) ?? codecFor(dialect);
  if (codec === undefined) throw new GatewayError('INTERNAL', 'No codec for the backend.');
  return codec;
}

function unreadable(issues: readonly { field: string; message: string }[]): GatewayError {
  const first = issues[0];
  return new GatewayError(
    'INVALID_REQUEST',
    first === undefined ? 'The body could not be read.' : `${first.field} ${first.message}`,
    { issues },
  );
}

function send201(res: Response, wire: { ok: boolean; value?: unknown } | undefined): void {
  res.status(201).json(wire?.ok === true ? wire.value : {});
}

export async function serveOcmCall(
  services: FacadeServices,
  req: Request,
  res: Response,
  t: FacadeTarget,
  kind: 'ocm-shares' | 'ocm-notifications',
): Promise<void> {
  const codec = backendCodec(services);
  const body = jsonBody(await readFacadeBody(req, services.maxBodyBytes));
  if (kind === 'ocm-shares') {
    const parsed = codec.shareCreate?.parse(body);
    if (parsed === undefined || !parsed.ok) throw unreadable(parsed?.issues ?? []);
    const result = await services.sendShare({
      peerHost: t.peerHost,
      peer: t.peer,
      share: parsed.value,
    });
    if (result.kind !== 'ocm') {
      throw new GatewayError('NOT_IMPLEMENTED', 'The peer only speaks the legacy sharing API.');
    }
    send201(res, codec.shareCreated?.serialise(result.created));
    return;
  }
  const parsed = codec.notification?.parse(body);
  if (parsed === undefined || !parsed.ok) throw unreadable(parsed?.issues ?? []);
  const result = await services.relayCallback({
    peerHost: t.peerHost,
    peer: t.peer,
    notification: parsed.value,
  });
  // An unknown share: the backend falls back to its legacy call, which a legacy peer takes as is.
  if (result.kind === 'unrecorded') throw new GatewayError('NOT_FOUND', 'No such share.');
  send201(res, codec.notificationReply?.serialise(result.kind === 'queued' ? {} : result.reply));
}
