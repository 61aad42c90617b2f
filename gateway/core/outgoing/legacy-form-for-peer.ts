/**
 * Flow 4 toward a LEGACY peer (issue 9 item 4): the backend's createShare form goes on unchanged
 * except for the fields that could name internal servers — `remote`, `ownerFederatedId`,
 * `sharedByFederatedId` — which are put on the gateway's public URL (legacy-protocols §1.3).
 */
import {
  addressForPeer,
  classifyAddress,
  publicRemote,
  type AddressContext,
} from './outgoing-address.ts';

const CLOUD_ID_FIELDS = ['ownerFederatedId', 'sharedByFederatedId'];

/** The rewritten form body (URL-encoded), fields in their original order. */
export function legacyFormForPeer(body: string, ctx: AddressContext): string {
  const form = new URLSearchParams(body);
  const out = new URLSearchParams();
  for (const [key, value] of form) out.append(key, rewriteField(key, value, ctx));
  return out.toString();
}

function rewriteField(key: string, value: string, ctx: AddressContext): string {
  if (key === 'remote') {
    const owner = classifyAddress(`u@${value}`, ctx);
    return owner?.kind === 'local' ? (publicRemote(ctx.publicUrl) ?? value) : value;
  }
  if (CLOUD_ID_FIELDS.includes(key) && value.includes('@')) {
    return addressForPeer(value, ctx, 'legacy') ?? value;
  }
  return value;
}
