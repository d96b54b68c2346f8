import { COUNTRY_NETWORKS, type CountryCode, VACATION_NETWORKS, randomIpv4, randomIpv4In } from './networks.js';
import { INCIDENT_ACTORS, type Person } from './organisation.js';
import { Prng } from './prng.js';
import { isWeekend } from './time.js';
import { type Browser, type DeviceOs, browserUserAgent, pickBrowser, pickToolProfile } from './user-agents.js';

/**
 * What makes normal behaviour realistic enough to measure false positives (opt-in, so the
 * demo day stays as it was): business trips to the company's other offices, holidays
 * (mostly offline, now and then a short session from the resort), and new devices (a new
 * browser, or a new laptop) now and then. Every decision is a pure function of the seed,
 * the person and a block of days, so any day can be generated on its own.
 */
export interface RealismOptions {
  travel: boolean;
  deviceChanges: boolean;
}

export const NO_REALISM: RealismOptions = Object.freeze({ travel: false, deviceChanges: false });

interface Office {
  city: string;
  country: CountryCode;
  utcOffsetMinutes: number;
}

const OFFICES: readonly Office[] = [
  { city: 'Berlin', country: 'DE', utcOffsetMinutes: 60 },
  { city: 'London', country: 'GB', utcOffsetMinutes: 0 },
  { city: 'New York', country: 'US', utcOffsetMinutes: -300 },
  { city: 'San Francisco', country: 'US', utcOffsetMinutes: -480 },
  { city: 'Bangalore', country: 'IN', utcOffsetMinutes: 330 },
];

const HOLIDAYS: Record<Person['location']['region'], readonly string[]> = {
  EU: ['IT', 'PT', 'NL'],
  US: ['MX'],
  IN: ['TH'],
};

const TRIP_BLOCK_DAYS = 28;
const DEVICE_BLOCK_DAYS = 56;

/** The core incident actors keep their habits, so that the classic incidents stay what they are. */
function keepsHabits(p: Person): boolean {
  return (Object.values(INCIDENT_ACTORS) as number[]).includes(p.index);
}

export interface TripDay {
  kind: 'business' | 'holiday';
  country: string;
  utcOffsetMinutes: number;
  /** False on travel days and holiday days off. */
  works: boolean;
  ip: string;
  /** Holiday sessions are short. */
  shortSession: boolean;
}

interface Trip {
  kind: 'business' | 'holiday';
  start: number;
  length: number;
  country: string;
  utcOffsetMinutes: number;
  office: Office | null;
  /** Holiday: the day index (from start) with a short session, or -1. */
  sessionDay: number;
}

function planTrip(seed: string, p: Person, block: number): Trip | null {
  const rng = new Prng(seed, 'trip', p.index, block);
  const x = rng.float();
  if (x < 0.3) {
    const offices = OFFICES.filter((o) => o.country !== p.location.country);
    const office = rng.pick(offices);
    let start = block * TRIP_BLOCK_DAYS + rng.int(TRIP_BLOCK_DAYS - 6);
    while (isWeekend(start)) start++;
    // fly out, two or three days at the office, fly back
    return { kind: 'business', start, length: rng.range(4, 5), country: office.country, utcOffsetMinutes: office.utcOffsetMinutes, office, sessionDay: -1 };
  }
  if (x < 0.45) {
    let start = block * TRIP_BLOCK_DAYS + rng.int(TRIP_BLOCK_DAYS - 10);
    while (!isWeekend(start) || isWeekend(start - 1)) start++; // a Saturday
    const country = rng.pick(HOLIDAYS[p.location.region]);
    const sessionDay = rng.chance(0.25) ? rng.range(2, 6) : -1;
    return { kind: 'holiday', start, length: 9, country, utcOffsetMinutes: VACATION_NETWORKS[country].utcOffsetMinutes, office: null, sessionDay };
  }
  return null;
}

function tripCovering(seed: string, p: Person, day: number): Trip | null {
  const block = Math.floor(day / TRIP_BLOCK_DAYS);
  for (const b of [block, block - 1]) {
    const trip = planTrip(seed, p, b);
    if (trip !== null && day >= trip.start && day < trip.start + trip.length) return trip;
  }
  return null;
}

export function tripOn(seed: string, realism: RealismOptions, p: Person, day: number, officeIps: ReadonlyMap<string, string>): TripDay | null {
  if (!realism.travel || keepsHabits(p)) return null;
  const trip = tripCovering(seed, p, day);
  if (trip === null) return null;
  const index = day - trip.start;
  const rng = new Prng(seed, 'trip-day', p.index, day);
  if (trip.kind === 'business') {
    const works = index > 0 && index < trip.length - 1;
    const office = trip.office!;
    const ip = rng.chance(0.7) && officeIps.has(office.city) ? officeIps.get(office.city)! : randomIpv4(rng, office.country);
    return { kind: 'business', country: trip.country, utcOffsetMinutes: trip.utcOffsetMinutes, works, ip, shortSession: false };
  }
  const works = index === trip.sessionDay;
  return { kind: 'holiday', country: trip.country, utcOffsetMinutes: trip.utcOffsetMinutes, works, ip: randomIpv4In(rng, rng.pick(VACATION_NETWORKS[trip.country].ipv4)), shortSession: true };
}

export interface DeviceProfile {
  os: DeviceOs;
  browser: Browser;
  browserUa: string;
  tools: Person['tools'];
}

function planDeviceChange(seed: string, p: Person, block: number, base: DeviceProfile): { day: number; device: DeviceProfile } | null {
  const rng = new Prng(seed, 'device', p.index, block);
  if (!rng.chance(0.3)) return null;
  const day = block * DEVICE_BLOCK_DAYS + rng.int(DEVICE_BLOCK_DAYS);
  const newLaptop = rng.chance(0.4);
  const os: DeviceOs = newLaptop ? rng.pick((['macos', 'windows', 'linux'] as const).filter((o) => o !== base.os)) : base.os;
  let browser = pickBrowser(rng, os);
  for (let i = 0; i < 4 && !newLaptop && browser === base.browser; i++) browser = pickBrowser(rng, os);
  if (!newLaptop && browser === base.browser) return null;
  return { day, device: { os, browser, browserUa: browserUserAgent(os, browser), tools: newLaptop ? pickToolProfile(rng, os) : base.tools } };
}

/** The person as they are on `day`: with the device they use by then. */
export function personOn(seed: string, realism: RealismOptions, p: Person, day: number, officeIps: ReadonlyMap<string, string>): Person {
  if (!realism.deviceChanges || keepsHabits(p)) return p;
  let device: DeviceProfile = { os: p.os, browser: p.browser, browserUa: p.browserUa, tools: p.tools };
  const current = Math.floor(day / DEVICE_BLOCK_DAYS);
  let changed = false;
  for (let b = current - 6; b <= current; b++) {
    const change = planDeviceChange(seed, p, b, device);
    if (change === null || day < change.day) continue;
    // a device bought during a trip is first used at home
    const trip = tripOn(seed, { travel: realism.travel, deviceChanges: false }, p, day, officeIps);
    if (trip !== null && change.day >= day - 10) continue;
    device = change.device;
    changed = true;
  }
  return changed ? { ...p, ...device } : p;
}
