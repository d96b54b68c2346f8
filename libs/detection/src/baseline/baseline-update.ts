import { TIME } from '../detection-config.js';
import type { EventContext } from '../engine/detection-context.js';
import type { Seen } from '../engine/detection-state.js';
import { actionName, isLogin } from '../event-facts.js';
import { atHome, placeOf } from './familiarity.js';
import { isSensitiveAction } from './sensitive-actions.js';

const RECENT_DAYS = 45;

function bump<K>(map: Map<K, Seen>, key: K, t: number): Seen {
  const s = map.get(key);
  if (s === undefined) {
    const fresh = { n: 1, first: t, last: t };
    map.set(key, fresh);
    return fresh;
  }
  s.n++;
  if (t > s.last) s.last = t;
  if (t < s.first) s.first = t;
  return s;
}

/**
 * Teaches the baselines what this event shows, after the detectors have judged it. Only
 * successful activity teaches familiarity: a refused attempt from somewhere is not the
 * subject being there.
 */
export function updateBaselines(ctx: EventContext): void {
  const { subject: s, t, event: e } = ctx;
  s.events++;
  s.kind = e.actor.kind;
  if (t > s.lastSeen) s.lastSeen = t;
  if (t < s.firstSeen) s.firstSeen = t;
  if (s.throttles.size > 64) for (const [k, at] of s.throttles) if (at < t - 2 * TIME.DAY) s.throttles.delete(k);
  if (!ctx.success) return;

  const day = Math.floor(t / TIME.DAY);
  const days = s.recentDays;
  if (!days.includes(day) && (days.length < RECENT_DAYS || day > days[0])) {
    let i = days.length;
    while (i > 0 && days[i - 1] > day) i--;
    days.splice(i, 0, day);
    if (days.length > RECENT_DAYS) days.shift();
    s.activeDays++;
  }

  const geo = ctx.geo;
  if (geo !== null && (ctx.device !== null || isLogin(e))) {
    if (geo.country !== null) {
      bump(s.countries, geo.country, t);
      let org = ctx.state.orgCountries.get(geo.country);
      if (org === undefined) {
        org = new Map();
        ctx.state.orgCountries.set(geo.country, org);
      }
      if ((org.get(e.actor.subject) ?? -Infinity) < t) org.set(e.actor.subject, t);
    }
    if (geo.asn !== null) {
      const seen = s.networks.get(geo.asn);
      if (seen === undefined) s.networks.set(geo.asn, { n: 1, first: t, last: t, org: geo.asOrg, country: geo.country });
      else bump(s.networks, geo.asn, t);
    }
  }
  if (ctx.device !== null) bump(s.devices, ctx.device, t);

  if (atHome(s, placeOf(s, geo?.country ?? null, t), t, ctx.env.config.lookbackMs)) {
    const h = new Date(t).getUTCHours();
    if (day > s.hourLastDay[h]) {
      s.hourDays[h]++;
      s.hourLastDay[h] = day;
    }
  }

  const action = actionName(e);
  bump(s.actions, action, t);
  if (isSensitiveAction(action)) {
    let doers = ctx.state.orgActions.get(action);
    if (doers === undefined) {
      doers = new Map();
      ctx.state.orgActions.set(action, doers);
    }
    if ((doers.get(e.actor.subject) ?? -Infinity) < t) doers.set(e.actor.subject, t);
  }
}
