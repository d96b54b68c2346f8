import type { AnomalyDraft, DetectionEnvironment, EventContext } from '../engine/detection-context.js';
import type { DetectionState, RootSession } from '../engine/detection-state.js';
import { isAuthenticationAttempt, type DetectableEvent } from '../event-facts.js';
import { formatDuration, isoMinute } from '../facts-format.js';

/**
 * Root use and the two-person rule (DESIGN 1, 7).
 *
 * A root session is the root user's activity in one account with no gap longer than
 * `rootSession.gapMs` between events (event time). Its first event raises
 * `root_account_used`. The session is witnessed when a second person records an
 * `accountability.witness` event naming it (its session id, or the root subject) between
 * `witnessWindowMs` before its first event and `witnessWindowMs` after its last. Whether a
 * witness came can only be known once that window has passed, so the decision is taken when
 * the watermark passes `last + max(gap, window)`; an unwitnessed session then raises
 * `root_session_unwitnessed` with the session's events as evidence.
 *
 * Ledger order is not event-time order: each event category travels on its own Kafka topic
 * and partitions are consumed independently, so a session's sign-in or read-only calls can
 * reach the ledger long after a later call from the same session, even after the session
 * was decided. Such an event still joins its session; when it moves the session's start or
 * end, the decision is taken again over the whole session (a second, complete
 * `root_session_unwitnessed` that names what the earlier one saw; anomalies are append-only).
 */
const MAX_SESSION_EVIDENCE = 200;
/** Decided sessions are kept this long past their deadline so that late root events join them. */
const DECIDED_RETENTION_MS = 6 * 3_600_000;

export function isWitnessEvent(event: DetectableEvent): boolean {
  return event.type === 'accountability.witness' || event.type.endsWith('.accountability.witness') || event.action === 'accountability:witness';
}

function isRootActivity(event: DetectableEvent): boolean {
  if (event.actor.kind !== 'root') return false;
  // a sign-in that failed is not root use (the failure counts towards failed_login_burst)
  return !(isAuthenticationAttempt(event) && event.outcome === 'failure');
}

export function rootSessionRules(ctx: EventContext): void {
  const e = ctx.event;
  if (isWitnessEvent(e)) recordWitness(ctx);
  if (isRootActivity(e)) joinSession(ctx);
}

function deadline(session: RootSession, env: DetectionEnvironment): number {
  const c = env.config.rootSession;
  return session.last + Math.max(c.gapMs, c.witnessWindowMs);
}

function joinSession(ctx: EventContext): void {
  const { state, env, event: e, t } = ctx;
  const gap = env.config.rootSession.gapMs;
  const subject = e.actor.subject;
  let session = state.rootSessions.find((s) => s.subject === subject && t >= s.start - gap && t <= s.last + gap);
  if (session !== undefined) {
    if (session.eventIds.includes(e.id)) return; // delivered twice: the same event
    const widens = t < session.start || t > session.last;
    session.start = Math.min(session.start, t);
    session.last = Math.max(session.last, t);
    session.events++;
    if (session.eventIds.length < MAX_SESSION_EVIDENCE) session.eventIds.push(e.id);
    if (ctx.late) session.late = true;
    // decided unwitnessed before this event arrived: the window moved, so decide it again
    if (session.decided && session.witnessIds.length === 0 && widens) {
      session.decided = false;
      for (const w of state.witnesses) if (witnesses(w, session, env)) session.witnessIds.push(w.id);
    }
    return;
  }
  session = { id: `root-session:${subject}:${e.id}`, subject, start: t, last: t, eventIds: [e.id], events: 1, via: e.actor.via, witnessIds: [], decided: false, late: ctx.late };
  for (const w of state.witnesses) if (witnesses(w, session, env)) session.witnessIds.push(w.id);
  state.rootSessions.push(session);

  const delegated = e.actor.via !== null;
  const previous = ctx.previousLastSeen;
  const facts = [
    delegated
      ? `the root user acted through ${e.actor.via} (${e.action}): still root use, attributed to the account's root`
      : `the account's root user was used directly (${e.action}), not a person's own identity`,
    previousRootUse(previous, t),
    `root session ${session.id}: a second person should record an accountability.witness event for it`,
  ];
  ctx.drafts.push({
    type: 'root_account_used',
    severity: delegated ? 'medium' : 'high',
    subject,
    time: t,
    evidence: [e.id],
    facts,
    details: { session_id: session.id, via: e.actor.via, action: e.action },
    late: ctx.late,
    raisedBy: e.id,
  });
}

