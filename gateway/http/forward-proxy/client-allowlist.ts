/** Who may use the forward proxy: the backend's addresses only, so it is never an open proxy. */
import { GatewayError } from '../../core/errors/gateway-error.ts';
import {
  anyNetworkContains,
  parseCidrList,
  parseIpAddress,
  type IpNetwork,
} from '../../core/network/index.ts';

export class ClientAllowlist {
  readonly #networks: readonly IpNetwork[];

  /** Throws a GatewayError naming every bad entry (`forwardProxy.allowedClients.<i>`). */
  constructor(cidrs: readonly string[]) {
    const parsed = parseCidrList(cidrs, 'forwardProxy.allowedClients');
    if (parsed.issues.length > 0) {
      const list = parsed.issues.map((i) => `${i.field}: ${i.message}`).join('; ');
      throw new GatewayError('INVALID_REQUEST', `forward proxy: ${list}`, {
        issues: parsed.issues,
      });
    }
    this.#networks = parsed.networks;
  }

  /** A socket without an address (already gone) is never allowed. */
  allows(remoteAddress: string | undefined): boolean {
    if (remoteAddress === undefined) return false;
    const address = parseIpAddress(remoteAddress);
    return address !== undefined && anyNetworkContains(this.#networks, address);
  }
}
