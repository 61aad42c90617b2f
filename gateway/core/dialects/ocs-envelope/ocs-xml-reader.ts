/**
 * A small, strict XML reader for OCS response bodies (elements, attributes, text, CDATA,
 * comments). Any `<!DOCTYPE`/`<!ENTITY` is refused, so entity expansion and XXE cannot happen;
 * only the five predefined entities and character references are decoded. Never throws.
 */
import { fail, succeed, type ParseResult } from '../../model/index.ts';
import { isXmlText } from './ocs-xml-writer.ts';

export interface XmlElement {
  readonly name: string;
  readonly attributes: ReadonlyMap<string, string>;
  readonly children: readonly XmlElement[];
  /** Concatenated character data directly inside this element (CDATA included). */
  readonly text: string;
}

interface Builder {
  name: string;
  attributes: Map<string, string>;
  children: XmlElement[];
  text: string;
}

const MAX_DEPTH = 64;
export const MAX_XML_CHARS = 1_000_000;
const NAME = /^[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?$/;
const NAME_END = /[\s/>=]/;
const ENTITY = /&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|lt|gt|amp|quot|apos);/y;
const NAMED: Readonly<Record<string, string>> = {
  lt: '<',
  gt: '>',
  amp: '&',
  quot: '"',
  apos: "'",
};

/** Decodes predefined entities and character references; undefined if anything else follows `&`. */
export function decodeXmlText(raw: string): string | undefined {
  let out = '';
  let last = 0;
  for (let amp = raw.indexOf('&'); amp >= 0; amp = raw.indexOf('&', last)) {
    ENTITY.lastIndex = amp;
    const match = ENTITY.exec(raw);
    if (!match) return undefined;
    const body = match[1] ?? '';
    let decoded: string;
    if (body.startsWith('#')) {
      const cp = body.startsWith('#x') ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      if (cp > 0x10ffff) return undefined;
      decoded = String.fromCodePoint(cp);
      if (!isXmlText(decoded)) return undefined;
    } else {
      decoded = NAMED[body] ?? '';
    }
    out += raw.slice(last, amp) + decoded;
    last = amp + match[0].length;
  }
  return out + raw.slice(last);
}

function freeze(b: Builder): XmlElement {
  return { name: b.name, attributes: b.attributes, children: b.children, text: b.text };
}

export function readXml(input: string): ParseResult<XmlElement> {
  const bad = (message: string) => fail([{ field: 'body', message: `XML: ${message}` }]);
  if (input.length > MAX_XML_CHARS) return bad('body too large');
  if (!isXmlText(input)) return bad('contains a character XML does not allow');
  let pos = input.startsWith('\uFEFF') ? 1 : 0;
  const stack: Builder[] = [];
  let root: Builder | undefined;
  const skipTo = (end: string): boolean => {
    const at = input.indexOf(end, pos);
    if (at < 0) return false;
    pos = at + end.length;
    return true;
  };
  while (pos < input.length) {
    const top = stack.at(-1);
    if (input[pos] !== '<') {
      const next = input.indexOf('<', pos);
      const raw = input.slice(pos, next < 0 ? input.length : next);
      pos = next < 0 ? input.length : next;
      if (top === undefined) {
        if (raw.trim() !== '') return bad('text outside the root element');
        continue;
      }
      const text = decodeXmlText(raw);
      if (text === undefined) return bad(`unknown entity or stray "&" in <${top.name}>`);
      top.text += text;
      continue;
    }
    if (input.startsWith('<!--', pos)) {
      if (!skipTo('-->')) return bad('unterminated comment');
    } else if (input.startsWith('<![CDATA[', pos)) {
      if (top === undefined) return bad('CDATA outside the root element');
      const start = pos + 9;
      if (!skipTo(']]>')) return bad('unterminated CDATA section');
      top.text += input.slice(start, pos - 3);
    } else if (input.startsWith('<!', pos)) {
      return bad('DOCTYPE and other declarations are refused (no entity expansion)');
    } else if (input.startsWith('<?', pos)) {
      if (!skipTo('?>')) return bad('unterminated processing instruction');
    } else if (input.startsWith('</', pos)) {
      const end = input.indexOf('>', pos);
      if (end < 0) return bad('unterminated end tag');
      const name = input.slice(pos + 2, end).trimEnd();
      if (top?.name !== name) return bad(`end tag </${name}> does not match`);
      stack.pop();
      pos = end + 1;
      const parent = stack.at(-1);
      if (parent) parent.children.push(freeze(top));
    } else {
      if (root !== undefined && top === undefined) return bad('more than one root element');
      const opened = readStartTag(input, pos);
      if (typeof opened === 'string') return bad(opened);
      pos = opened.end;
      const element: Builder = { ...opened.element, children: [], text: '' };
      if (root === undefined) root = element;
      if (opened.selfClosing) {
        if (top) top.children.push(freeze(element));
      } else {
        if (stack.length >= MAX_DEPTH) return bad(`nested deeper than ${MAX_DEPTH} elements`);
        stack.push(element);
      }
    }
  }
  const open = stack.at(-1);
  if (open !== undefined) return bad(`<${open.name}> is not closed`);
  if (root === undefined) return bad('no root element');
  return succeed(freeze(root));
}

type StartTag = {
  element: Pick<Builder, 'name' | 'attributes'>;
  selfClosing: boolean;
  end: number;
};

function readStartTag(input: string, from: number): StartTag | string {
  let pos = from + 1;
  const readName = (): string => {
    const start = pos;
    while (pos < input.length && !NAME_END.test(input.charAt(pos))) pos++;
    return input.slice(start, pos);
  };
  const skipSpace = () => {
    while (pos < input.length && /\s/.test(input.charAt(pos))) pos++;
  };
  const name = readName();
  if (!NAME.test(name)) return `invalid element name "${name.slice(0, 40)}"`;
  const attributes = new Map<string, string>();
  for (;;) {
    const hadSpace = pos < input.length && /\s/.test(input.charAt(pos));
    skipSpace();
    if (input.startsWith('/>', pos))
      return { element: { name, attributes }, selfClosing: true, end: pos + 2 };
    if (input.startsWith('>', pos))
      return { element: { name, attributes }, selfClosing: false, end: pos + 1 };
    if (pos >= input.length) return `unterminated start tag <${name}>`;
    if (!hadSpace) return `attributes of <${name}> must be separated by spaces`;
    const attr = readName();
    if (!NAME.test(attr)) return `invalid attribute name in <${name}>`;
    skipSpace();
    if (input[pos] !== '=') return `attribute ${attr} of <${name}> has no value`;
    pos++;
    skipSpace();
    const quote = input[pos];
    if (quote !== '"' && quote !== "'") return `attribute ${attr} of <${name}> is not quoted`;
    const close = input.indexOf(quote, pos + 1);
    if (close < 0) return `attribute ${attr} of <${name}> is not closed`;
    const raw = input.slice(pos + 1, close);
    const value = raw.includes('<') ? undefined : decodeXmlText(raw);
    if (value === undefined) return `attribute ${attr} of <${name}> has an invalid value`;
    if (attributes.has(attr)) return `attribute ${attr} repeated in <${name}>`;
    attributes.set(attr, value);
    pos = close + 1;
  }
}
