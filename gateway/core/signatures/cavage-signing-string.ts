/**
 * The draft-cavage-12 §2.3 signing string as Nextcloud 31+ builds it: for each name in `headers`,
 * `name: value`, joined by LF; `(request-target)` is the lower-case method, a space and the path
 * with its query (`post /index.php/ocm/shares`).
 */
import { readHeader, type SignableRequest } from './signable-request.ts';

export type SigningStringResult =
  { readonly ok: true; readonly text: string } | { readonly ok: false; readonly message: string };

export function cavageSigningString(
  request: SignableRequest,
  headerNames: readonly string[],
  params: { created?: number | undefined; expires?: number | undefined } = {},
): SigningStringResult {
  let uri: URL;
  try {
    uri = new URL(request.targetUri);
  } catch {
    return { ok: false, message: 'the target URI is not an absolute URI' };
  }
  const lines: string[] = [];
  for (const raw of headerNames) {
    const name = raw.toLowerCase();
    let value: string | number | undefined;
    if (name === '(request-target)') {
      value = `${request.method.toLowerCase()} ${uri.pathname}${uri.search}`;
    } else if (name === '(created)') value = params.created;
    else if (name === '(expires)') value = params.expires;
    else value = readHeader(request.headers, name);
    if (value === undefined) return { ok: false, message: `signed header "${name}" is absent` };
    lines.push(`${name}: ${String(value)}`);
  }
  return { ok: true, text: lines.join('\n') };
}
