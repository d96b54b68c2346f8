import { TIME } from '../detection-config.js';
import { draft, takeThrottle, type EventContext } from '../engine/detection-context.js';
import type { SubjectState } from '../engine/detection-state.js';
import { actionName, isLogin } from '../event-facts.js';
import { countsList, formatDuration, isoMinute } from '../facts-format.js';
import { isHostingNetwork } from '../geo/network-kind.js';
import { familiar, isWarmedForFamiliarity, warmedPeers } from './peers.js';
import { isSensitiveAction } from './sensitive-actions.js';

/**
 * Detectors that ask "has this subject done this before?": country, network (autonomous
 * system), device, hour of day and sensitive actions. Each judges the event against the
 * baseline as it was before the event, and only successful activity is judged (a refused
 * attempt from abroad is not the subject being abroad).
 *
 * A single novelty is weak evidence; people travel, change internet providers and buy
 * laptops. So novelties corroborate each other:
 * - a new country is explained as travel when the device is one the subject uses and the
 *   country is familiar to the organisation (colleagues work from there);
 * - a new network in a familiar country is raised when the device is new too, or when the
 *   network is a hosting provider (people rarely sit in a data centre);
 * - a new device is raised when it appears from a new network or country.
 */
export function familiarityDetectors(ctx: EventContext): void {
  if (!ctx.success) return;
  const { subject: s, t, env } = ctx;
  const config = env.config;
  const warmed = isWarmedForFamiliarity(s, t, config);
  const lookback = config.lookbackMs;
  const since = t - lookback;
  const geo = ctx.geo;
  // console back-end calls carry no device; judging places on them would lose the device evidence
  const judgePlace = geo !== null && (ctx.device !== null || isLogin(ctx.event));

  let countryNovel = false;
  let networkNovel = false;
  const deviceKnown = ctx.device !== null && familiar(s.devices, ctx.device, t, lookback);
  const peerFacts: string[] = [];

  if (judgePlace && geo.country !== null) {
    if (warmed) countryNovel = !familiar(s.countries, geo.country, t, lookback);
    else {
      const view = warmedPeers(ctx.state, ctx.event.actor.subject, s, t, config);
      if (view.peers.length >= config.peers.minWarmedMembers) {
        countryNovel = !view.peers.some((p) => familiar(p.state.countries, geo.country!, t, lookback));
        if (countryNovel) peerFacts.push(`the subject is not baselined yet; none of its ${view.peers.length} peers (${view.groups.join(', ')}) was active from ${geo.country} in the last ${formatDuration(lookback)}`);
      }
    }
  }
  if (judgePlace && warmed && geo.asn !== null) networkNovel = !familiar(s.networks, geo.asn, t, lookback);

  if (countryNovel) unfamiliarCountry(ctx, geo!.country!, deviceKnown, warmed, peerFacts, since);
  if (networkNovel && !countryNovel && geo!.country !== null && (warmed ? familiar(s.countries, geo!.country, t, lookback) : true)) {
    const hosting = isHostingNetwork(geo!.asOrg);
    if (!deviceKnown || hosting) unfamiliarNetwork(ctx, hosting, deviceKnown, since);
  }
  if (warmed && ctx.device !== null && !deviceKnown && judgePlace && (networkNovel || countryNovel)) unfamiliarDevice(ctx, networkNovel, countryNovel, since);
  if (warmed) unusualHour(ctx);
  if (warmed) firstTimeSensitiveAction(ctx);
}

/** Other subjects who live and work in `country` (it is their most frequent country). */
function colleaguesBasedIn(ctx: EventContext, country: string): number {
  const subjects = ctx.state.orgCountries.get(country);
  if (subjects === undefined) return 0;
  let n = 0;
  const since = ctx.t - ctx.env.config.lookbackMs;
  for (const [id, last] of subjects) {
    if (id === ctx.event.actor.subject || last < since) continue;
    const other = ctx.state.subjects.get(id);
    if (other !== undefined && homeCountry(other, since) === country) n++;
  }
  return n;
}

