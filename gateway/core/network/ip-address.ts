/**
 * IP address text ⇄ bytes: dotted-quad IPv4 and RFC 4291 §2.2 IPv6 (with an optional `[…]`
 * and `%zone`), printed back in RFC 5952 form. Pure; no `node:net`, so core can use it.
 */
import { parseLegacyIpv4 } from './legacy-ipv4.ts';

export interface IpAddress {
  readonly family: 4 | 6;
  /** 4 or 16 bytes, network order. */
  readonly bytes: readonly number[];
}

export interface ParseIpOptions {
  /**
   * Also accept the IPv4 spellings the system resolver and the URL parser accept (`127.1`,
   * `0177.0.0.1`, `2130706433`), read with the value they give them. Off for configuration,
   * where an odd spelling is more likely a typo than an intent.
   */
  readonly legacyIpv4?: boolean;
}

const DOTTED_PART = /^(0|[1-9][0-9]{0,2})$/;
const HEX_GROUP = /^[0-9a-f]{1,4}$/i;
const ZONE = /^[^\s%/[\]]+$/;

/** Strict dotted quad: four decimal parts 0–255 without leading zeros. */
export function parseIpv4(text: string): IpAddress | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes: number[] = [];
  for (const part of parts) {
    if (!DOTTED_PART.test(part)) return undefined;
    const value = Number(part);
    if (value > 255) return undefined;
    bytes.push(value);
  }
  return { family: 4, bytes };
}

function parseGroups(text: string, allowTrailingIpv4: boolean): number[] | undefined {
  if (text === '') return [];
  const pieces = text.split(':');
  const groups: number[] = [];
  for (let i = 0; i < pieces.length; i += 1) {
    const piece = pieces[i] ?? '';
    if (allowTrailingIpv4 && i === pieces.length - 1 && piece.includes('.')) {
      const v4 = parseIpv4(piece);
      if (v4 === undefined) return undefined;
      const [a = 0, b = 0, c = 0, d = 0] = v4.bytes;
      groups.push(a * 256 + b, c * 256 + d);
    } else {
      if (!HEX_GROUP.test(piece)) return undefined;
      groups.push(parseInt(piece, 16));
    }
  }
  return groups;
}

/** RFC 4291 text form, optionally bracketed and with a zone id (dropped: it names no other host). */
export function parseIpv6(input: string): IpAddress | undefined {
  let text = input;
  if (text.startsWith('[')) {
    if (!text.endsWith(']')) return undefined;
    text = text.slice(1, -1);
  }
  const percent = text.indexOf('%');
  if (percent >= 0) {
    if (!ZONE.test(text.slice(percent + 1))) return undefined;
    text = text.slice(0, percent);
  }
  if (!text.includes(':')) return undefined;
  const gap = text.indexOf('::');
  let groups: number[];
  if (gap < 0) {
    const all = parseGroups(text, true);
    if (all?.length !== 8) return undefined;
    groups = all;
  } else {
    if (text.indexOf('::', gap + 1) >= 0) return undefined;
    const head = parseGroups(text.slice(0, gap), false);
    const tail = parseGroups(text.slice(gap + 2), true);
    if (head === undefined || tail === undefined) return undefined;
    const missing = 8 - head.length - tail.length;
    if (missing < 1) return undefined;
    groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  }
  const bytes: number[] = [];
  for (const group of groups) bytes.push(Math.floor(group / 256), group % 256);
  return { family: 6, bytes };
}

/** Any IP address text, or undefined when `text` is not one (a host name, garbage). */
export function parseIpAddress(text: string, options: ParseIpOptions = {}): IpAddress | undefined {
  if (text.includes(':')) return parseIpv6(text);
  const strict = parseIpv4(text);
  if (strict !== undefined || options.legacyIpv4 !== true) return strict;
  const legacy = parseLegacyIpv4(text);
  return legacy === undefined ? undefined : { family: 4, bytes: legacy };
}

function isIpv4Mapped(bytes: readonly number[]): boolean {
  return bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
}

/** The canonical text: dotted quad, or RFC 5952 IPv6 (`::ffff:a.b.c.d` for mapped addresses). */
export function formatIpAddress(address: IpAddress): string {
  const b = address.bytes;
  if (address.family === 4) return b.join('.');
  if (isIpv4Mapped(b)) return `::ffff:${b.slice(12).join('.')}`;
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((b[i] ?? 0) * 256 + (b[i + 1] ?? 0));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i += 1;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j += 1;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  const head = hex.slice(0, bestStart).join(':');
  const tail = hex.slice(bestStart + bestLength).join(':');
  return `${head}::${tail}`;
}

/** The IPv4 address an IPv4-mapped IPv6 address (`::ffff:0:0/96`) stands for; others unchanged. */
export function unmapIpv4(address: IpAddress): IpAddress {
  if (address.family === 6 && isIpv4Mapped(address.bytes)) {
    return { family: 4, bytes: address.bytes.slice(12) };
  }
  return address;
}
