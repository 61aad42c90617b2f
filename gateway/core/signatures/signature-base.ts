/**
 * RFC 9421 §2.5 signature base: one line per covered component, `"name": value`, then the
 * `"@signature-params"` line last, lines joined by LF with no trailing LF.
 * Supports HTTP fields (§2.1) and the request-side derived components of §2.2 that take no
 * parameters; anything else is refused so a verifier never signs off on what it did not check.
 */
import { serializeSfString } from './structured-field.ts';
import { readHeader, type SignableRequest } from './signable-request.ts';

export type SignatureBaseResult =
  { readonly ok: true; readonly base: string } | { readonly ok: false; readonly message: string };

const FIELD_NAME = /^[a-z0-9!#$%&'*+.^_`|~-]+$/;

/**
 * @param components covered component names in signing order (`"@method"`, `"content-digest"`…)
 * @param signatureParams the serialised inner list with its parameters, `("@method" …);created=…`
 */
export function buildSignatureBase(
  request: SignableRequest,
  components: readonly string[],
  signatureParams: string,
): SignatureBaseResult {
  let uri: URL;
  try {
    uri = new URL(request.targetUri);
  } catch {
    return { ok: false, message: 'the target URI is not an absolute URI' };
  }
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const name of components) {
    if (seen.has(name)) return { ok: false, message: `component "${name}" is covered twice` };
    seen.add(name);
    const value = componentValue(request, uri, name);
    if (typeof value !== 'string') return { ok: false, message: value.message };
    if (/[\r\n]/.test(value)) return { ok: false, message: `component "${name}" spans lines` };
    lines.push(`${serializeSfString(name)}: ${value}`);
  }
  lines.push(`"@signature-params": ${signatureParams}`);
  return { ok: true, base: lines.join('\n') };
}

function componentValue(
  request: SignableRequest,
  uri: URL,
  name: string,
): string | { message: string } {
  switch (name) {
    case '@method':
      return request.method;
    case '@target-uri':
      return request.targetUri;
    case '@authority':
      // WHATWG URL already lower-cases the host and drops the scheme's default port (§2.2.3).
      return uri.host;
    case '@scheme':
      return uri.protocol.slice(0, -1).toLowerCase();
    case '@request-target':
      return `${uri.pathname}${uri.search}`;
    case '@path':
      return uri.pathname === '' ? '/' : uri.pathname;
    case '@query':
      return uri.search === '' ? '?' : uri.search;
    default:
      break;
  }
  if (name.startsWith('@')) return { message: `derived component "${name}" is not supported` };
  if (!FIELD_NAME.test(name))
    return { message: `component name "${name}" is not a lower-case field name` };
  const value = readHeader(request.headers, name);
  return value ?? { message: `covered header "${name}" is absent from the request` };
}
