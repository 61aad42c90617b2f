/**
 * RFC 8941 Structured Field parsing and serialisation, through the structured-headers library,
 * re-typed locally: the library's item type names the DOM `BufferSource`, which this Node-only
 * project does not load, so its values would otherwise be untyped.
 */
import {
  parseDictionary,
  serializeDictionary,
  serializeInnerList,
  serializeItem,
} from 'structured-headers';

export type SfParams = ReadonlyMap<string, unknown>;
export type SfItem = readonly [unknown, SfParams];
export type SfInnerList = readonly [readonly SfItem[], SfParams];
export type SfDictionary = ReadonlyMap<string, SfItem | SfInnerList>;

/** Undefined when the text is not a valid dictionary. */
export function parseSfDictionary(text: string): SfDictionary | undefined {
  try {
    const parsed: unknown = parseDictionary(text);
    return parsed as SfDictionary;
  } catch {
    return undefined;
  }
}

export function isSfInnerList(member: SfItem | SfInnerList | undefined): member is SfInnerList {
  return member !== undefined && Array.isArray(member[0]);
}

/** `("a" "b");p=1` from strings (component names) and integer / string parameters. */
export function serializeSfInnerList(list: SfInnerList): string {
  return serializeInnerList(list as Parameters<typeof serializeInnerList>[0]);
}

/** `"name"`: a component identifier as RFC 9421 §2.5 writes it into the signature base. */
export function serializeSfString(text: string): string {
  return serializeItem([text, new Map()]);
}

/** `label=:base64:` */
export function serializeSfByteMember(label: string, bytes: Uint8Array): string {
  return serializeDictionary(new Map([[label, [bytes, new Map()]]]));
}
