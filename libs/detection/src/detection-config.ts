import type { PublicIpPolicy } from './geo/ip-address.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Every threshold and window of the detectors, in event time. Defaults are the documented
 * behaviour (docs/anomalies.md); the service may override them from its configuration.
 * Changing a value changes which anomalies a replay produces, so it belongs with the state
 * snapshot it was used for.
 */
export interface DetectionConfig {
  /** Events up to this far behind the newest event time are on time; older ones are late. */
  allowedLatenessMs: number;
  /** How far back "seen before" looks (countries, networks, devices, actions). */
  lookbackMs: number;
  warmup: {
    /** unfamiliar_country/network/device, unusual_hour, first_time_sensitive_action. */
    familiarityMs: number;
    familiarityMinActiveDays: number;
    /** activity_volume_spike: closed active hours that make a rate baseline. */
    volumeMs: number;
    volumeMinActiveHours: number;
    /**
     * impossible_travel, shared_account_suspected, failed_login_burst, brute_force_success:
     * these judge against absolute limits with baseline adjustments, and wait until the
     * engine has seen this much of the organisation (the subject may be new: an attacker's
     * target is not always an active account).
     */
    organisationMs: number;
  };
  peers: {
    /** A peer group answers for a subject only when this many other members are warmed up. */
    minWarmedMembers: number;
    /** An action is routine for a group when this share of its warmed members performed it. */
    routineShare: number;
    /** ...or for the organisation, when this many other subjects and this share performed it. */
    organisationRoutineSubjects: number;
    organisationRoutineShare: number;
  };
  rootSession: {
    /** Root activity separated by less than this belongs to one session. */
    gapMs: number;
    /** A witness counts when recorded from this long before the session to this long after its last action. */
    witnessWindowMs: number;
  };
  travel: { maxSpeedKmh: number };
  sharedAccount: { concurrencyMs: number };
  failedLogins: { windowMs: number; threshold: number };
  bruteForce: { windowMs: number; minFailures: number };
  volume: { minEvents: number; peakFactor: number; sigmas: number };
  unusualHour: { minActiveDays: number; throttleMs: number };
  dormancyMs: number;
  /** Private-range policy for "public IP" (trap 2). */
  publicIpPolicy: PublicIpPolicy;
  /** How many evidence ids an anomaly lists at most (the first ones and the last one). */
  maxEvidence: number;
}

export const DEFAULT_DETECTION_CONFIG: DetectionConfig = Object.freeze({
  allowedLatenessMs: 2 * MINUTE,
  lookbackMs: 90 * DAY,
  warmup: Object.freeze({
    familiarityMs: 14 * DAY,
    familiarityMinActiveDays: 5,
    volumeMs: 7 * DAY,
    volumeMinActiveHours: 20,
    organisationMs: 2 * DAY,
  }),
  peers: Object.freeze({ minWarmedMembers: 2, routineShare: 0.3, organisationRoutineSubjects: 3, organisationRoutineShare: 0.1 }),
  rootSession: Object.freeze({ gapMs: 30 * MINUTE, witnessWindowMs: 30 * MINUTE }),
  travel: Object.freeze({ maxSpeedKmh: 1000 }),
  sharedAccount: Object.freeze({ concurrencyMs: 20 * MINUTE }),
  failedLogins: Object.freeze({ windowMs: 15 * MINUTE, threshold: 5 }),
  bruteForce: Object.freeze({ windowMs: 30 * MINUTE, minFailures: 5 }),
  volume: Object.freeze({ minEvents: 150, peakFactor: 2.5, sigmas: 6 }),
  unusualHour: Object.freeze({ minActiveDays: 10, throttleMs: 4 * HOUR }),
  dormancyMs: 90 * DAY,
  publicIpPolicy: Object.freeze({}),
  maxEvidence: 50,
}) as DetectionConfig;

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };
export type DetectionConfigOverrides = DeepPartial<DetectionConfig>;

export function detectionConfig(overrides: DetectionConfigOverrides = {}): DetectionConfig {
  const d = DEFAULT_DETECTION_CONFIG;
  return {
    ...d,
    ...(overrides as Partial<DetectionConfig>),
    warmup: { ...d.warmup, ...overrides.warmup },
    peers: { ...d.peers, ...overrides.peers },
    rootSession: { ...d.rootSession, ...overrides.rootSession },
    travel: { ...d.travel, ...overrides.travel },
    sharedAccount: { ...d.sharedAccount, ...overrides.sharedAccount },
    failedLogins: { ...d.failedLogins, ...overrides.failedLogins },
    bruteForce: { ...d.bruteForce, ...overrides.bruteForce },
    volume: { ...d.volume, ...overrides.volume },
    unusualHour: { ...d.unusualHour, ...overrides.unusualHour },
    publicIpPolicy: { ...d.publicIpPolicy, ...overrides.publicIpPolicy },
  };
}

export const TIME = { MINUTE, HOUR, DAY } as const;
