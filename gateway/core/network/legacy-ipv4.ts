/**
 * The IPv4 spellings that inet_aton(3) and the WHATWG URL host parser both accept besides a
 * dotted quad: 1–4 parts, each decimal, octal (leading 0) or hex (0x); the last part fills the
 * remaining bytes (`127.1`, `2130706433`, `0177.0.0.1`, `0x7f.1`).
 */

const DECIMAL = /^[0-9]+$/;
const OCTAL = /^[0-7]+$/;
const HEX = /^[0-9a-f]*$/i;

function parsePart(part: string): number | undefined {
  if (part === '') return undefined;
  let digits = part;
  let radix = 10;
  if (/^0x/i.test(part)) {
    digits = part.slice(2);
    radix = 16;
    if (!HEX.test(digits)) return undefined;
    // The URL parser reads a bare "0x" as 0; inet_aton refuses it. Either way it is not a host name.
    if (digits === '') return 0;
  } else if (part.length > 1 && part.startsWith('0')) {
    digits = part.slice(1);
    radix = 8;
    if (!OCTAL.test(digits)) return undefined;
  } else if (!DECIMAL.test(part)) {
    return undefined;
  }
  // Long digit strings would lose precision; anything past 2^32 is out of range anyway.
  const trimmed = digits.replace(/^0+(?=.)/, '');
  if (trimmed.length > 12) return undefined;
  const value = parseInt(trimmed, radix);
  return Number.isSafeInteger(value) ? value : undefined;
}

/** The four bytes of a legacy-spelled IPv4 address, or undefined if `text` is not one. */
export function parseLegacyIpv4(text: string): readonly number[] | undefined {
  const parts = text.split('.');
  // A single trailing dot is a fully qualified spelling of the same address.
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length === 0 || parts.length > 4) return undefined;
  const values: number[] = [];
  for (const part of parts) {
    const value = parsePart(part);
    if (value === undefined) return undefined;
    values.push(value);
  }
  const last = values.pop() ?? 0;
  if (values.some((v) => v > 255)) return undefined;
  const lastBytes = 4 - values.length;
  if (last >= 256 ** lastBytes) return undefined;
  const bytes = [...values];
  for (let i = lastBytes - 1; i >= 0; i -= 1) bytes.push(Math.floor(last / 256 ** i) % 256);
  return bytes;
}
