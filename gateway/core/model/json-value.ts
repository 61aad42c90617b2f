/** JSON values as the codecs see them: what a wire body can hold, and what unknown fields are kept as. */

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** True for a plain JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Copies `value` into a JSON value, or returns undefined if it holds something JSON cannot carry
 * (functions, symbols, bigint, non-finite numbers, cycles). Parsers use it to keep unknown fields
 * without trusting the caller's object graph.
 */
export function toJsonValue(value: unknown, depth = 0): JsonValue | undefined {
  if (depth > 64) return undefined;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (Array.isArray(value)) {
    const out: JsonValue[] = [];
    for (const item of value as unknown[]) {
      const copy = toJsonValue(item, depth + 1);
      if (copy === undefined) return undefined;
      out.push(copy);
    }
    return out;
  }
  if (typeof value === 'object') {
    const entries: [string, JsonValue][] = [];
    for (const [key, item] of Object.entries(value)) {
      const copy = toJsonValue(item, depth + 1);
      if (copy === undefined) return undefined;
      entries.push([key, copy]);
    }
    // fromEntries defines own properties: a peer's "__proto__" key stays data, never a prototype.
    return Object.fromEntries(entries);
  }
  return undefined;
}
