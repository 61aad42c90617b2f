/** Just enough RFC 8941 Structured Fields for RFC 9421 / RFC 9530 headers: dictionaries whose members
 * are items (string, integer, token, boolean, byte sequence) or inner lists, each with parameters. */

export type BareItem = string | number | boolean | { bytes: Buffer } | { token: string };
export type Params = [string, BareItem][];
export interface Item {
  value: BareItem;
  params: Params;
}
export interface InnerList {
  list: Item[];
  params: Params;
}
export type Member = Item | InnerList;

class Cursor {
  pos = 0;
  readonly s: string;
  constructor(s: string) {
    this.s = s;
  }
  peek(): string {
    return this.s[this.pos] ?? '';
  }
  eat(ch: string): boolean {
    if (this.peek() !== ch) return false;
    this.pos++;
    return true;
  }
  skipSp(): void {
    while (this.peek() === ' ') this.pos++;
  }
  skipOws(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.pos++;
  }
  fail(what: string): never {
    throw new Error(`structured field: ${what} at ${this.pos}`);
  }
}

function parseKey(c: Cursor): string {
  const m = /^[a-z*][a-z0-9_\-.*]*/.exec(c.s.slice(c.pos));
  if (m === null) c.fail('key expected');
  c.pos += m[0].length;
  return m[0];
}

function parseBareItem(c: Cursor): BareItem {
  const ch = c.peek();
  if (ch === '"') {
    c.pos++;
    let out = '';
    for (;;) {
      const x = c.s[c.pos++];
      if (x === undefined) c.fail('unterminated string');
      if (x === '"') return out;
      if (x === '\\') {
        const next = c.s[c.pos++];
        if (next !== '"' && next !== '\\') c.fail('bad escape');
        out += next;
      } else out += x;
    }
  }
  if (ch === ':') {
    c.pos++;
    const end = c.s.indexOf(':', c.pos);
    if (end === -1) c.fail('unterminated byte sequence');
    const b64 = c.s.slice(c.pos, end);
    if (!/^[A-Za-z0-9+/=]*$/.test(b64)) c.fail('bad base64');
    c.pos = end + 1;
    return { bytes: Buffer.from(b64, 'base64') };
  }
  if (ch === '?') {
    c.pos++;
    if (c.eat('1')) return true;
    if (c.eat('0')) return false;
    c.fail('bad boolean');
  }
  const num = /^-?\d+(\.\d+)?/.exec(c.s.slice(c.pos));
  if (num !== null) {
    c.pos += num[0].length;
    return Number(num[0]);
  }
  const tok = /^[A-Za-z*][!#$%&'*+\-.^_`|~0-9A-Za-z:/]*/.exec(c.s.slice(c.pos));
  if (tok === null) c.fail('item expected');
  c.pos += tok[0].length;
  return { token: tok[0] };
}

function parseParams(c: Cursor): Params {
  const params: Params = [];
  while (c.eat(';')) {
    c.skipSp();
    const key = parseKey(c);
    params.push([key, c.eat('=') ? parseBareItem(c) : true]);
  }
  return params;
}

function parseMember(c: Cursor): Member {
  if (c.eat('(')) {
    const list: Item[] = [];
    for (;;) {
      c.skipSp();
      if (c.eat(')')) return { list, params: parseParams(c) };
      list.push({ value: parseBareItem(c), params: parseParams(c) });
      if (c.peek() !== ' ' && c.peek() !== ')') c.fail('bad inner list');
    }
  }
  return { value: parseBareItem(c), params: parseParams(c) };
}

/** Parses a dictionary; members keep their order; a duplicated key is reported via `duplicates`. */
export function parseDictionary(header: string): {
  members: [string, Member][];
  duplicates: string[];
} {
  const c = new Cursor(header.trim());
  const members: [string, Member][] = [];
  const duplicates: string[] = [];
  while (c.pos < c.s.length) {
    const key = parseKey(c);
    const member: Member = c.eat('=') ? parseMember(c) : { value: true, params: parseParams(c) };
    if (members.some(([k]) => k === key)) duplicates.push(key);
    members.push([key, member]);
    c.skipOws();
    if (c.pos >= c.s.length) break;
    if (!c.eat(',')) c.fail("',' expected");
    c.skipOws();
    if (c.pos >= c.s.length) c.fail('trailing comma');
  }
  return { members, duplicates };
}

export function serializeBareItem(v: BareItem): string {
  if (typeof v === 'string') return `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? '?1' : '?0';
  if ('bytes' in v) return `:${v.bytes.toString('base64')}:`;
  return v.token;
}

export function serializeParams(params: Params): string {
  return params.map(([k, v]) => (v === true ? `;${k}` : `;${k}=${serializeBareItem(v)}`)).join('');
}

export function serializeInnerList(l: InnerList): string {
  const items = l.list.map((i) => serializeBareItem(i.value) + serializeParams(i.params)).join(' ');
  return `(${items})${serializeParams(l.params)}`;
}

export function isInnerList(m: Member): m is InnerList {
  return 'list' in m;
}

export function paramOf(params: Params, key: string): BareItem | undefined {
  return params.find(([k]) => k === key)?.[1];
}
