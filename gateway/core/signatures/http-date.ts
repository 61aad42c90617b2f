/** RFC 9110 §5.6.7 HTTP-date: written as IMF-fixdate, read in any of the three historic forms. */

/** `Fri, 16 Jan 2026 13:37:00 GMT` for epoch milliseconds. */
export function formatHttpDate(epochMs: number): string {
  return new Date(epochMs).toUTCString();
}

/** Epoch seconds, or undefined when the text is no HTTP-date. */
export function parseHttpDate(text: string): number | undefined {
  // IMF-fixdate, RFC 850 and asctime all carry a weekday name and a time; Date.parse reads all three.
  if (!/^[A-Za-z]{3,9},? .*\d{2}:\d{2}:\d{2}/.test(text.trim())) return undefined;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : undefined;
}
