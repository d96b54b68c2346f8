import { describe, expect, it } from 'vitest';
import { detectAll, DetectionEngine } from './detection-engine.js';
import { ALICE, BOB, CHROME_MAC, EDGE_WINDOWS, PLACES, ROOT, TEST_OPTIONS, event, routine } from '../testing/test-events.js';
import type { DetectableEvent } from '../event-facts.js';

const MIN = 60_000;
const T = Date.parse('2026-03-04T10:00:00Z');

/** A month of history for alice, then a sign-in from Brazil on a new device and a root session. */
function history(): DetectableEvent[] {
  return [
    ...routine({ until: T }),
    event({ id: 'br', time: T, ip: PLACES.saoPaulo, userAgent: EDGE_WINDOWS, type: 'authentication.login', action: 'signin:ConsoleLogin', mfa: true }),
    event({ id: 'root-1', time: T + 5 * MIN, subject: ROOT, kind: 'root' }),
    event({ id: 'root-2', time: T + 10 * MIN, subject: ROOT, kind: 'root', action: 'iam:ListUsers' }),
    event({ id: 'later', time: T + 3 * 3_600_000 }),
  ];
}

describe('determinism', () => {
  it('replaying the same history gives the same anomalies, byte for byte', () => {
    const first = JSON.stringify(detectAll(history(), TEST_OPTIONS));
    const second = JSON.stringify(detectAll(history(), TEST_OPTIONS));
    expect(first).toBe(second);
    expect(JSON.parse(first).length).toBeGreaterThan(2);
  });

  it('continuing from a serialized snapshot gives what an uninterrupted run gives', () => {
    const events = history();
    const whole = new DetectionEngine(TEST_OPTIONS);
    const expected = [...events.flatMap((e) => whole.process(e)), ...whole.drain()];
    const split = events.length - 3;
    const a = new DetectionEngine(TEST_OPTIONS);
    const got = events.slice(0, split).flatMap((e) => a.process(e));
    const b = DetectionEngine.restore(a.snapshot(), TEST_OPTIONS);
    got.push(...events.slice(split).flatMap((e) => b.process(e)), ...b.drain());
    expect(JSON.stringify(got)).toBe(JSON.stringify(expected));
  });

  it('ids are stable digests of type, subject and evidence; a duplicate delivery raises nothing new', () => {
    const login = event({ id: 'l', time: T, type: 'authentication.login', action: 'signin:ConsoleLogin', mfa: false, userAgent: CHROME_MAC });
    const engine = new DetectionEngine(TEST_OPTIONS);
    const first = engine.process(login);
    expect(first).toHaveLength(1);
    expect(first[0].id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(engine.process(login)).toEqual([]);
  });
});

describe('late and out-of-order events', () => {
  it('a late event lands in its window and the detection it completes is marked late', () => {
    const engine = new DetectionEngine({ ...TEST_OPTIONS, config: { ...TEST_OPTIONS.config, warmup: { organisationMs: 0 } } });
    const fail = (i: number, t: number) => event({ id: `f${i}`, time: t, subject: BOB, type: 'authentication.login', action: 'signin:ConsoleLogin', outcome: 'failure', mfa: 'unknown' });
    for (let i = 0; i < 4; i++) expect(engine.process(fail(i, T + i * MIN))).toEqual([]);
    // the stream moves on 40 minutes; the fifth failure of the same window arrives late
    engine.process(event({ id: 'x', time: T + 40 * MIN, subject: ALICE }));
    const late = engine.process(fail(4, T + 4 * MIN));
    expect(late).toHaveLength(1);
    expect(late[0].type).toBe('failed_login_burst');
    expect(late[0].late).toBe(true);
    expect(late[0].time).toBe(new Date(T + 4 * MIN).toISOString());
    expect(late[0].evidence_event_ids).toEqual(['f0', 'f1', 'f2', 'f3', 'f4']);
  });

  it('an on-time completion is not marked late', () => {
    const engine = new DetectionEngine({ ...TEST_OPTIONS, config: { ...TEST_OPTIONS.config, warmup: { organisationMs: 0 } } });
    const out = [0, 1, 2, 3, 4].flatMap((i) => engine.process(event({ id: `f${i}`, time: T + i * MIN, subject: BOB, type: 'authentication.login', action: 'signin:ConsoleLogin', outcome: 'failure' })));
    expect(out.map((a) => [a.type, a.late])).toEqual([['failed_login_burst', false]]);
  });

  it('out-of-order delivery within the allowed lateness gives the same anomalies as event-time order', () => {
    const events = history();
    const shuffled = [...events];
    // swap neighbours: each event moves by less than the allowed lateness
    for (let i = 0; i + 1 < shuffled.length; i += 2) if (Date.parse(shuffled[i + 1].time) - Date.parse(shuffled[i].time) < 2 * MIN) [shuffled[i], shuffled[i + 1]] = [shuffled[i + 1], shuffled[i]];
    const norm = (list: ReturnType<typeof detectAll>) => list.map((a) => `${a.type}|${a.subject}|${a.evidence_event_ids.join(',')}`).sort();
    expect(norm(detectAll(shuffled, TEST_OPTIONS))).toEqual(norm(detectAll(events, TEST_OPTIONS)));
  });
});

describe('two-person rule: root_session_unwitnessed', () => {
  const root = (id: string, t: number) => event({ id, time: t, subject: ROOT, kind: 'root' });
  const witness = (id: string, t: number, names: string, by = BOB) =>
    event({ id, time: t, subject: by, type: 'activity.accountability.witness', action: 'accountability:witness', target: { type: 'ledger::RootSession', id: names }, system: 'ledger' });

  it('is decided only when the watermark passes the window after the session, then raised with the session as evidence', () => {
    const engine = new DetectionEngine(TEST_OPTIONS);
    expect(engine.process(root('r1', T)).map((a) => a.type)).toEqual(['root_account_used']);
    expect(engine.process(root('r2', T + 10 * MIN))).toEqual([]);
    // 30 minutes after the last root action, still within the window (watermark lags 2 minutes)
    expect(engine.process(event({ id: 'a', time: T + 41 * MIN }))).toEqual([]);
    const decided = engine.process(event({ id: 'b', time: T + 43 * MIN }));
    expect(decided.map((a) => a.type)).toEqual(['root_session_unwitnessed']);
    expect(decided[0].evidence_event_ids).toEqual(['r1', 'r2']);
    expect(decided[0].raised_by_event_id).toBe('b');
    expect(decided[0].time).toBe(new Date(T).toISOString());
  });

  it('a witness from a second person naming the root (or the session) within the window prevents it', () => {
    expect(detectAll([root('r1', T), witness('w', T + 20 * MIN, ROOT), event({ id: 'z', time: T + 3 * 3_600_000 })], TEST_OPTIONS).map((a) => a.type)).toEqual(['root_account_used']);
    const sessionId = `root-session:${ROOT}:r1`;
    expect(detectAll([witness('w0', T - 10 * MIN, sessionId), root('r1', T)], TEST_OPTIONS).map((a) => a.type)).toEqual(['root_account_used']);
  });

  it('a witness outside the window, by the root itself, or naming something else does not count', () => {
    const unwitnessed = (w: DetectableEvent) => detectAll([root('r1', T), w], TEST_OPTIONS).some((a) => a.type === 'root_session_unwitnessed');
    expect(unwitnessed(witness('late', T + 90 * MIN, ROOT))).toBe(true);
    expect(unwitnessed(witness('self', T + 5 * MIN, ROOT, ROOT))).toBe(true);
    expect(unwitnessed(witness('other', T + 5 * MIN, 'arn:aws:iam::999999999999:root'))).toBe(true);
  });

  it('an idle stream decides through advanceTo, and the window is a parameter', () => {
    const engine = new DetectionEngine({ ...TEST_OPTIONS, config: { ...TEST_OPTIONS.config, rootSession: { witnessWindowMs: 60 * MIN, gapMs: 30 * MIN } } });
    engine.process(root('r1', T));
    expect(engine.advanceTo(T + 45 * MIN)).toEqual([]);
    const out = engine.advanceTo(T + 63 * MIN);
    expect(out.map((a) => [a.type, a.raised_by_event_id])).toEqual([['root_session_unwitnessed', null]]);
  });
});
