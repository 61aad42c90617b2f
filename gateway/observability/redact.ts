/** Removes secrets (shared secrets, tokens, keys, credentials) from anything about to be logged. */

const SECRET_KEY =
  /(authorization|cookie|secret|token|password|passwd|private|apikey|api_key|signature|^code$|^key$|ledgerkey|credential)/i;
const CREDENTIAL_IN_TEXT = /\b(Bearer|Basic|Digest)\s+[A-Za-z0-9._~+/=:-]+/gi;
const SECRET_QUERY_PARAM =
  /([?&](?:t|token|access_token|code|sharedSecret|secret|password)=)[^&#\s]*/gi;
const SECRET_ASSIGNMENT =
  /\b((?:access_|refresh_)?token|shared_?secret|secret|password|passwd)(\s*[=:]\s*"?)[^\s&#",;]+/gi;
const PEM_BLOCK = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g;
const URL_USERINFO = /(\b[a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/gi;

export const REDACTED = '[redacted]';
const MAX_DEPTH = 8;

/** Every pattern below needs one of these: text without any (most log fields) is returned as is. */
const MAY_HOLD_SECRET = /[=:@]|-----BEGIN|bearer|basic|digest/i;

export function redactText(text: string): string {
  if (!MAY_HOLD_SECRET.test(text)) return text;
  return text
    .replace(PEM_BLOCK, REDACTED)
    .replace(CREDENTIAL_IN_TEXT, (_match, scheme: string) => `${scheme} ${REDACTED}`)
    .replace(SECRET_QUERY_PARAM, `$1${REDACTED}`)
    .replace(SECRET_ASSIGNMENT, `$1$2${REDACTED}`)
    .replace(URL_USERINFO, `$1${REDACTED}@`);
}

/** Returns a redacted deep copy; keys that name a secret lose their value whatever its type. */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (value instanceof Error) {
    return { name: value.name, message: redactText(value.message) };
  }
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    copy[key] = SECRET_KEY.test(key) && child !== undefined ? REDACTED : redact(child, depth + 1);
  }
  return copy;
}
