import { describe, expect, it } from 'vitest';
import type { AnomalyType } from '../anomaly.js';
import { detectAll } from '../engine/detection-engine.js';
import type { DetectableEvent } from '../event-facts.js';
import { ALICE, BOB, CHROME_MAC, CLI_MAC, EDGE_WINDOWS, GO_SDK, PLACES, TEST_OPTIONS, event, routine } from '../testing/test-events.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
// a Wednesday, 10:00 UTC
const T = Date.parse('2026-03-04T10:00:00Z');
const warm = (): DetectableEvent[] => [...routine({ until: T }), ...routine({ until: T, subject: BOB, prefix: 'b' }), ...routine({ until: T, subject: 'carol', prefix: 'c' })];
const run = (events: DetectableEvent[]) => detectAll(events, TEST_OPTIONS);
const typesOf = (events: DetectableEvent[]): AnomalyType[] => [...new Set(run(events).map((a) => a.type))].sort();

describe('unfamiliar_country, unfamiliar_network, unfamiliar_device', () => {
  it('a new country with a new device raises both, with the baseline in the facts', () => {
    const anomalies = run([...warm(), event({ id: 'x', time: T, ip: PLACES.saoPaulo, userAgent: EDGE_WINDOWS })]);
    expect(anomalies.map((a) => a.type).sort()).toEqual(['unfamiliar_country', 'unfamiliar_device']);
    const country = anomalies.find((a) => a.type === 'unfamiliar_country')!;
    expect(country.facts.join(' ')).toContain('countries seen for this subject in the last 90 days: DE (');
    expect(country.details.country).toBe('BR');
  });

  it('a business trip (known device, colleagues based there) is not raised; a holiday country is', () => {
    const london = [...routine({ until: T, subject: 'gb1', ip: PLACES.london, prefix: 'g1' }), ...routine({ until: T, subject: 'gb2', ip: PLACES.london, prefix: 'g2' })];
    expect(typesOf([...warm(), ...london, event({ id: 'trip', time: T, ip: PLACES.london })])).toEqual([]);
    expect(typesOf([...warm(), event({ id: 'holiday', time: T, ip: PLACES.jakarta })])).toEqual(['unfamiliar_country']);
  });

  it('a new network in the home country is raised for a hosting provider or a new device, not for a new ISP with the usual laptop', () => {
    expect(typesOf([...warm(), event({ id: 'h', time: T, ip: PLACES.hetzner })])).toEqual(['unfamiliar_network']);
    expect(typesOf([...warm(), event({ id: 'n', time: T, ip: PLACES.berlinOffice, userAgent: GO_SDK })])).toEqual(['unfamiliar_device', 'unfamiliar_network']);
    expect(typesOf([...warm(), event({ id: 'i', time: T, ip: PLACES.berlinOffice })])).toEqual([]);
  });

  it('a new device on a familiar network is a new laptop, not an anomaly', () => {
    expect(typesOf([...warm(), event({ id: 'd', time: T, userAgent: EDGE_WINDOWS })])).toEqual([]);
  });

  it('service sources and private addresses never feed geography (trap 2)', () => {
    const service = event({ id: 's', time: T, ip: null, service: 'AWS Internal', userAgent: 'AWS Internal' });
    const privateIp = event({ id: 'p', time: T, ip: '10.1.2.3', userAgent: EDGE_WINDOWS });
    expect(typesOf([...warm(), service, privateIp])).toEqual([]);
  });

  it('nothing is raised during the warm-up', () => {
    const young = routine({ until: T, days: 8 });
    expect(typesOf([...young, event({ id: 'x', time: T, ip: PLACES.saoPaulo, userAgent: EDGE_WINDOWS })])).toEqual([]);
  });

  it('a subject in warm-up is judged against its peer group (shared role)', () => {
    const role = 'arn:aws:iam::111122223333:role/developer';
    const peers = [...routine({ until: T, subject: 'p1', via: role, prefix: 'p1' }), ...routine({ until: T, subject: 'p2', via: role, prefix: 'p2' })];
    const newcomer = (id: string, ip: string) => event({ id, time: T, subject: 'newcomer', via: role, ip });
    expect(typesOf([...peers, event({ id: 'n0', time: T - 2 * DAY, subject: 'newcomer', via: role }), newcomer('n1', PLACES.saoPaulo)])).toEqual(['unfamiliar_country']);
    expect(typesOf([...peers, newcomer('n2', PLACES.berlin)])).toEqual([]);
  });
});

