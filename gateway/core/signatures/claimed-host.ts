/**
 * Host binding (I-D-05 Appendix B "Validating the Payload"): a valid signature only proves which
 * server signed; the body must also claim to come from that server.
 *
 * Why not always `sender`: the spec's verification steps say "take the domain from the body's
 * `sender` field", but `/notifications`, `/invite-accepted` and `/token` bodies have no `sender`
 * (ocm-versions §13 item 9). The spec is silent there, so we bind to what each body does carry:
 * `recipientProvider` (invite-accepted) and `client_id` (token). A notification carries nothing
 * about its origin, so its claimed host is the signer's own (`from: 'keyid'`): the binding then
 * holds trivially and the caller MUST instead check that the share the notification names was
 * exchanged with that host (ledger lookup).
 */
import { parseCloudId, parseServerLocation, formatServerBase } from '../address/index.ts';
import { hostOfKeyId } from './key-id-host.ts';
import {
  verificationFailure,
  type VerificationResult,
  type VerifiedSignature,
} from './verification-result.ts';

export type SignedBodyKind = 'share' | 'notification' | 'invite-accepted' | 'token';

export interface ClaimedHost {
  /** Lower-case host[:port], default port dropped. */
  readonly host: string;
  readonly from: 'sender' | 'owner' | 'recipientProvider' | 'client_id' | 'keyid';
}

/** The host the body claims to come from; undefined when the body names none usable. */
export function claimedHostFor(
  kind: SignedBodyKind,
  body: unknown,
  keyId: string | undefined,
): ClaimedHost | undefined {
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  switch (kind) {
    case 'share':
      // For a reshare the owner lives on a third server: the sender is who must have signed.
      return (
        fromAddress(record.sender, 'sender') ??
        (record.sender === undefined ? fromAddress(record.owner, 'owner') : undefined)
      );
    case 'invite-accepted':
      return fromServer(record.recipientProvider, 'recipientProvider');
    case 'token':
      return fromServer(record.client_id, 'client_id');
    case 'notification': {
      const host = keyId === undefined ? undefined : hostOfKeyId(keyId);
      return host === undefined ? undefined : { host, from: 'keyid' };
    }
  }
}

/** The verified signature when its host is the claimed one, else a `host-mismatch` failure. */
export function checkHostBinding(
  verified: VerifiedSignature,
  claimed: ClaimedHost | undefined,
): VerificationResult {
  const context = { scheme: verified.scheme, keyId: verified.keyId };
  if (claimed === undefined) {
    return verificationFailure('host-mismatch', 'the body names no sending server', context);
  }
  if (claimed.host !== verified.signerHost) {
    return verificationFailure(
      'host-mismatch',
      `signed by ${verified.signerHost} but ${claimed.from} names ${claimed.host}`,
      context,
    );
  }
  return verified;
}

function fromAddress(value: unknown, from: 'sender' | 'owner'): ClaimedHost | undefined {
  const parsed = parseCloudId(value, from);
  return parsed.ok ? withHost(formatServerBase(parsed.value.server), from) : undefined;
}

function fromServer(
  value: unknown,
  from: 'recipientProvider' | 'client_id',
): ClaimedHost | undefined {
  if (typeof value !== 'string') return undefined;
  const parsed = parseServerLocation(value.trim(), from);
  return parsed.ok ? withHost(formatServerBase(parsed.value), from) : undefined;
}

function withHost(base: string, from: ClaimedHost['from']): ClaimedHost | undefined {
  try {
    return { host: new URL(base).host, from };
  } catch {
    return undefined;
  }
}
