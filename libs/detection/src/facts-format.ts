/** Small formatters that keep the facts readable and identical on every machine (no Intl). */
export function formatDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 90) return `${minutes} min`;
  const hours = ms / 3_600_000;
  if (hours < 48) return `${Math.round(hours * 10) / 10} h`;
  return `${Math.round(hours / 24)} days`;
}

export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function isoMinute(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `DE (41), GB (3)`: the most frequent first, then alphabetical, at most `limit`. */
export function countsList<K>(entries: Iterable<[K, { n: number; last: number }]>, since: number, limit = 6, label: (k: K) => string = String): string {
  const list = [...entries].filter(([, s]) => s.last >= since).sort((a, b) => b[1].n - a[1].n || (label(a[0]) < label(b[0]) ? -1 : 1));
  if (list.length === 0) return 'none';
  const shown = list.slice(0, limit).map(([k, s]) => `${label(k)} (${s.n})`);
  if (list.length > limit) shown.push(`${list.length - limit} more`);
  return shown.join(', ');
}

export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
