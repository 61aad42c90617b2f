/** Maps a parsed OCS XML element to the JSON value the same response has with `format=json`. */
import type { JsonValue } from '../../model/index.ts';
import type { XmlElement } from './ocs-xml-reader.ts';

/**
 * Leaves become strings (XML has no types), `<element>` lists become arrays, repeated names
 * become arrays. Returns undefined for mixed content (text beside child elements).
 */
export function xmlElementToJson(element: XmlElement): JsonValue | undefined {
  if (element.children.length === 0) return element.text;
  if (element.text.trim() !== '') return undefined;
  const values: [string, JsonValue][] = [];
  for (const child of element.children) {
    const value = xmlElementToJson(child);
    if (value === undefined) return undefined;
    values.push([child.name, value]);
  }
  if (values.every(([name]) => name === 'element')) return values.map(([, value]) => value);
  const grouped = new Map<string, JsonValue[]>();
  for (const [name, value] of values) grouped.set(name, [...(grouped.get(name) ?? []), value]);
  // fromEntries defines own properties, so a `__proto__` element cannot touch a prototype.
  return Object.fromEntries(
    [...grouped].map(([name, list]) => [name, list.length === 1 ? (list[0] ?? null) : list]),
  );
}