function unfamiliarCountry(ctx: EventContext, country: string, deviceKnown: boolean, warmed: boolean, peerFacts: string[], since: number): void {
  const s = ctx.subject;
  const colleagues = colleaguesBasedIn(ctx, country);
  // a business trip: a familiar device in a country where colleagues are based
  if (deviceKnown && colleagues >= 2) return;
  if (!takeThrottle(s, `country:${country}`, ctx.t, 24 * TIME.HOUR)) return;
  const facts = [
    `activity from ${country}${ctx.geo?.asOrg ? ` (${ctx.geo.asOrg}, AS${ctx.geo.asn})` : ''}`,
    warmed ? `countries seen for this subject in the last ${formatDuration(ctx.env.config.lookbackMs)}: ${countsList(s.countries.entries(), since)}` : peerFacts.join('; '),
    colleagues === 0 ? `no one in the organisation is based in ${country}` : `${colleagues} other subject${colleagues === 1 ? ' is' : 's are'} based in ${country}`,
    ctx.device === null ? 'no device reported' : deviceKnown ? `device ${ctx.device} is one the subject uses` : `device ${ctx.device} is new for the subject`,
  ];
  draft(ctx, 'unfamiliar_country', deviceKnown ? 'medium' : 'high', [ctx.event.id], facts, {
    country,
    asn: ctx.geo?.asn ?? null,
    device: ctx.device,
    known_countries: [...s.countries.keys()].filter((c) => s.countries.get(c)!.last >= since).sort(),
  });
}

function unfamiliarNetwork(ctx: EventContext, hosting: boolean, deviceKnown: boolean, since: number): void {
  const s = ctx.subject;
  const geo = ctx.geo!;
  if (!takeThrottle(s, `network:${geo.asn}`, ctx.t, 24 * TIME.HOUR)) return;
  const label = (asn: number): string => {
    const n = s.networks.get(asn);
    return `AS${asn}${n?.org ? ` ${n.org}` : ''}`;
  };
  draft(
    ctx,
    'unfamiliar_network',
    hosting ? 'high' : 'medium',
    [ctx.event.id],
    [
      `activity from AS${geo.asn}${geo.asOrg ? ` ${geo.asOrg}` : ''} in ${geo.country}${hosting ? ', a hosting provider rather than a home or office network' : ''}`,
      `networks seen for this subject in the last ${formatDuration(ctx.env.config.lookbackMs)}: ${countsList(s.networks.entries(), since, 5, label)}`,
      ctx.device === null ? 'no device reported' : deviceKnown ? `device ${ctx.device} is one the subject uses` : `device ${ctx.device} is new for the subject`,
    ],
    { asn: geo.asn, as_org: geo.asOrg, country: geo.country, hosting, device: ctx.device },
  );
}

function unfamiliarDevice(ctx: EventContext, networkNovel: boolean, countryNovel: boolean, since: number): void {
  const s = ctx.subject;
  const device = ctx.device!;
  if (!takeThrottle(s, `device:${device}`, ctx.t, 24 * TIME.HOUR)) return;
  const geo = ctx.geo!;
  const where = countryNovel ? `a country new for the subject (${geo.country})` : `a network new for the subject (AS${geo.asn}${geo.asOrg ? ` ${geo.asOrg}` : ''})`;
  draft(
    ctx,
    'unfamiliar_device',
    'medium',
    [ctx.event.id],
    [
      `device ${device}${ctx.event.source.user_agent ? ` (user agent "${ctx.event.source.user_agent.slice(0, 160)}")` : ''} appeared from ${where}`,
      `devices seen for this subject in the last ${formatDuration(ctx.env.config.lookbackMs)}: ${countsList(s.devices.entries(), since)}`,
    ],
    { device, network_novel: networkNovel, country_novel: countryNovel },
  );
}

/** The subject's most frequent country: hours are judged only at home (abroad they shift). */
export function homeCountry(s: SubjectState, since: number): string | null {
  let best: string | null = null;
  let bestN = 0;
  for (const [c, seen] of s.countries) {
    if (seen.last >= since && (seen.n > bestN || (seen.n === bestN && best !== null && c < best))) {
      best = c;
      bestN = seen.n;
    }
  }
  return best;
}

/**
 * Where the subject is for an event: its geolocated country, else (console back-end calls,
 * service-side sources) the country of the subject's last located event within a day.
 */
export function placeOf(s: SubjectState, geoCountry: string | null, t: number): string | null {
  if (geoCountry !== null) return geoCountry;
  for (let i = s.geoPoints.length - 1; i >= 0; i--) {
    const p = s.geoPoints[i];
    if (p.t <= t) return t - p.t <= 24 * TIME.HOUR ? p.country : null;
  }
  return null;
}

