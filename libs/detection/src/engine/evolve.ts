import { anomalyId, type Anomaly } from '../anomaly.js';
import { activityRate } from '../baseline/activity-rate.js';
import { authenticationFailures } from '../baseline/authentication-failures.js';
import { updateBaselines } from '../baseline/baseline-update.js';
import { familiarityDetectors } from '../baseline/familiarity.js';
import { impossibleTravel, sharedAccount } from '../baseline/location.js';
import { groupsOfNewSubject, updateMembership } from '../baseline/peers.js';
import { TIME } from '../detection-config.js';
import { deviceOf, type DetectableEvent } from '../event-facts.js';
import { isPublicIp } from '../geo/ip-address.js';
import type { GeoInfo } from '../geo/geo-lookup.js';
import { accessRules } from '../rules/access-rules.js';
import { auditLoggingRules } from '../rules/audit-logging-rules.js';
import { privilegeRules } from '../rules/privilege-rules.js';
import { decideRootSessions, rootSessionRules } from '../rules/root-sessions.js';
import type { AnomalyDraft, DetectionEnvironment, EventContext } from './detection-context.js';
import { newSubject, type DetectionState } from './detection-state.js';

export interface EvolveResult {
  state: DetectionState;
  anomalies: Anomaly[];
}

const RAISED_RETENTION_MS = 3 * TIME.DAY;

/** The watermark: event time up to which the stream is taken to be complete. */
export function watermarkOf(state: DetectionState, env: DetectionEnvironment): number {
  return state.maxEventTime === null ? -Infinity : state.maxEventTime - env.config.allowedLatenessMs;
}

/**
 * Folds one ledger event (in ledger order) into the detection state and returns the
 * anomalies it raised. Deterministic: the result depends only on the state, the event, the
 * configuration and the geo database. For speed the state is updated in place and returned;
 * callers that need the previous state keep a serialized snapshot.
 */
export function evolve(state: DetectionState, event: DetectableEvent, env: DetectionEnvironment): EvolveResult {
  const t = Date.parse(event.time);
  if (!Number.isFinite(t)) return { state, anomalies: [] };
  const watermarkBefore = watermarkOf(state, env);
  const late = t < watermarkBefore;
  state.events++;
  if (state.firstEventTime === null || t < state.firstEventTime) state.firstEventTime = t;
  if (state.maxEventTime === null || t > state.maxEventTime) state.maxEventTime = t;
  const watermark = watermarkOf(state, env);

  const subjectId = event.actor.subject;
  let subject = state.subjects.get(subjectId);
  const previousLastSeen = subject === undefined ? null : subject.lastSeen;
  if (subject === undefined) {
    subject = newSubject(event.actor.kind, t);
    subject.groups = groupsOfNewSubject(state, subjectId);
    state.subjects.set(subjectId, subject);
  }

  const publicIp = event.source.ip !== null && isPublicIp(event.source.ip, env.config.publicIpPolicy) ? event.source.ip : null;
  const ctx: EventContext = {
    event,
    t,
    late,
    env,
    state,
    subject,
    previousLastSeen,
    publicIp,
    geo: publicIp === null ? null : geoOf(event, publicIp, env),
    device: deviceOf(event.source.user_agent),
    success: event.outcome !== 'failure',
    drafts: [],
  };

  accessRules(ctx);
  privilegeRules(ctx);
  auditLoggingRules(ctx);
  rootSessionRules(ctx);

  const organisationWarm = state.firstEventTime <= t - env.config.warmup.organisationMs;
  familiarityDetectors(ctx);
  activityRate(ctx, watermark);
  authenticationFailures(ctx, organisationWarm);
  impossibleTravel(ctx, organisationWarm);
  sharedAccount(ctx, organisationWarm);

  updateBaselines(ctx);
  updateMembership(state, event, subject);
  decideRootSessions(state, env, watermark, event.id, ctx.drafts);

  return { state, anomalies: finalize(state, env, ctx.drafts) };
}

/**
 * Moves the watermark on without an event (a quiet stream still has to decide its root
 * sessions): the service calls it with the wall clock minus the expected delivery delay.
 */
export function advanceWatermark(state: DetectionState, eventTimeMs: number, env: DetectionEnvironment): EvolveResult {
  if (state.maxEventTime === null || eventTimeMs > state.maxEventTime) state.maxEventTime = eventTimeMs;
  const drafts: AnomalyDraft[] = [];
  decideRootSessions(state, env, watermarkOf(state, env), null, drafts);
  return { state, anomalies: finalize(state, env, drafts) };
}

/** End of a replay or of an evaluation: every pending decision is taken now. */
export function drain(state: DetectionState, env: DetectionEnvironment): EvolveResult {
  const drafts: AnomalyDraft[] = [];
  decideRootSessions(state, env, Infinity, null, drafts);
  return { state, anomalies: finalize(state, env, drafts) };
}

function geoOf(event: DetectableEvent, ip: string, env: DetectionEnvironment): GeoInfo | null {
  // an enrichment done at ingestion (same database) is trusted; otherwise look it up
  const given = event.source.geo;
  if (given !== null && given !== undefined && (given.country !== null || given.asn !== null)) {
    return { country: given.country, asn: given.asn, asOrg: given.as_org ?? null };
  }
  return env.geo.lookup(ip);
}

function finalize(state: DetectionState, env: DetectionEnvironment, drafts: AnomalyDraft[]): Anomaly[] {
  if (drafts.length === 0) return [];
  const out: Anomaly[] = [];
  const max = env.config.maxEvidence;
  for (const d of drafts) {
    const evidence = d.evidence.length <= max ? d.evidence : [...d.evidence.slice(0, max - 1), d.evidence[d.evidence.length - 1]];
    const id = anomalyId(d.type, d.subject, evidence);
    if (state.raised.has(id)) continue;
    state.raised.set(id, d.time);
    out.push({
      id,
      type: d.type,
      severity: d.severity,
      subject: d.subject,
      time: new Date(d.time).toISOString(),
      evidence_event_ids: evidence,
      facts: d.facts,
      late: d.late,
      raised_by_event_id: d.raisedBy,
      details: d.details,
    });
  }
  if (state.raised.size > 10_000 && state.events % 1024 === 0 && state.maxEventTime !== null) {
    const horizon = state.maxEventTime - RAISED_RETENTION_MS;
    for (const [id, at] of state.raised) if (at < horizon) state.raised.delete(id);
  }
  return out;
}
