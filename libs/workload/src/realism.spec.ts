import { describe, expect, it } from 'vitest';
import { BASELINE_INCIDENT_KINDS, type SeededIncident, streamWorkload } from './index.js';
import { INCIDENT_ACTORS, buildOrganisation } from './organisation.js';
import { personOn, tripOn } from './realism.js';
import { SECONDS_PER_DAY, isWeekend } from './time.js';

const org = buildOrganisation('42', 48, '111122223333', '444455556666');
const officeIps = new Map(org.people.filter((p) => p.officeIp !== null).map((p) => [p.location.city, p.officeIp!] as const));
const firstDay = Math.floor(Date.parse('2026-09-07T00:00:00Z') / 86_400_000);
const days = Array.from({ length: 120 }, (_, i) => firstDay + i);
const realism = { travel: true, deviceChanges: true };
const core = Object.values(INCIDENT_ACTORS) as number[];

describe('realistic normal behaviour (opt-in)', () => {
  it('people take business trips to other offices: flight days off, office days abroad', () => {
    let tripDays = 0;
    for (const p of org.people) {
      for (const day of days) {
        const trip = tripOn('42', realism, p, day, officeIps);
        if (trip === null || trip.kind !== 'business') continue;
        tripDays++;
        expect(trip.country).not.toBe(p.location.country);
        expect(['DE', 'GB', 'US', 'IN']).toContain(trip.country);
        // the day before a working day abroad is either a trip day or ... the flight out (no work)
        if (trip.works) expect(tripOn('42', realism, p, day - 1, officeIps)).not.toBeNull();
      }
    }
    expect(tripDays).toBeGreaterThan(30);
  });

  it('holidays are mostly offline, with a rare short session from the resort', () => {
    let holidayDays = 0;
    let sessions = 0;
    for (const p of org.people) {
      for (const day of days) {
        const trip = tripOn('42', realism, p, day, officeIps);
        if (trip?.kind !== 'holiday') continue;
        holidayDays++;
        if (trip.works) sessions++;
      }
    }
    expect(holidayDays).toBeGreaterThan(50);
    expect(sessions).toBeGreaterThan(0);
    expect(sessions / holidayDays).toBeLessThan(0.1);
  });

  it('new devices appear now and then, never for the core incident actors, and stay', () => {
    let changed = 0;
    for (const p of org.people) {
      const uas = days.map((d) => personOn('42', realism, p, d, officeIps).browserUa);
      if (core.includes(p.index)) expect(new Set(uas).size).toBe(1);
      const switches = uas.filter((ua, i) => i > 0 && ua !== uas[i - 1]).length;
      if (switches > 0) changed++;
      // a new device is not taken on a trip in its first days, so a trip can switch back and forth
      expect(switches).toBeLessThanOrEqual(8);
    }
    expect(changed).toBeGreaterThan(3);
  });

  it('is off by default, so the demo day is unchanged', () => {
    expect(tripOn('42', { travel: false, deviceChanges: false }, org.people[10], firstDay, officeIps)).toBeNull();
    expect(personOn('42', { travel: false, deviceChanges: false }, org.people[10], firstDay + 100, officeIps)).toBe(org.people[10]);
  });

  it('weekends are quiet and in the daytime', () => {
    const weekend = days.filter(isWeekend).length;
    expect(weekend).toBeGreaterThan(30);
  });
});

describe('baseline incidents (opt-in)', () => {
  it('seeds every kind after the warm-up, with its evidence, never hitting one person twice within four days', () => {
    const incidents: SeededIncident[] = [];
    const ids = new Set<string>();
    const start = Date.parse('2026-09-07T00:00:00Z');
    for (const r of streamWorkload({ seed: 42, subjects: 40, start, end: start + 28 * SECONDS_PER_DAY * 1000, travel: true, deviceChanges: true, baselineIncidents: { fromDay: 20, everyDays: 2 }, onIncident: (i) => incidents.push(i) })) ids.add(r.eventID);
    const seeded = incidents.filter((i) => (BASELINE_INCIDENT_KINDS as readonly string[]).includes(i.kind));
    expect(new Set(seeded.map((i) => i.kind))).toEqual(new Set(BASELINE_INCIDENT_KINDS));
    for (const i of seeded) {
      expect(Date.parse(i.time)).toBeGreaterThanOrEqual(start + 20 * 86_400_000 - 86_400_000);
      expect(i.expectedAnomalyTypes.length).toBeGreaterThan(0);
      for (const id of i.eventIds) expect(ids.has(id)).toBe(true);
    }
    const bySubject = new Map<string, number[]>();
    for (const i of seeded) bySubject.set(i.subject, [...(bySubject.get(i.subject) ?? []), Date.parse(i.time)]);
    for (const times of bySubject.values()) {
      times.sort((a, b) => a - b);
      for (let k = 1; k < times.length; k++) expect(times[k] - times[k - 1]).toBeGreaterThan(2 * 86_400_000);
    }
  }, 60_000);
});