export function atHome(s: SubjectState, country: string | null, t: number, lookbackMs: number): boolean {
  if (country === null) return true;
  const home = homeCountry(s, t - lookbackMs);
  return home === null || home === country;
}

function unusualHour(ctx: EventContext): void {
  const s = ctx.subject;
  const config = ctx.env.config;
  if (s.activeDays < config.unusualHour.minActiveDays) return;
  if (!atHome(s, placeOf(s, ctx.geo?.country ?? null, ctx.t), ctx.t, config.lookbackMs)) return;
  const hour = new Date(ctx.t).getUTCHours();
  const around = s.hourDays[(hour + 23) % 24] + s.hourDays[hour] + s.hourDays[(hour + 1) % 24];
  if (around > 0) return;
  if (!takeThrottle(s, 'hour', ctx.t, config.unusualHour.throttleMs)) return;
  const active = s.hourDays.map((days, h) => ({ h, days })).filter((x) => x.days > 0);
  const usual = active.length === 0 ? 'none' : hourRanges(active.map((x) => x.h));
  draft(ctx, 'unusual_hour', 'medium', [ctx.event.id], [
    `activity at ${isoMinute(ctx.t)} (${ctx.event.action})`,
    `over ${s.activeDays} active days this subject has been active (UTC) at ${usual}; never within an hour of ${String(hour).padStart(2, '0')}:00`,
  ], { hour_utc: hour, active_days: s.activeDays, hour_histogram: [...s.hourDays] });
}

/** [7,8,9,13,14] → `07-10h, 13-15h` (UTC hour ranges, end exclusive). */
function hourRanges(hours: number[]): string {
  const out: string[] = [];
  let start = hours[0];
  let prev = hours[0];
  const flush = (): void => {
    out.push(`${String(start).padStart(2, '0')}-${String(prev + 1).padStart(2, '0')}h`);
  };
  for (const h of hours.slice(1)) {
    if (h === prev + 1) {
      prev = h;
      continue;
    }
    flush();
    start = h;
    prev = h;
  }
  flush();
  return out.join(', ');
}

function firstTimeSensitiveAction(ctx: EventContext): void {
  const action = actionName(ctx.event);
  if (!isSensitiveAction(action)) return;
  const s = ctx.subject;
  const { config } = ctx.env;
  if (familiar(s.actions, action, ctx.t, config.lookbackMs)) return;
  const since = ctx.t - config.lookbackMs;
  // routine for the peer group?
  const view = warmedPeers(ctx.state, ctx.event.actor.subject, s, ctx.t, config);
  const peersDoingIt = view.peers.filter((p) => familiar(p.state.actions, action, ctx.t, config.lookbackMs)).length;
  if (view.peers.length >= config.peers.minWarmedMembers && peersDoingIt / view.peers.length >= config.peers.routineShare) return;
  // routine for the organisation?
  const doers = ctx.state.orgActions.get(action);
  let others = 0;
  if (doers !== undefined) for (const [id, last] of doers) if (id !== ctx.event.actor.subject && last >= since) others++;
  const warmedTotal = countWarmed(ctx);
  if (others >= config.peers.organisationRoutineSubjects && warmedTotal > 0 && others / warmedTotal >= config.peers.organisationRoutineShare) return;
  if (!takeThrottle(s, `action:${action}`, ctx.t, 24 * TIME.HOUR)) return;
  draft(ctx, 'first_time_sensitive_action', 'medium', [ctx.event.id], [
    `${action} is sensitive and this subject has not performed it in the last ${formatDuration(config.lookbackMs)} (${s.actions.size} distinct actions seen over ${s.activeDays} active days)`,
    view.peers.length > 0 ? `${peersDoingIt} of ${view.peers.length} peers performed it in that period` : 'the subject has no baselined peer group',
    `${others} other subject${others === 1 ? '' : 's'} in the organisation performed it in that period`,
  ], { action, target: ctx.event.target?.id ?? null, peers: view.peers.length, peers_doing_it: peersDoingIt, organisation_doers: others });
}

function countWarmed(ctx: EventContext): number {
  let n = 0;
  for (const s of ctx.state.subjects.values()) if (isWarmedForFamiliarity(s, ctx.t, ctx.env.config)) n++;
  return n;
}
