import type { PoolClient, StoredEvent } from '#event-store';
import type { Projection } from './projection.js';

export interface SubjectDelta {
  subject: string;
  kinds: string[];
  events: number;
  failures: number;
  firstSeen: string;
  lastSeen: string;
  lastAction: string;
  rootEvents: number;
}

/**
 * Pure: the per-subject activity a batch of events adds (event time decides first/last
 * seen). A recorded re-attribution moves the earlier event's count from the subject it was
 * stored under to the subject it was resolved to.
 */
export function evolveSubjects(events: readonly StoredEvent[]): SubjectDelta[] {
  const bySubject = new Map<string, SubjectDelta>();
  const deltaOf = (subject: string, time: string, action: string) => {
    let delta = bySubject.get(subject);
    if (!delta) {
      delta = { subject, kinds: [], events: 0, failures: 0, firstSeen: time, lastSeen: time, lastAction: action, rootEvents: 0 };
      bySubject.set(subject, delta);
    }
    return delta;
  };
  for (const { event } of events) {
    if (event.type === ATTRIBUTION_RESOLVED) {
      const moved = movedSubjects(event.raw);
      if (moved) {
        deltaOf(moved.from, event.time, event.action).events--;
        deltaOf(moved.to, event.time, event.action).events++;
      }
    }
    const subject = event.actor.subject;
    const delta = deltaOf(subject, event.time, event.action);
    if (!delta.kinds.includes(event.actor.kind)) delta.kinds.push(event.actor.kind);
    delta.events++;
    if (event.outcome === 'failure') delta.failures++;
    if (event.actor.kind === 'root') delta.rootEvents++;
    if (event.time < delta.firstSeen) delta.firstSeen = event.time;
    if (event.time >= delta.lastSeen) {
      delta.lastSeen = event.time;
      delta.lastAction = event.action;
    }
  }
  return [...bySubject.values()].map((d) => ({ ...d, kinds: d.kinds.sort() }));
}

const ATTRIBUTION_RESOLVED = 'identity.attribution.resolved';

function movedSubjects(raw: string): { from: string; to: string } | null {
  try {
    const record = JSON.parse(raw) as { previous?: { subject?: unknown }; resolved?: { subject?: unknown } };
    const from = record.previous?.subject;
    const to = record.resolved?.subject;
    return typeof from === 'string' && typeof to === 'string' && from !== to ? { from, to } : null;
  } catch {
    return null;
  }
}

const UPSERT_SUBJECTS = `
  INSERT INTO projection_subjects AS p (subject, kinds, events, failures, first_seen, last_seen, last_action, root_events)
  SELECT subject, string_to_array(kinds, ','), events, failures, first_seen, last_seen, last_action, root_events
  FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::timestamptz[], $6::timestamptz[], $7::text[], $8::bigint[])
    AS d(subject, kinds, events, failures, first_seen, last_seen, last_action, root_events)
  ON CONFLICT (subject) DO UPDATE SET
    kinds = ARRAY(SELECT DISTINCT k FROM unnest(p.kinds || EXCLUDED.kinds) AS k ORDER BY k),
    events = p.events + EXCLUDED.events,
    failures = p.failures + EXCLUDED.failures,
    first_seen = LEAST(p.first_seen, EXCLUDED.first_seen),
    last_action = CASE WHEN EXCLUDED.last_seen >= p.last_seen THEN EXCLUDED.last_action ELSE p.last_action END,
    last_seen = GREATEST(p.last_seen, EXCLUDED.last_seen),
    root_events = p.root_events + EXCLUDED.root_events`;

export const subjectsProjection: Projection<SubjectDelta[]> = {
  name: 'subjects',
  tables: ['projection_subjects'],
  evolve: evolveSubjects,
  async write(client: PoolClient, deltas: SubjectDelta[]) {
    if (deltas.length === 0) return;
    await client.query(UPSERT_SUBJECTS, [
      deltas.map((d) => d.subject),
      deltas.map((d) => d.kinds.join(',')),
      deltas.map((d) => d.events),
      deltas.map((d) => d.failures),
      deltas.map((d) => d.firstSeen),
      deltas.map((d) => d.lastSeen),
      deltas.map((d) => d.lastAction),
      deltas.map((d) => d.rootEvents),
    ]);
  },
};