/**
 * What is known of earlier root use when this event opens a session. Only what has reached
 * the ledger: an earlier event of the same session may still be delivered late.
 */
function previousRootUse(previous: number | null, t: number): string {
  if (previous === null) return 'first root activity to reach the ledger for this root user';
  if (previous > t) return `root activity at ${isoMinute(previous)} had already reached the ledger: this event was delivered late`;
  return `previous root activity: ${isoMinute(previous)} (${formatDuration(t - previous)} earlier)`;
}

function eventCount(n: number): string {
  return `${n} event${n === 1 ? '' : 's'}`;
}

function witnesses(w: { t: number; names: string; witness: string }, s: RootSession, env: DetectionEnvironment): boolean {
  const window = env.config.rootSession.witnessWindowMs;
  if (w.witness === s.subject) return false; // the root cannot witness itself
  if (w.names !== s.id && w.names !== s.subject) return false;
  return w.t >= s.start - window && w.t <= s.last + window;
}

function recordWitness(ctx: EventContext): void {
  const e = ctx.event;
  const names = e.target?.id ?? null;
  // a witness is a second person: an identified human, not the root and not a service
  if (names === null || e.actor.kind === 'root' || e.actor.kind === 'service' || !ctx.success) return;
  const w = { t: ctx.t, id: e.id, witness: e.actor.subject, names };
  ctx.state.witnesses.push(w);
  for (const s of ctx.state.rootSessions) if (!s.decided && witnesses(w, s, ctx.env)) s.witnessIds.push(e.id);
}

/**
 * Decides the sessions whose witness window has passed the watermark (all of them when
 * `watermark` is +Infinity, at the end of a replay), and forgets what can no longer matter.
 */
export function decideRootSessions(state: DetectionState, env: DetectionEnvironment, watermark: number, raisedBy: string | null, out: AnomalyDraft[]): void {
  const window = env.config.rootSession.witnessWindowMs;
  for (const s of state.rootSessions) {
    if (s.decided || deadline(s, env) > watermark) continue;
    s.decided = true;
    if (s.witnessIds.length > 0) continue;
    const earlier = s.decidedAs ?? null;
    const facts = [
      `root session from ${isoMinute(s.start)} to ${isoMinute(s.last)} (${eventCount(s.events)}) had no witness`,
      `no accountability.witness event from a second person named it between ${formatDuration(window)} before its start and ${formatDuration(window)} after its last action`,
    ];
    if (earlier !== null) {
      facts.push(`decided again: root events of the session reached the ledger after it was decided on ${eventCount(earlier.events)} from ${isoMinute(earlier.start)} to ${isoMinute(earlier.last)}`);
    }
    s.decidedAs = { start: s.start, last: s.last, events: s.events };
    out.push({
      type: 'root_session_unwitnessed',
      severity: s.via !== null ? 'medium' : 'high',
      subject: s.subject,
      time: s.start,
      // a copy: later events of the session must not change an anomaly already raised
      evidence: [...s.eventIds],
      facts,
      details: {
        session_id: s.id,
        start: new Date(s.start).toISOString(),
        last: new Date(s.last).toISOString(),
        events: s.events,
        window_ms: window,
        ...(earlier === null ? {} : { supersedes: { start: new Date(earlier.start).toISOString(), last: new Date(earlier.last).toISOString(), events: earlier.events } }),
      },
      late: s.late,
      raisedBy,
    });
  }
  if (Number.isFinite(watermark)) {
    state.rootSessions = state.rootSessions.filter((s) => !s.decided || deadline(s, env) + DECIDED_RETENTION_MS > watermark);
    const horizon = env.config.rootSession.gapMs + 2 * window + DECIDED_RETENTION_MS;
    state.witnesses = state.witnesses.filter((w) => w.t + horizon > watermark);
  }
}