describe('impossible_travel and shared_account_suspected', () => {
  it('Berlin then Sao Paulo twelve minutes later is impossible and concurrent', () => {
    const events = [...warm(), event({ id: 'de', time: T, userAgent: CHROME_MAC }), event({ id: 'br', time: T + 12 * MIN, ip: PLACES.saoPaulo, userAgent: CHROME_MAC })];
    const anomalies = run(events);
    const travel = anomalies.find((a) => a.type === 'impossible_travel')!;
    expect(travel.evidence_event_ids).toEqual(['de', 'br']);
    expect(travel.facts[1]).toMatch(/at least \d+ km/);
    expect(anomalies.some((a) => a.type === 'shared_account_suspected')).toBe(true);
  });

  it('a flight that takes long enough is possible, and not concurrent', () => {
    const events = [...warm(), event({ id: 'de', time: T }), event({ id: 'br', time: T + 14 * HOUR, ip: PLACES.saoPaulo })];
    expect(typesOf(events).filter((t) => t === 'impossible_travel' || t === 'shared_account_suspected')).toEqual([]);
  });

  it('a late event is placed between its neighbours in event time', () => {
    const events = [...warm(), event({ id: 'de1', time: T }), event({ id: 'de2', time: T + 3 * HOUR }), event({ id: 'br', time: T + 2 * HOUR + 55 * MIN, ip: PLACES.saoPaulo })];
    const travel = run(events).filter((a) => a.type === 'impossible_travel');
    expect(travel.map((a) => a.evidence_event_ids)).toEqual([['br', 'de2']]);
    expect(travel[0].late).toBe(true);
  });
});

describe('unusual_hour', () => {
  it('activity at 03:00 UTC for a 08-17 worker is raised once, daytime is not', () => {
    const night = [0, 1, 2].map((i) => event({ id: `n${i}`, time: Date.parse('2026-03-04T03:00:00Z') + i * MIN }));
    expect(run([...warm(), ...night]).filter((a) => a.type === 'unusual_hour')).toHaveLength(1);
    expect(typesOf([...warm(), event({ id: 'd', time: Date.parse('2026-03-04T16:30:00Z') })])).toEqual([]);
  });
});

describe('activity_volume_spike', () => {
  it('an hour with far more events than the busiest hour so far is raised once', () => {
    const burst = Array.from({ length: 400 }, (_, i) => event({ id: `s${i}`, time: T + i * 5000 }));
    const spikes = run([...warm(), ...burst]).filter((a) => a.type === 'activity_volume_spike');
    expect(spikes).toHaveLength(1);
    expect(spikes[0].details.threshold).toBe(150);
    expect(spikes[0].facts[1]).toContain('usual active hour');
  });
  it('a normal busy hour is not', () => {
    const busy = Array.from({ length: 60 }, (_, i) => event({ id: `b${i}`, time: T + i * 30_000 }));
    expect(typesOf([...warm(), ...busy])).toEqual([]);
  });
});

describe('first_time_sensitive_action', () => {
  const share = (id: string, subject = ALICE, t = T) => event({ id, time: t, subject, action: 'ec2:ModifySnapshotAttribute' });
  it('raises for a sensitive action never performed, once', () => {
    expect(run([...warm(), share('s1'), share('s2', ALICE, T + MIN)]).filter((a) => a.type === 'first_time_sensitive_action')).toHaveLength(1);
  });
  it('does not raise for routine reads, refused attempts, or an action routine for the organisation', () => {
    expect(typesOf([...warm(), event({ id: 'r', time: T, action: 'ec2:DescribeVpcs' })])).toEqual([]);
    expect(typesOf([...warm(), event({ id: 'f', time: T, action: 'ec2:ModifySnapshotAttribute', outcome: 'failure' })])).toEqual([]);
    const others = ['o1', 'o2', 'o3'].flatMap((s) => [...routine({ until: T, subject: s, prefix: s }), share(`${s}-x`, s, T - 2 * DAY)]);
    expect(run([...warm(), ...others, share('mine')]).filter((a) => a.type === 'first_time_sensitive_action' && a.subject === ALICE)).toEqual([]);
  });
});

describe('failed_login_burst and brute_force_success', () => {
  const attempt = (id: string, t: number, outcome: 'success' | 'failure') =>
    event({ id, time: t, subject: BOB, type: 'authentication.login', action: 'signin:ConsoleLogin', outcome, mfa: outcome === 'success' ? true : 'unknown', userAgent: CHROME_MAC });
  it('six failures then a success raise a burst and a brute-force success', () => {
    const events = [...warm(), ...Array.from({ length: 6 }, (_, i) => attempt(`f${i}`, T + i * 20_000, 'failure')), attempt('ok', T + 3 * MIN, 'success')];
    const anomalies = run(events);
    expect(anomalies.filter((a) => a.type === 'failed_login_burst')).toHaveLength(1);
    const brute = anomalies.find((a) => a.type === 'brute_force_success')!;
    expect(brute.evidence_event_ids).toEqual(['f0', 'f1', 'f2', 'f3', 'f4', 'f5', 'ok']);
  });
  it('a mistyped password or two is normal', () => {
    expect(typesOf([...warm(), attempt('f', T, 'failure'), attempt('f2', T + 20_000, 'failure'), attempt('ok', T + MIN, 'success')])).toEqual([]);
  });
  it('waits for the organisation warm-up', () => {
    expect(typesOf(Array.from({ length: 8 }, (_, i) => attempt(`f${i}`, T + i * 20_000, 'failure')))).toEqual([]);
  });
});
