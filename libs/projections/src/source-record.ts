import type { LedgerEvent } from '#domain';

/**
 * The source record behind a ledger event, for the request and response details the
 * canonical event does not carry (group and policy names, access key ids, password policy
 * settings). Parsed only for the few actions whose facts need it.
 */
export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function objectAt(value: unknown, key: string): JsonObject | null {
  if (!isJsonObject(value)) return null;
  const child = value[key];
  return isJsonObject(child) ? child : null;
}

export function stringAt(value: unknown, key: string): string | null {
  if (!isJsonObject(value)) return null;
  const child = value[key];
  return typeof child === 'string' && child !== '' ? child.normalize('NFC') : null;
}

/** The record as the source delivered it; an EventBridge envelope's CloudTrail record is its `detail`. */
export function sourceRecordOf(event: Pick<LedgerEvent, 'raw'>): JsonObject | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(event.raw);
  } catch {
    return null;
  }
  if (!isJsonObject(parsed)) return null;
  if (typeof parsed['detail-type'] === 'string' && isJsonObject(parsed.detail)) return parsed.detail;
  return parsed;
}
