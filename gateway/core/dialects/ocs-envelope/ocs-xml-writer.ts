/**
 * Writes JSON values as OCS XML the way ownCloud/Nextcloud's `OC_API::toXML` + PHP XMLWriter do
 * (one-space indent, numeric keys as `<element>`, null/empty arrays as `<x/>`, true as `1`).
 */
import { isJsonObject, type JsonValue } from '../../model/index.ts';
import type { ValidationIssue } from '../../errors/validation-issue.ts';

const NAME = /^[A-Za-z_][\w.-]*$/;

/** False when the text holds a character XML 1.0 cannot carry at all, even escaped. */
export function isXmlText(text: string): boolean {
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    const ok =
      cp === 0x9 ||
      cp === 0xa ||
      cp === 0xd ||
      (cp >= 0x20 && cp <= 0xd7ff) ||
      (cp >= 0xe000 && cp <= 0xfffd) ||
      cp >= 0x10000;
    if (!ok) return false;
  }
  return true;
}

export function escapeXmlText(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('\r', '&#13;');
}

function scalarText(value: string | number | boolean): string {
  if (typeof value === 'boolean') return value ? '1' : '';
  return String(value);
}

/** Appends `<name>value</name>` lines to `out`; returns issues for values XML cannot carry. */
export function writeXmlElement(
  name: string,
  value: JsonValue,
  depth: number,
  out: string[],
  path: string,
): ValidationIssue[] {
  if (depth > 64) return [{ field: path, message: 'nested too deeply for XML output' }];
  const indent = ' '.repeat(depth);
  const elementName = /^[0-9]+$/.test(name) ? 'element' : name;
  if (!NAME.test(elementName)) {
    return [{ field: path, message: `"${name.slice(0, 40)}" cannot be an XML element name` }];
  }
  if (value === null) {
    out.push(`${indent}<${elementName}/>`);
    return [];
  }
  if (typeof value !== 'object') {
    const text = scalarText(value);
    if (!isXmlText(text)) return [{ field: path, message: 'contains characters XML cannot carry' }];
    out.push(`${indent}<${elementName}>${escapeXmlText(text)}</${elementName}>`);
    return [];
  }
  const entries: [string, JsonValue][] = isJsonObject(value)
    ? Object.entries(value)
    : value.map((item, index) => [String(index), item]);
  if (entries.length === 0) {
    out.push(`${indent}<${elementName}/>`);
    return [];
  }
  out.push(`${indent}<${elementName}>`);
  const issues = entries.flatMap(([key, item]) =>
    writeXmlElement(key, item, depth + 1, out, `${path}.${key}`),
  );
  out.push(`${indent}</${elementName}>`);
  return issues;
}
