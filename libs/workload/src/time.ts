/**
 * Time helpers. The generator works in integer epoch seconds because CloudTrail's
 * `eventTime` has second precision, and integers keep ordering and arithmetic exact.
 * Formatting avoids `Intl`/`toLocaleString`, whose output depends on the ICU build.
 */
export const SECONDS_PER_DAY = 86_400;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Accepts an ISO-8601 string, a Date or epoch milliseconds; returns whole epoch seconds. */
export function toEpochSeconds(value: string | Date | number, field: string): number {
  const ms = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : value.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`${field}: not a valid time: ${String(value)}`);
  return Math.floor(ms / 1000);
}

const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
let cachedDay = NaN;
let cachedDayPrefix = '';

/** CloudTrail `eventTime` form: `2026-11-02T08:15:03Z`. Called for every record, hence the day cache. */
export function formatEventTime(sec: number): string {
  const day = Math.floor(sec / SECONDS_PER_DAY);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedDayPrefix = new Date(day * SECONDS_PER_DAY * 1000).toISOString().slice(0, 11);
  }
  const s = sec - day * SECONDS_PER_DAY;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return `${cachedDayPrefix}${TWO_DIGITS[h]}:${TWO_DIGITS[m]}:${TWO_DIGITS[s % 60]}Z`;
}

function clock12(d: Date): string {
  const h = d.getUTCHours();
  const hh = h % 12 === 0 ? 12 : h % 12;
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  const ss = String(d.getUTCSeconds()).padStart(2, '0');
  return `${hh}:${mm}:${ss} ${h < 12 ? 'AM' : 'PM'}`;
}

/** STS `credentials.expiration` and IAM `createDate` in responses: `Nov 2, 2026, 9:46:15 PM`. */
export function formatAwsDateWithComma(sec: number): string {
  const d = new Date(sec * 1000);
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}, ${clock12(d)}`;
}

/** IAM `accessKey.createDate` as CloudTrail renders it: `Nov 2, 2026 9:53:13 PM`. */
export function formatAwsDate(sec: number): string {
  const d = new Date(sec * 1000);
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()} ${clock12(d)}`;
}

/** 0 = Sunday ... 6 = Saturday, for a day number counted from 1970-01-01 (a Thursday). */
export function weekdayOfDayNumber(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

export function isWeekend(day: number): boolean {
  const wd = weekdayOfDayNumber(day);
  return wd === 0 || wd === 6;
}
