import type { TimeSource } from '#domain';

/**
 * Event time parsing (DESIGN 5, trap 6). Sources write time in many shapes; the ledger stores
 * one: UTC ISO-8601 with millisecond precision. A time that cannot be read is a rejection
 * with a reason, never "now": defaulting would silently move events across windows and
 * break the who-did-what-when record.
 */

export type EventTimeFailureReason = 'missing_event_time' | 'invalid_event_time';

export type EventTimeResult =
  /** `timeSource` is set only when the time is not the record's own (see eventTimeOrTransport). */
  | { ok: true; iso: string; epochMs: number; timeSource?: TimeSource }
  | { ok: false; reason: EventTimeFailureReason; message: string };

export interface EventTimeOptions {
  /** Reference "now" (epoch ms) for the plausibility check; injected so that tests and replays are deterministic. */
  now: number;
}

/** Earliest plausible event time: no identity source we read predates it, and it catches `0`/epoch defaults. */
export const MIN_EVENT_TIME_MS = Date.UTC(1990, 0, 1);
/** How far ahead of `now` an event may be (clock skew between hosts), before it is implausible. */
export const MAX_FUTURE_SKEW_MS = 24 * 60 * 60 * 1000;

// Extended form: 2020-06-15T23:47:54Z, 2023-05-26 20:14:51, 2024-11-27 18:18:58.000000000,
// 2020-06-15T23:47:54.123+02:00, 2020-06-15T16:47:54-0700, ... UTC
const EXTENDED =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,12}))?)? ?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?|UTC|GMT)?$/;
const PLAIN_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
// Basic form: 20131102T010628Z, 20131102T010628.5+0100
const BASIC = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(?:[.,](\d{1,12}))?(?:([Zz])|([+-])(\d{2})(\d{2})?)?$/;

const MONTHS: Readonly<Record<string, number>> = {
  Jan: 1, Feb: 2, Mar: 3, Apr: 4, May: 5, Jun: 6, Jul: 7, Aug: 8, Sep: 9, Oct: 10, Nov: 11, Dec: 12,
};
// RFC 3164 timestamp: "Nov  2 01:06:28" (day padded with a space), optional fraction
const SYSLOG = /^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/;

/**
 * Reads an event time. Accepts ISO-8601 / RFC 3339 extended and basic forms with `Z`, an
 * offset (`+02:00`, `-0700`, `+02`) or no zone (read as UTC, as CloudTrail Lake writes it),
 * fractional seconds of any length (truncated to milliseconds, so an event never moves into
 * the next second), and a leap second `:60` (read as `:59.999`).
 */
export function parseEventTime(value: unknown, options: EventTimeOptions): EventTimeResult {
  if (value === undefined || value === null || value === '') {
    return { ok: false, reason: 'missing_event_time', message: 'event time is missing' };
  }
  if (typeof value !== 'string') {
    return invalid(`event time must be a string, got ${typeof value}`);
  }
  const text = value.trim();
  if (text.length === 20 && PLAIN_UTC.test(text)) {
    // CloudTrail's own form: once the date is known to exist, the ISO text is the input's
    const epochMs = composeUtc(+text.slice(0, 4), +text.slice(5, 7), +text.slice(8, 10), +text.slice(11, 13), +text.slice(14, 16), +text.slice(17, 19), 0);
    // (a leap second ":60" is not kept as written, so it takes the general path)
    if (typeof epochMs === 'number' && text.charCodeAt(17) !== 0x36) {
      return implausibility(epochMs, value, options) ?? { ok: true, iso: `${text.slice(0, 19)}.000Z`, epochMs };
    }
  }
  const match = EXTENDED.exec(text) ?? BASIC.exec(text);
  if (!match) return invalid(`event time ${quote(value)} is not an ISO-8601 date and time`);
  const [, y, mo, d, h, mi, s, fraction, zulu, sign, offH, offM] = match;
  let offsetMinutes = 0;
  if (sign !== undefined && zulu === undefined) {
    const hours = Number(offH);
    const minutes = offM === undefined ? 0 : Number(offM);
    if (hours > 23 || minutes > 59) return invalid(`event time ${quote(value)} has an impossible UTC offset`);
    offsetMinutes = (sign === '-' ? -1 : 1) * (hours * 60 + minutes);
  }
  return fromParts(
    Number(y), Number(mo), Number(d), Number(h), Number(mi), s === undefined ? 0 : Number(s),
    fractionToMillis(fraction), offsetMinutes, value, options,
  );
}

/** For sources that give epoch milliseconds (OCSF `time`); the same plausibility rules apply. */
export function eventTimeFromEpochMillis(value: unknown, options: EventTimeOptions): EventTimeResult {
  if (value === undefined || value === null) {
    return { ok: false, reason: 'missing_event_time', message: 'event time is missing' };
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) return invalid('event time must be a finite number of milliseconds');
  return checkPlausible(Math.trunc(value), String(value), options);
}

/**
 * The time a transport gave a message (the Kafka record timestamp), already checked with the
 * same plausibility rules as an event time, so that a broken producer clock (`-1`, 1970, next
 * year) is reported rather than stored.
 */
export interface TransportTimeFact {
  source: TimeSource;
  time: EventTimeResult;
}

/** Reads a transport time given as epoch milliseconds, a number or decimal text (kafkajs's `message.timestamp`). */
export function readTransportTime(source: TimeSource, epochMs: unknown, options: EventTimeOptions): TransportTimeFact {
  if (epochMs === undefined || epochMs === null || epochMs === '') return { source, time: invalid('the message has no timestamp') };
  const text = typeof epochMs === 'string' ? epochMs.trim() : null;
  const millis = text === null ? epochMs : /^-?\d{1,16}$/.test(text) ? Number(text) : Number.NaN;
  return { source, time: eventTimeFromEpochMillis(millis, options) };
}

