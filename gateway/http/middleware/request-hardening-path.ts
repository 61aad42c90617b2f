/**
 * The path rules of the public listener (issue 6 item 5): one spelling of every path, decided
 * before any route or the pass-through sees it, so the gateway and the backend (Apache, nginx,
 * PHP routers) cannot disagree about which resource a request names.
 *
 * Refused: dot segments (`.`/`..`, also percent-encoded, with `;params`, or hidden under up to
 * three rounds of encoding), encoded slashes (`%2F`: nginx would decode them into separators,
 * Apache refuses them by default), backslashes and NUL in any form, malformed escapes, and bytes
 * that are not UTF-8 (overlong forms such as `%C0%AE` included).
 * Rewritten, both equivalences of RFC 3986 §6.2.2: escapes of unreserved characters are decoded
 * (`/oc%6D/shares` is `/ocm/shares`), runs of `/` become one (no file or route has an empty
 * segment, and a leading `//` reads as a host to URL parsers). The query is never touched.
 */

export type PathCheck =
  | { readonly ok: true; readonly target: string }
  | { readonly ok: false; readonly reason: PathRefusal; readonly message: string };

export type PathRefusal =
  | 'dot-segment'
  | 'encoded-slash'
  | 'backslash'
  | 'nul'
  | 'bad-escape'
  | 'bad-character'
  | 'not-utf8';

const ESCAPE = /%([0-9A-Fa-f]{2})/g;
const HAS_ESCAPE = /%[0-9A-Fa-f]{2}/;
// Visible ASCII only. Browsers send `[`, `]`, `|`, `^` unescaped, so RFC 3986 pchar is too strict.
const PATH_CHARS = /^[\x21-\x7e]*$/;
const UNRESERVED = /[A-Za-z0-9\-._~]/;
const BAD_ESCAPE = /%(?![0-9A-Fa-f]{2})/;
const utf8 = new TextDecoder('utf-8', { fatal: true });
const DECODING_ROUNDS = 3;

/** Checks and normalises an origin-form request target (`/path?query`). */
export function normaliseRequestTarget(target: string): PathCheck {
  const queryAt = target.indexOf('?');
  const path = queryAt < 0 ? target : target.slice(0, queryAt);
  const query = queryAt < 0 ? '' : target.slice(queryAt);
  if (path.includes('\\')) return refuse('backslash', 'the path contains a backslash');
  if (!PATH_CHARS.test(path)) {
    return refuse('bad-character', 'the path contains a control or non-ASCII character');
  }
  if (BAD_ESCAPE.test(path)) return refuse('bad-escape', 'the path has a malformed %-escape');
  const bytes = percentDecode(path);
  let decoded: string;
  try {
    decoded = utf8.decode(bytes);
  } catch {
    return refuse('not-utf8', 'the path does not decode to UTF-8');
  }
  if (/%2f/i.test(path)) return refuse('encoded-slash', 'the path contains an encoded "/"');
  const problem = checkDecoded(decoded);
  if (problem !== undefined) return problem;
  // Deeper rounds catch a backend (or a PHP app) that decodes twice; a bad escape there is data.
  let deeper = decoded;
  for (let round = 1; round < DECODING_ROUNDS && HAS_ESCAPE.test(deeper); round += 1) {
    deeper = tolerantDecode(deeper);
    const hidden = checkDecoded(deeper);
    if (hidden !== undefined) return hidden;
  }
  const normalised = path
    .replace(ESCAPE, (escape, hex: string) => {
      const char = String.fromCharCode(parseInt(hex, 16));
      return UNRESERVED.test(char) ? char : escape.toUpperCase();
    })
    .replace(/\/{2,}/g, '/');
  return { ok: true, target: normalised + query };
}

function checkDecoded(decoded: string): PathCheck | undefined {
  if (decoded.includes('\0')) return refuse('nul', 'the path contains NUL');
  if (decoded.includes('\\')) return refuse('backslash', 'the path contains a backslash');
  for (const segment of decoded.split('/')) {
    const name = segment.split(';', 1)[0];
    if (name === '.' || name === '..') {
      return refuse('dot-segment', 'the path contains a "." or ".." segment');
    }
  }
  return undefined;
}

/** `path` is ASCII with well-formed escapes here. */
function percentDecode(path: string): Uint8Array {
  const bytes: number[] = [];
  for (let i = 0; i < path.length; i += 1) {
    const code = path.charCodeAt(i);
    if (code === 0x25) {
      bytes.push(parseInt(path.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(code);
  }
  return Uint8Array.from(bytes);
}

function tolerantDecode(text: string): string {
  return text.replace(ESCAPE, (_escape, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function refuse(reason: PathRefusal, message: string): PathCheck {
  return { ok: false, reason, message };
}
