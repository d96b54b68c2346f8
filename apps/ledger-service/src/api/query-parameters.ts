import { z } from 'zod';
import { InvalidArgumentError } from '#domain';
import type { PageCursor } from '#event-store';
import { resolveFormatName, SOURCE_FORMATS, type SourceFormat } from '#sources';

/**
 * Query-string validation: every parameter is checked here, and a bad one is reported by
 * name (400 with `field`), before anything reaches a repository.
 */
export const isoTime = z
  .string()
  .refine((value) => !Number.isNaN(Date.parse(value)) && /^\d{4}-\d{2}-\d{2}/.test(value), 'must be an ISO-8601 date-time')
  .refine(isCalendarDate, 'is not a date in the calendar')
  .transform((value) => new Date(value).toISOString());

/** JavaScript rolls 2026-02-30 over to March 2; a search must not quietly move its bounds. */
function isCalendarDate(value: string): boolean {
  const [year, month, day] = value.slice(0, 10).split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Stored addresses are canonical (DESIGN 4: `::ffff:a.b.c.d` folded to IPv4); so is a searched one. */
const ipAddress = z
  .union([z.ipv4(), z.ipv6()], { error: 'must be an IPv4 or IPv6 address' })
  .transform((value) => value.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1'));

// U+0000 cannot be stored or compared in Postgres text: refused here rather than failing there.
const text = z.string().min(1).max(2048).refine((value) => !value.includes('\u0000'), 'must not contain U+0000');

export function eventFilterSchema(maxLimit: number) {
  return z
    .object({
      subject: text.optional(),
      principal: text.optional(),
      action: text.optional(),
      category: z.enum(['identity', 'authentication', 'authorization', 'activity']).optional(),
      outcome: z.enum(['success', 'failure', 'unknown']).optional(),
      target: text.optional(),
      source_ip: ipAddress.optional(),
      from: isoTime.optional(),
      to: isoTime.optional(),
      limit: z.coerce.number().int().min(1).max(maxLimit).default(Math.min(100, maxLimit)),
      cursor: z.string().max(512).optional(),
    })
    .strict();
}

export type EventFilterQuery = z.infer<ReturnType<typeof eventFilterSchema>>;

export function parseQuery<T extends z.ZodType>(schema: T, query: unknown): z.infer<T> {
  const parsed = schema.safeParse(normalizeQuery(query));
  if (parsed.success) {
    const range = parsed.data as { from?: unknown; to?: unknown };
    // `from` is inclusive and `to` exclusive: a range that ends before it starts is a mistake, not an empty answer.
    if (typeof range.from === 'string' && typeof range.to === 'string' && range.from > range.to) {
      throw new InvalidArgumentError('from', 'from: must not be later than to');
    }
    return parsed.data;
  }
  const issue = parsed.error.issues[0]!;
  const field = issue.code === 'unrecognized_keys' ? issue.keys.join(',') : issue.path.join('.') || 'query';
  const message = issue.code === 'unrecognized_keys' ? `unknown parameter(s): ${issue.keys.join(', ')}` : `${field}: ${issue.message}`;
  throw new InvalidArgumentError(field, message);
}

/** A parameter given twice arrives as an array; that is ambiguous, so it is refused. */
function normalizeQuery(query: unknown): unknown {
  if (!query || typeof query !== 'object') return {};
  for (const [key, value] of Object.entries(query)) {
    if (typeof value !== 'string') throw new InvalidArgumentError(key, `${key} must be given once, as a plain value`);
    // Whatever the schema says: Postgres text cannot hold U+0000, so no value reaches SQL with one.
    if (value.includes('\u0000')) throw new InvalidArgumentError(key, `${key} must not contain U+0000`);
  }
  return query;
}

export function encodeCursor(cursor: PageCursor | null): string | null {
  return cursor ? Buffer.from(JSON.stringify([cursor.time, cursor.position])).toString('base64url') : null;
}

export function decodeCursor(value: string | undefined): PageCursor | null {
  if (value === undefined) return null;
  try {
    const [time, position] = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof time === 'string' && !Number.isNaN(Date.parse(time)) && Number.isSafeInteger(position) && (position as number) >= 0) {
      return { time, position: position as number };
    }
  } catch {
    // fall through to the error below
  }
  throw new InvalidArgumentError('cursor', 'cursor is not one this API issued');
}

/** A path parameter (subject, event id): present, bounded, and storable as Postgres text. */
export function pathParameter(field: string, value: string, maxLength = 2048): string {
  if (value.length === 0) throw new InvalidArgumentError(field, `${field} is empty`);
  if (value.length > maxLength) throw new InvalidArgumentError(field, `${field} is longer than ${maxLength} characters`);
  if (value.includes('\u0000')) throw new InvalidArgumentError(field, `${field} must not contain U+0000`);
  return value;
}

/**
 * The query of HTTP ingest: only `format`, a known format name or alias. An unknown name is
 * the request's mistake, not its records' (on Kafka, where a header declares it, it is a
 * per-message rejection instead), so it is refused before anything is read.
 */
export function parseIngestQuery(query: unknown): { format: SourceFormat | undefined } {
  const { format } = parseQuery(z.object({ format: z.string().optional() }).strict(), query);
  if (format === undefined) return { format: undefined };
  const resolved = resolveFormatName(format);
  if (resolved === null) throw new InvalidArgumentError('format', `format must be one of ${SOURCE_FORMATS.join(', ')} (or an alias of one)`);
  return { format: resolved };
}
