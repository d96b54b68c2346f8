import { TIME } from '../detection-config.js';
import { draft, takeThrottle, type EventContext } from '../engine/detection-context.js';
import type { GeoPoint, SourceSeen } from '../engine/detection-state.js';
import { formatDuration, isoMinute, round } from '../facts-format.js';
import { minimumDistanceKm } from '../geo/country-locations.js';

/**
 * Where a subject is, from public source addresses only (trap 2: service sources and private
 * ranges never get here). `impossible_travel`: two successive places (by event time, so a
 * late event is put between its neighbours) that nobody could travel between in the time
 * between them; the distance is the least possible between the two countries. And
 * `shared_account_suspected`: one identity active at the same time from two different
 * networks, which one person at one keyboard does not do.
 */
const POINT_RETENTION_MS = 26 * TIME.HOUR;
const MIN_INTERVAL_MS = TIME.MINUTE;

export function impossibleTravel(ctx: EventContext, organisationWarm: boolean): void {
  const geo = ctx.geo;
  if (geo === null || geo.country === null || ctx.publicIp === null || !ctx.success) return;
  const s = ctx.subject;
  const point: GeoPoint = { t: ctx.t, country: geo.country, id: ctx.event.id, ip: ctx.publicIp };
  const points = s.geoPoints;
  // insert in event-time order
  let i = points.length;
  while (i > 0 && points[i - 1].t > point.t) i--;
  const before = i > 0 ? points[i - 1] : null;
  const after = i < points.length ? points[i] : null;
  // keep one point per country run: the latest of a run is what a journey starts from
  if (before !== null && before.country === point.country && after === null) points[i - 1] = point;
  else points.splice(i, 0, point);
  while (points.length > 0 && points[0].t < ctx.t - POINT_RETENTION_MS && points.length > 1) points.shift();
  if (points.length > 32) points.splice(0, points.length - 32);
  if (!organisationWarm) return;
  for (const other of [before, after]) {
    if (other === null || other.country === point.country) continue;
    const [from, to] = other.t <= point.t ? [other, point] : [point, other];
    judge(ctx, from, to);
  }
}

function judge(ctx: EventContext, from: GeoPoint, to: GeoPoint): void {
  const distance = minimumDistanceKm(from.country, to.country);
  if (distance === null || distance <= 0) return;
  const hours = Math.max(to.t - from.t, MIN_INTERVAL_MS) / TIME.HOUR;
  const speed = distance / hours;
  const max = ctx.env.config.travel.maxSpeedKmh;
  if (speed <= max) return;
  if (!takeThrottle(ctx.subject, `travel:${from.country}>${to.country}`, to.t, 6 * TIME.HOUR)) return;
  draft(ctx, 'impossible_travel', 'high', [from.id, to.id], [
    `${from.country} (${from.ip}) at ${isoMinute(from.t)}, then ${to.country} (${to.ip}) at ${isoMinute(to.t)}: ${formatDuration(to.t - from.t)} apart`,
    `at least ${Math.round(distance)} km between the two countries: ${Math.round(speed)} km/h, faster than the ${max} km/h of a flight`,
  ], { from: from.country, to: to.country, min_distance_km: Math.round(distance), hours: round(hours, 3), speed_kmh: Math.round(speed) });
}

function sourceKey(ctx: EventContext): string {
  const geo = ctx.geo;
  if (geo?.asn != null) return `as${geo.asn}`;
  if (geo?.country != null) return `cc:${geo.country}`;
  return `ip:${ctx.publicIp}`;
}

export function sharedAccount(ctx: EventContext, organisationWarm: boolean): void {
  if (ctx.publicIp === null || !ctx.success) return;
  const s = ctx.subject;
  const window = ctx.env.config.sharedAccount.concurrencyMs;
  const key = sourceKey(ctx);
  const t = ctx.t;
  s.sources = s.sources.filter((x) => x.last > t - 2 * window || x.key === key);
  let mine = s.sources.find((x) => x.key === key);
  const concurrent = s.sources.filter((x) => x.key !== key && t >= x.first - window && t <= x.last + window);
  if (mine === undefined) {
    mine = { key, country: ctx.geo?.country ?? null, asn: ctx.geo?.asn ?? null, ip: ctx.publicIp, device: ctx.device, first: t, last: t, firstId: ctx.event.id, lastId: ctx.event.id };
    s.sources.push(mine);
  } else if (t > mine.last + 2 * window) {
    // the same network again after a long pause is a new session from it
    Object.assign(mine, { first: t, last: t, firstId: ctx.event.id, lastId: ctx.event.id, ip: ctx.publicIp, device: ctx.device });
  } else {
    if (t > mine.last) {
      mine.last = t;
      mine.lastId = ctx.event.id;
      mine.ip = ctx.publicIp;
      if (ctx.device !== null) mine.device = ctx.device;
    }
    if (t < mine.first) {
      mine.first = t;
      mine.firstId = ctx.event.id;
    }
  }
  if (!organisationWarm || concurrent.length === 0) return;
  const other = concurrent.sort((a, b) => b.last - a.last || (a.key < b.key ? -1 : 1))[0];
  const pair = [other.key, key].sort().join('+');
  if (!takeThrottle(s, `shared:${pair}`, t, 24 * TIME.HOUR)) return;
  draft(ctx, 'shared_account_suspected', 'high', [other.lastId, ctx.event.id], [
    `active from ${describe(other)} until ${isoMinute(other.last)} and from ${describe(mine)} at ${isoMinute(t)}: two networks within ${formatDuration(window)}`,
    other.device !== null && ctx.device !== null && other.device !== ctx.device ? `with two different devices: ${other.device} and ${ctx.device}` : 'one identity used from two places at once destroys attribution (who did what?)',
  ], { sources: [summary(other), summary(mine)], window_ms: window });
}

function describe(x: SourceSeen): string {
  return `${x.ip}${x.asn !== null ? ` (AS${x.asn}` : ' ('}${x.country !== null ? `${x.asn !== null ? ', ' : ''}${x.country})` : ')'}`;
}

function summary(x: SourceSeen): Record<string, unknown> {
  return { ip: x.ip, asn: x.asn, country: x.country, device: x.device };
}
