import { describe, expect, it } from 'vitest';
import type { Anomaly } from '../anomaly.js';
import { DetectionEngine, detectAll } from '../engine/detection-engine.js';
import type { DetectableEvent } from '../event-facts.js';
import { ALICE, CHROME_MAC, ROOT, TEST_OPTIONS, event } from '../testing/test-events.js';

/** The reported timeline: a root console sign-in, two read-only calls, then a root access key. */
const at = (hms: string) => Date.parse(`2026-11-02T${hms}Z`);
const signIn = event({ id: 'signin', time: at('20:29:33'), subject: ROOT, kind: 'root', type: 'authentication.login', action: 'signin:ConsoleLogin', userAgent: CHROME_MAC, mfa: false });
const summary = event({ id: 'summary', time: at('20:30:11'), subject: ROOT, kind: 'root', action: 'iam:GetAccountSummary' });
const listKeys = event({ id: 'list-keys', time: at('20:31:40'), subject: ROOT, kind: 'root', action: 'iam:ListAccessKeys' });
const createKey = event({
  id: 'create-key',
  time: at('20:34:20'),
  subject: ROOT,
  kind: 'root',
  type: 'identity.access_key.created',
  action: 'iam:CreateAccessKey',
  target: { type: 'AWS::IAM::Root', id: ROOT },
});
/** Someone else's activity two hours later: it moves the watermark past the session's window. */
const later = event({ id: 'later', time: at('22:40:00'), subject: ALICE });

const ofType = (anomalies: Anomaly[], type: string) => anomalies.filter((a) => a.type === type);

describe('root sessions: sign-in and read-only calls belong to the session', () => {
  it('in event-time order the session starts at the sign-in and counts all four events', () => {
    const anomalies = detectAll([signIn, summary, listKeys, createKey, later], TEST_OPTIONS);
    const used = ofType(anomalies, 'root_account_used');
    expect(used.map((a) => [a.time, a.evidence_event_ids])).toEqual([[new Date(at('20:29:33')).toISOString(), ['signin']]]);
    expect(used[0].details.session_id).toBe(`root-session:${ROOT}:signin`);
    const unwitnessed = ofType(anomalies, 'root_session_unwitnessed');
    expect(unwitnessed).toHaveLength(1);
    expect(unwitnessed[0].time).toBe(new Date(at('20:29:33')).toISOString());
    expect(unwitnessed[0].evidence_event_ids).toEqual(['signin', 'summary', 'list-keys', 'create-key']);
    expect(unwitnessed[0].details).toMatchObject({ events: 4, start: new Date(at('20:29:33')).toISOString(), last: new Date(at('20:34:20')).toISOString() });
    expect(unwitnessed[0].facts[0]).toContain('20:29 UTC to 2026-11-02 20:34 UTC (4 events)');
  });

  it('root use facts claim only what has reached the ledger, and say when an event came late', () => {
    const [first] = ofType(detectAll([createKey], TEST_OPTIONS), 'root_account_used');
    expect(first.facts.join(' ')).not.toMatch(/no earlier root use/);
    expect(first.facts).toContain('first root activity to reach the ledger for this root user');
    // a root event from an earlier, separate session delivered after a later one
    const early = event({ id: 'early', time: at('18:00:00'), subject: ROOT, kind: 'root' });
    const facts = ofType(detectAll([createKey, early], TEST_OPTIONS), 'root_account_used').find((a) => a.evidence_event_ids[0] === 'early')!.facts;
    expect(facts).toContain('root activity at 2026-11-02 20:34 UTC had already reached the ledger: this event was delivered late');
  });
});

describe('root sessions: events that reach the ledger after the session was decided', () => {
  // each category travels on its own topic: the access key (identity) and the watermark-moving
  // activity arrive first, the read-only calls (activity) and the sign-in (authentication) later
  function deliver(order: DetectableEvent[]): Anomaly[][] {
    const engine = new DetectionEngine(TEST_OPTIONS);
    return [...order.map((e) => engine.process(e)), engine.drain()];
  }

  it('decides the session again over all its events when a late one moves its start, and leaves the earlier anomaly as it was', () => {
    const [fromKey, fromLater, fromSummary, fromListKeys, fromSignIn, drained] = deliver([createKey, later, summary, listKeys, signIn]);
    expect(fromKey.map((a) => a.type).sort()).toEqual(['root_access_key_created', 'root_account_used']);
    const first = ofType(fromLater, 'root_session_unwitnessed');
    expect(first.map((a) => [a.evidence_event_ids, a.details.events])).toEqual([[['create-key'], 1]]);

    // an earlier read-only call widens the session: decided again at once (the window has passed)
    expect(ofType(fromSummary, 'root_session_unwitnessed').map((a) => a.details.events)).toEqual([2]);
    // a call inside the session's known span does not change the decision
    expect(fromListKeys).toEqual([]);

    const [complete] = ofType(fromSignIn, 'root_session_unwitnessed');
    expect(complete.time).toBe(new Date(at('20:29:33')).toISOString());
    expect(complete.late).toBe(true);
    expect(complete.evidence_event_ids).toEqual(['create-key', 'summary', 'list-keys', 'signin']);
    expect(complete.details).toMatchObject({ events: 4, session_id: `root-session:${ROOT}:create-key`, supersedes: { events: 2 } });
    expect(complete.facts[0]).toContain('(4 events)');
    expect(complete.facts[2]).toContain('decided on 2 events from 2026-11-02 20:30 UTC to 2026-11-02 20:34 UTC');
    // root use is reported once per session, and the anomalies already raised are not changed
    expect(ofType([...fromSummary, ...fromSignIn], 'root_account_used')).toEqual([]);
    expect(first[0].evidence_event_ids).toEqual(['create-key']);
    expect(drained).toEqual([]);
  });

  it('a late event that widens a session into a witness window makes it witnessed: nothing more is raised', () => {
    const witness = event({
      id: 'witness',
      time: at('20:02:00'),
      subject: ALICE,
      type: 'activity.accountability.witness',
      action: 'accountability:witness',
      target: { type: 'ledger:root_session', id: ROOT },
      system: 'ledger',
    });
    // the witness (32 minutes before the key) is outside the window of the key alone, inside the sign-in's
    const [, , fromLater, fromSignIn, drained] = deliver([createKey, witness, later, signIn]);
    expect(ofType(fromLater, 'root_session_unwitnessed')).toHaveLength(1);
    expect(fromSignIn.filter((a) => a.type === 'root_session_unwitnessed')).toEqual([]);
    expect(drained).toEqual([]);
  });

  it('a second delivery of a root event does not count it twice', () => {
    const anomalies = detectAll([signIn, summary, summary, later], TEST_OPTIONS);
    expect(ofType(anomalies, 'root_session_unwitnessed').map((a) => [a.evidence_event_ids, a.details.events])).toEqual([[['signin', 'summary'], 2]]);
  });
});
