/** Null-safe access to parsed JSON (trap 9: `null` where an object is expected, absent fields). */
export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A non-empty string member, else null (numbers, objects and empty strings are not names). */
export function stringField(object: JsonObject | null | undefined, key: string): string | null {
  if (!object) return null;
  const value = object[key];
  return typeof value === 'string' && value.length > 0 ? value : null;
}

export function objectField(object: JsonObject | null | undefined, key: string): JsonObject | null {
  if (!object) return null;
  const value = object[key];
  return isJsonObject(value) ? value : null;
}

/** `"true"`, `"TRUE"` and `true` all mean true: CloudTrail writes booleans as strings, some exporters as booleans. */
export function isTrueish(value: unknown): boolean {
  return value === true || (typeof value === 'string' && value.toLowerCase() === 'true');
}

export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
