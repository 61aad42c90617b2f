/**
 * The token exchange request the gateway sends as a share's receiver (ocm-versions §8): pre-1.2
 * JSON `{grant_type: ocm_authorization_code, client_id, code}` or 1.2.2+/I-D-05 form-encoded
 * `authorization_code`, built and read with the dialect codecs; and which signature the peer
 * verifies (RFC 9421 where it publishes such keys or speaks the form flow, else draft-cavage).
 */
import { codecFor } from '../dialects/dialect-registry.ts';
import type { ValidationIssue } from '../errors/validation-issue.ts';
import type { CanonicalTokenResponse } from '../model/canonical-token.ts';
import type { JsonValue } from '../model/json-value.ts';
import type { ParseResult } from '../model/parse-result.ts';
import type { TokenExchangePlan } from './choose-share-access.ts';

export interface TokenRequestBody {
  readonly body: string;
  readonly contentType: 'application/json' | 'application/x-www-form-urlencoded';
}

/** The dialect whose token codec speaks each form. */
function dialectOf(form: TokenExchangePlan['form']): 'ocm-1.2' | 'ocm-1.3' {
  return form === 'json' ? 'ocm-1.2' : 'ocm-1.3';
}

export function buildTokenRequestBody(
  form: TokenExchangePlan['form'],
  clientId: string,
  code: string,
): ParseResult<TokenRequestBody> {
  const codec = codecFor(dialectOf(form))?.tokenRequest;
  if (codec === undefined) {
    return { ok: false, issues: [{ field: 'form', message: 'has no token codec' }] };
  }
  const grantType = form === 'json' ? 'ocm_authorization_code' : 'authorization_code';
  const wire = codec.serialise({ grantType, clientId, code });
  if (!wire.ok) return wire;
  const fields = wire.value;
  if (form === 'json') {
    return {
      ok: true,
      value: { body: JSON.stringify(fields), contentType: 'application/json' },
      warnings: wire.warnings,
    };
  }
  const params = new URLSearchParams();
  if (typeof fields === 'object' && fields !== null && !Array.isArray(fields)) {
    for (const [name, value] of Object.entries(fields)) {
      if (typeof value === 'string') params.set(name, value);
    }
  }
  return {
    ok: true,
    value: { body: params.toString(), contentType: 'application/x-www-form-urlencoded' },
    warnings: wire.warnings,
  };
}

export function parseTokenResponse(
  form: TokenExchangePlan['form'],
  json: JsonValue | undefined,
): ParseResult<CanonicalTokenResponse> {
  const codec = codecFor(dialectOf(form))?.tokenResponse;
  if (codec === undefined) {
    return { ok: false, issues: [{ field: 'form', message: 'has no token codec' }] };
  }
  if (json === undefined) return { ok: false, issues: [{ field: '', message: 'is not JSON' }] };
  return codec.parse(json, { mode: 'lenient' });
}

/** What the peer's discovery says about the keys it verifies with. */
export interface PeerSignatureHints {
  readonly hasRfc9421Keys: boolean;
  readonly hasCavageKey: boolean;
  readonly capabilities: readonly string[];
}

export function tokenSignatureScheme(
  form: TokenExchangePlan['form'],
  peer: PeerSignatureHints,
): 'rfc9421' | 'cavage' | 'unsigned' {
  if (peer.hasRfc9421Keys || peer.capabilities.includes('http-sig')) return 'rfc9421';
  if (peer.hasCavageKey) return 'cavage';
  // I-D-05 makes the form request signed; a pre-1.2 peer without keys cannot check one.
  return form === 'form' ? 'rfc9421' : 'unsigned';
}

export function describeIssues(issues: readonly ValidationIssue[]): string {
  return issues.map((i) => `${i.field === '' ? 'body' : i.field} ${i.message}`).join('; ');
}
