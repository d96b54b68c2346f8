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

/**
 * A member by its name, else by the same name in another letter case: some exporters lower-case
 * every key (`eventtype`, `debugcontext`), and a record must not be lost over spelling.
 */
export function memberAnyCase(object: JsonObject | null | undefined, key: string): unknown {
  if (!object) return undefined;
  if (Object.hasOwn(object, key)) return object[key];
  const lower = key.toLowerCase();
  for (const name in object) {
    if (name.length === key.length && name.toLowerCase() === lower) return object[name];
  }
  return undefined;
}

export function stringAnyCase(object: JsonObject | null | undefined, key: string): string | null {
  const value = memberAnyCase(object, key);
  return typeof value === 'string' && value.length > 0 ? value : null;
}

export function objectAnyCase(object: JsonObject | null | undefined, key: string): JsonObject | null {
  const value = memberAnyCase(object, key);
  return isJsonObject(value) ? value : null;
}

/** A finite number, or an integer written as a string (some pipelines stringify every value). */
export function integerField(object: JsonObject | null | undefined, key: string): number | null {
  if (!object) return null;
  const value = object[key];
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d{1,15}$/.test(value.trim())) return Number(value.trim());
  return null;
}

export function arrayField(object: JsonObject | null | undefined, key: string): unknown[] {
  if (!object) return [];
  const value = object[key];
  return Array.isArray(value) ? value : [];
}

/** A non-empty string, or a number written as text (ids that arrive as numbers), else null. */
export function textField(object: JsonObject | null | undefined, key: string): string | null {
  if (!object) return null;
  const value = object[key];
  if (typeof value === 'string') return value.trim() === '' ? null : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}
