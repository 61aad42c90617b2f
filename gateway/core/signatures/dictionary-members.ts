/**
 * Counts Structured Field dictionary members by key without parsing values. RFC 8941 parsing
 * keeps only the last of two same-named members, so a second `ocm` signature would otherwise be
 * invisible; I-D-05 requires rejecting such a message outright.
 */

export function countDictionaryMembers(value: string, key: string): number {
  let count = 0;
  for (const member of splitTopLevel(value)) {
    const name = /^\s*([a-z*][a-z0-9_.*-]*)/.exec(member)?.[1];
    if (name === key) count += 1;
  }
  return count;
}

/** Splits at commas that are outside strings and inner lists. */
function splitTopLevel(value: string): string[] {
  const members: string[] = [];
  let start = 0;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < value.length; i += 1) {
    const char = value[i];
    if (inString) {
      if (char === '\\') i += 1;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '(') depth += 1;
    else if (char === ')') depth = Math.max(0, depth - 1);
    else if (char === ',' && depth === 0) {
      members.push(value.slice(start, i));
      start = i + 1;
    }
  }
  members.push(value.slice(start));
  return members;
}
