import { describe, expect, it } from 'vitest';
import type { LedgerEvent } from '#domain';
import type { StoredEvent } from '#event-store';
import { evolveSubjects } from './subjects.projection.js';

let position = 0;
function stored(subject: string, time: string, overrides: Partial<LedgerEvent> = {}): StoredEvent {
  return {
    position: position++,
    idCollision: false,
    reattribution: null,
    event: {
      schema_version: 'v1',
      id: `e${position}`,
      category: 'activity',
      type: 'activity.api_call',
      time,
      received_at: time,
      actor: { subject, principal: subject, kind: 'human', via: null, attribution: 'direct' },
      authentication: null,
      action: 's3:GetObject',
      target: null,
      outcome: 'success',
      outcome_reason: null,
      source: { ip: null, service: null, user_agent: null, host: null, geo: null },
      origin: { system: 'test', account: null, region: null, kafka: null },
      raw: '{}',
      ...overrides,
    },
  };
}

describe('evolveSubjects', () => {
  it('summarises each subject in event time, whatever the arrival order', () => {
    const [alice, root] = evolveSubjects([
      stored('alice', '2026-11-02T10:00:00.000Z', { action: 'late' }),
      stored('alice', '2026-11-02T08:00:00.000Z', { outcome: 'failure', action: 'early' }),
      stored('root', '2026-11-02T09:00:00.000Z', { actor: { subject: 'root', principal: 'root', kind: 'root', via: null, attribution: 'direct' } }),
    ]);
    expect(alice).toMatchObject({ subject: 'alice', events: 2, failures: 1, firstSeen: '2026-11-02T08:00:00.000Z', lastSeen: '2026-11-02T10:00:00.000Z', lastAction: 'late', kinds: ['human'] });
    expect(root).toMatchObject({ subject: 'root', events: 1, rootEvents: 1, kinds: ['root'] });
  });

  it('moves a re-attributed event from the subject it was stored under to the resolved one', () => {
    const record = stored('bob', '2026-11-02T10:00:00.000Z', {
      type: 'identity.attribution.resolved',
      raw: JSON.stringify({ previous: { subject: 'session' }, resolved: { subject: 'bob' } }),
    });
    const deltas = evolveSubjects([record]);
    expect(deltas.find((d) => d.subject === 'session')!.events).toBe(-1);
    expect(deltas.find((d) => d.subject === 'bob')!.events).toBe(2);
  });
});