/**
 * The event time of a record whose time field holds `value`, read by `read`. A record that
 * has no time at all (`value` undefined or null) takes the transport's time when the message
 * came with one (Kafka), marked with its source; without one it is rejected as
 * `missing_event_time`. A time that is present is always the record's own: when it cannot be
 * read the record is rejected, and the transport's time never stands in for it. This is not
 * "now" (trap 6): the producer declared the transport time when it handed the record over,
 * it is the same on every re-delivery, and the event says where it came from.
 */
export function eventTimeOrTransport(
  value: unknown,
  transport: TransportTimeFact | null,
  read: (value: unknown) => EventTimeResult,
): EventTimeResult {
  if (value !== undefined && value !== null) return read(value);
  if (transport === null) return { ok: false, reason: 'missing_event_time', message: 'event time is missing' };
  if (!transport.time.ok) {
    return {
      ok: false,
      reason: 'missing_event_time',
      message: `event time is missing, and the ${TRANSPORT_TIME_NAMES[transport.source]} cannot stand in for it: ${transport.time.message}`,
    };
  }
  return { ok: true, iso: transport.time.iso, epochMs: transport.time.epochMs, timeSource: transport.source };
}

const TRANSPORT_TIME_NAMES: Readonly<Record<TimeSource, string>> = { kafka_timestamp: 'Kafka record timestamp' };

export interface SyslogTimeOptions extends EventTimeOptions {
  /** Offset of the host's local time from UTC, in minutes (RFC 3164 timestamps carry no zone). */
  utcOffsetMinutes?: number;
}

/**
 * RFC 3164 timestamps (`Nov  2 01:06:28`) carry no year and no zone. The year is the one that
 * puts the time closest before `now`, allowing the same one-day skew as every other source: a
 * December line read in January belongs to the previous year, and a line a few seconds ahead
 * of a slow reader's clock is this year's, not last year's. The next year is tried too, for a
 * host already in the new year by its clock while `now` is still in the old one. The zone is
 * the host's, given by configuration.
 */
export function parseSyslogTimestamp(text: string, options: SyslogTimeOptions): EventTimeResult {
  if (text === '') return { ok: false, reason: 'missing_event_time', message: 'event time is missing' };
  const match = SYSLOG.exec(text);
  if (!match) return invalid(`syslog timestamp ${quote(text)} is not "Mmm dd hh:mm:ss"`);
  const [, monthName, d, h, mi, s, fraction] = match;
  const offset = options.utcOffsetMinutes ?? 0;
  const month = MONTHS[monthName];
  const day = Number(d);
  const nowYear = new Date(options.now + offset * 60_000).getUTCFullYear();
  // Feb 29 exists only in leap years, so look back far enough to find one
  for (let year = nowYear + 1; year >= nowYear - 8; year--) {
    if (day > daysInMonth(year, month)) continue;
    const epochMs = composeUtc(year, month, day, Number(h), Number(mi), Number(s), fractionToMillis(fraction));
    if (typeof epochMs === 'string') return invalid(`syslog timestamp ${quote(text)}: ${epochMs}`);
    if (epochMs - offset * 60_000 > options.now + MAX_FUTURE_SKEW_MS) continue;
    return checkPlausible(epochMs - offset * 60_000, text, options);
  }
  return invalid(`syslog timestamp ${quote(text)}: that date does not exist`);
}

function fromParts(
  year: number, month: number, day: number, hour: number, minute: number, second: number,
  millis: number, offsetMinutes: number, original: string, options: EventTimeOptions,
): EventTimeResult {
  const epochMs = composeUtc(year, month, day, hour, minute, second, millis);
  if (typeof epochMs === 'string') return invalid(`event time ${quote(original)}: ${epochMs}`);
  return checkPlausible(epochMs - offsetMinutes * 60_000, original, options);
}

/** Epoch milliseconds of a UTC wall-clock time, or why it does not exist. */
function composeUtc(
  year: number, month: number, day: number, hour: number, minute: number, second: number, millis: number,
): number | string {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return 'that date does not exist';
  if (hour > 23 || minute > 59 || second > 60) return 'impossible time of day';
  let ms = millis;
  let sec = second;
  if (sec === 60) {
    // a leap second: keep it inside its minute rather than rolling into the next one
    sec = 59;
    ms = 999;
  }
  if (year >= 100) return Date.UTC(year, month - 1, day, hour, minute, sec, ms);
  // Date.UTC maps years 0-99 to 1900-1999
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, sec, ms);
  return date.getTime();
}

function checkPlausible(epochMs: number, original: string, options: EventTimeOptions): EventTimeResult {
  return implausibility(epochMs, original, options) ?? { ok: true, iso: new Date(epochMs).toISOString(), epochMs };
}

function implausibility(epochMs: number, original: string, options: EventTimeOptions): EventTimeResult | null {
  if (!Number.isFinite(epochMs) || epochMs < MIN_EVENT_TIME_MS) {
    return invalid(`event time ${quote(original)} is before 1990, which is not plausible`);
  }
  if (epochMs > options.now + MAX_FUTURE_SKEW_MS) {
    return invalid(`event time ${quote(original)} is more than a day in the future`);
  }
  return null;
}

function fractionToMillis(fraction: string | undefined): number {
  if (fraction === undefined) return 0;
  return Number((fraction + '00').slice(0, 3));
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function invalid(message: string): EventTimeResult {
  return { ok: false, reason: 'invalid_event_time', message };
}

function quote(text: string): string {
  return JSON.stringify(text.length > 64 ? `${text.slice(0, 64)}…` : text);
}
