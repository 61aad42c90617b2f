/**
 * Rewrites the text of every `<href>` element (any namespace prefix, RFC 4918 §14.7) in a WebDAV
 * 207 Multi-Status body while it streams: text is pushed in pieces and given back at once, except
 * an unfinished element or tag at the end of a piece, held back up to `maxCarry` characters.
 * Whatever does not fit is passed on unchanged (and counted): memory stays bounded.
 */

const OPEN_HREF = /<([A-Za-z_][\w.-]*:)?href(\s[^<>]*)?>/g;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

function unescapeXml(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, name: string) => {
    if (name.startsWith('#x')) return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number.parseInt(name.slice(1), 10));
    return ENTITIES[name] ?? whole;
  });
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export class HrefStreamRewriter {
  readonly #map: (href: string) => string | undefined;
  readonly #maxCarry: number;
  #carry = '';
  /** Hrefs rewritten, and elements passed unchanged because they outgrew the carry. */
  rewritten = 0;
  overflowed = 0;

  /** `map` returns the new href, or undefined to leave it as it is. */
  constructor(map: (href: string) => string | undefined, maxCarry = 64 * 1024) {
    this.#map = map;
    this.#maxCarry = maxCarry;
  }

  push(text: string): string {
    return this.#process(this.#carry + text, false);
  }

  /** The held-back rest; call once, at the end of the body. */
  end(): string {
    return this.#process(this.#carry, true);
  }

  #process(buffer: string, final: boolean): string {
    let out = '';
    let pos = 0;
    this.#carry = '';
    for (;;) {
      OPEN_HREF.lastIndex = pos;
      const open = OPEN_HREF.exec(buffer);
      if (open === null) break;
      const contentStart = open.index + open[0].length;
      if (open[0].endsWith('/>')) {
        out += buffer.slice(pos, contentStart);
        pos = contentStart;
        continue;
      }
      const close = new RegExp(`</${escapeRegExp(open[1] ?? '')}href\\s*>`, 'g');
      close.lastIndex = contentStart;
      const closing = close.exec(buffer);
      if (closing === null) {
        if (final) break;
        return out + buffer.slice(pos, open.index) + this.#hold(buffer.slice(open.index));
      }
      out +=
        buffer.slice(pos, contentStart) + this.#rewrite(buffer.slice(contentStart, closing.index));
      out += closing[0];
      pos = closing.index + closing[0].length;
    }
    if (!final) {
      // A tag cut at the end of this piece may be the start of an href element.
      const lt = buffer.lastIndexOf('<');
      if (lt >= pos && !buffer.includes('>', lt)) {
        return out + buffer.slice(pos, lt) + this.#hold(buffer.slice(lt));
      }
    }
    return out + buffer.slice(pos);
  }

  /** Keeps `tail` for the next piece, or gives it back unchanged when it is too long. */
  #hold(tail: string): string {
    if (tail.length > this.#maxCarry) {
      this.overflowed += 1;
      return tail;
    }
    this.#carry = tail;
    return '';
  }

  #rewrite(text: string): string {
    // CDATA or markup inside an href is not something a WebDAV server sends: leave it.
    if (text.includes('<')) return text;
    const mapped = this.#map(unescapeXml(text.trim()));
    if (mapped === undefined) return text;
    this.rewritten += 1;
    return escapeXml(mapped);
  }
}
