/** application/x-www-form-urlencoded encode/parse as PHP fills $_POST (last duplicate key wins,
 * '+' is a space). Simulators use it both to read legacy OCS calls and to send them. */

export function parseForm(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const rawKey = eq === -1 ? part : part.slice(0, eq);
    const rawValue = eq === -1 ? '' : part.slice(eq + 1);
    const key = decode(rawKey);
    if (key === undefined) continue;
    out[key] = decode(rawValue) ?? '';
  }
  return out;
}

function decode(s: string): string | undefined {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

export function encodeForm(fields: Record<string, string | number | undefined>): string {
  return Object.entries(fields)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
}

/** The string value of a form field, or '' when absent / not a string (PHP's `$_POST[x] ?? ''`). */
export function formField(body: unknown, name: string): string {
  if (typeof body !== 'object' || body === null) return '';
  const value = (body as Record<string, unknown>)[name];
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return '';
}
