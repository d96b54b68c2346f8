import { describe, expect, it } from 'vitest';
import { eventTimeFromEpochMillis, parseEventTime, parseSyslogTimestamp } from './event-time.js';

const now = Date.parse('2025-03-01T12:00:00Z');
const iso = (value: unknown) => {
  const result = parseEventTime(value, { now });
  return result.ok ? result.iso : result.reason;
};

describe('parseEventTime', () => {
  it.each([
    ['2020-06-15T23:47:54Z', '2020-06-15T23:47:54.000Z'],
    ['2020-06-15T23:47:54.1Z', '2020-06-15T23:47:54.100Z'],
    ['2020-06-15T23:47:54.123456789Z', '2020-06-15T23:47:54.123Z'],
    ['2020-06-15T23:47:54.9999Z', '2020-06-15T23:47:54.999Z'],
    ['2023-05-26 20:14:51', '2023-05-26T20:14:51.000Z'],
    ['2024-11-27 18:18:58.000000000', '2024-11-27T18:18:58.000Z'],
    ['20131102T010628Z', '2013-11-02T01:06:28.000Z'],
    ['20131102T010628+0100', '2013-11-02T00:06:28.000Z'],
    ['2020-06-15T16:47:54-0700', '2020-06-15T23:47:54.000Z'],
    ['2020-06-16T01:47:54+02:00', '2020-06-15T23:47:54.000Z'],
    ['2020-06-16T01:47:54+02', '2020-06-15T23:47:54.000Z'],
    ['2020-06-15 23:47:54 +0000', '2020-06-15T23:47:54.000Z'],
    ['2020-06-15 23:47:54 UTC', '2020-06-15T23:47:54.000Z'],
    ['2020-06-15t23:47:54z', '2020-06-15T23:47:54.000Z'],
    ['2016-12-31T23:59:60Z', '2016-12-31T23:59:59.999Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
  ])('reads %s as %s', (input, expected) => {
    expect(iso(input)).toBe(expected);
  });

  it.each([undefined, null, ''])('calls %j missing, never "now"', (input) => {
    expect(iso(input)).toBe('missing_event_time');
  });

  it.each([
    'yesterday',
    'Jan 01, 2019 0:00:00 PM',
    '2023-02-29T00:00:00Z',
    '2020-13-01T00:00:00Z',
    '2020-06-15T24:00:00Z',
    '2020-06-15T23:47:54+25:00',
    '2020-06-15',
    1592264874000,
    { time: '2020-06-15T23:47:54Z' },
  ])('rejects %j as invalid', (input) => {
    expect(iso(input)).toBe('invalid_event_time');
  });

  it('rejects implausible years: before 1990, or more than a day after now', () => {
    expect(iso('1989-12-31T23:59:59Z')).toBe('invalid_event_time');
    expect(iso('1970-01-01T00:00:00Z')).toBe('invalid_event_time');
    expect(iso('1990-01-01T00:00:00Z')).toBe('1990-01-01T00:00:00.000Z');
    expect(iso('2025-03-02T11:59:59Z')).toBe('2025-03-02T11:59:59.000Z');
    expect(iso('2025-03-02T12:00:01Z')).toBe('invalid_event_time');
    expect(iso('0099-01-01T00:00:00Z')).toBe('invalid_event_time');
  });

  it('says what is wrong', () => {
    const result = parseEventTime('2020-13-01T00:00:00Z', { now });
    expect(result).toMatchObject({ ok: false, message: expect.stringContaining('2020-13-01T00:00:00Z') });
  });
});

describe('eventTimeFromEpochMillis', () => {
  it('applies the same plausibility rules', () => {
    expect(eventTimeFromEpochMillis(1592264874123, { now })).toMatchObject({ ok: true, iso: '2020-06-15T23:47:54.123Z' });
    expect(eventTimeFromEpochMillis(0, { now })).toMatchObject({ ok: false, reason: 'invalid_event_time' });
    expect(eventTimeFromEpochMillis(undefined, { now })).toMatchObject({ ok: false, reason: 'missing_event_time' });
  });
});

describe('parseSyslogTimestamp', () => {
  it('takes the year that puts the line closest before now', () => {
    const january = Date.parse('2025-01-02T00:00:00Z');
    expect(parseSyslogTimestamp('Dec 31 23:59:58', { now: january })).toMatchObject({ iso: '2024-12-31T23:59:58.000Z' });
    expect(parseSyslogTimestamp('Jan  1 08:00:00', { now: january })).toMatchObject({ iso: '2025-01-01T08:00:00.000Z' });
  });

  it('a line slightly ahead of now is this year (clock skew), not last year; a host already in the new year is next year', () => {
    expect(parseSyslogTimestamp('Mar  1 12:00:05', { now })).toMatchObject({ iso: '2025-03-01T12:00:05.000Z' });
    const newYearsEve = Date.parse('2024-12-31T23:00:00Z');
    expect(parseSyslogTimestamp('Jan  1 00:30:00', { now: newYearsEve })).toMatchObject({ iso: '2025-01-01T00:30:00.000Z' });
    // more than the one-day skew ahead: the previous year
    expect(parseSyslogTimestamp('Mar  3 12:00:00', { now })).toMatchObject({ iso: '2024-03-03T12:00:00.000Z' });
  });

  it('finds the last leap year for Feb 29 and applies the host offset', () => {
    expect(parseSyslogTimestamp('Feb 29 10:00:00', { now })).toMatchObject({ iso: '2024-02-29T10:00:00.000Z' });
    expect(parseSyslogTimestamp('Mar  1 10:00:00', { now, utcOffsetMinutes: 120 })).toMatchObject({ iso: '2025-03-01T08:00:00.000Z' });
  });

  it('rejects what is not an RFC 3164 timestamp', () => {
    expect(parseSyslogTimestamp('Foo 1 10:00:00', { now })).toMatchObject({ ok: false, reason: 'invalid_event_time' });
    expect(parseSyslogTimestamp('', { now })).toMatchObject({ ok: false, reason: 'missing_event_time' });
  });
});
