import type { ActorKind } from '#domain';

/**
 * Everything the detectors remember, as plain data (numbers, strings, arrays, Maps, Sets):
 * the wiring snapshots it next to the ledger position it has read up to, and resumes from
 * the snapshot instead of replaying from position 0. All times are event-time epoch ms.
 */
export interface Seen {
  n: number;
  first: number;
  last: number;
}

export interface NetworkSeen extends Seen {
  org: string | null;
  country: string | null;
}

export interface GeoPoint {
  t: number;
  country: string;
  id: string;
  ip: string;
}

export interface SourceSeen {
  /** The network that identifies the source: `as<asn>`, else the country, else the address. */
  key: string;
  country: string | null;
  asn: number | null;
  ip: string;
  device: string | null;
  first: number;
  last: number;
  firstId: string;
  lastId: string;
}

export interface RateStats {
  /** Closed active hours folded in. */
  n: number;
  mean: number;
  m2: number;
  /** The busiest closed hour, and its hour index. */
  peak: number;
  peakHour: number;
}

export interface SubjectState {
  kind: ActorKind;
  firstSeen: number;
  lastSeen: number;
  events: number;
  activeDays: number;
  /** Recent active day numbers (UTC), ascending, to count distinct days under late events. */
  recentDays: number[];
  countries: Map<string, Seen>;
  networks: Map<number, NetworkSeen>;
  devices: Map<string, Seen>;
  /** Per UTC hour of day: how many distinct days had activity in it (home country only). */
  hourDays: number[];
  hourLastDay: number[];
  actions: Map<string, Seen>;
  groups: string[];
  /** Event counts of hours not yet folded into `rate` (hour index → count). */
  hours: Map<number, number>;
  rate: RateStats;
  /** Hours already raised as spikes: kept out of the baseline. */
  spikeHours: number[];
  failures: { t: number; id: string }[];
  /** Most failures seen in one window before, outside of raised bursts. */
  failureBaseline: number;
  geoPoints: GeoPoint[];
  sources: SourceSeen[];
  /** Dedup throttles: key → event time of the last raise of that finding. */
  throttles: Map<string, number>;
}

export interface RootSession {
  id: string;
  subject: string;
  start: number;
  last: number;
  eventIds: string[];
  events: number;
  via: string | null;
  witnessIds: string[];
  decided: boolean;
  /** Some of its events arrived behind the watermark. */
  late: boolean;
  /**
   * What the last `root_session_unwitnessed` decision saw, when root events of the session
   * reached the ledger after it (absent in snapshots taken before this field existed).
   */
  decidedAs?: { start: number; last: number; events: number } | null;
}

export interface WitnessRecord {
  t: number;
  id: string;
  witness: string;
  /** The session id or the root subject that the witness names. */
  names: string;
}

export interface DetectionState {
  version: 1;
  events: number;
  firstEventTime: number | null;
  maxEventTime: number | null;
  subjects: Map<string, SubjectState>;
  /** Peer groups: group id (`role:<arn>`, `iam-group:<arn>`) → member subjects. */
  groups: Map<string, Set<string>>;
  /** Country → subject → last seen, for "familiar to the organisation". */
  orgCountries: Map<string, Map<string, number>>;
  /** Sensitive action → subject → last performed. */
  orgActions: Map<string, Map<string, number>>;
  rootSessions: RootSession[];
  witnesses: WitnessRecord[];
  /** Anomaly id → event time, so that a duplicate delivery never raises twice. */
  raised: Map<string, number>;
}

export function createDetectionState(): DetectionState {
  return {
    version: 1,
    events: 0,
    firstEventTime: null,
    maxEventTime: null,
    subjects: new Map(),
    groups: new Map(),
    orgCountries: new Map(),
    orgActions: new Map(),
    rootSessions: [],
    witnesses: [],
    raised: new Map(),
  };
}

export function newSubject(kind: ActorKind, t: number): SubjectState {
  return {
    kind,
    firstSeen: t,
    lastSeen: t,
    events: 0,
    activeDays: 0,
    recentDays: [],
    countries: new Map(),
    networks: new Map(),
    devices: new Map(),
    hourDays: new Array<number>(24).fill(0),
    hourLastDay: new Array<number>(24).fill(-1),
    actions: new Map(),
    groups: [],
    hours: new Map(),
    rate: { n: 0, mean: 0, m2: 0, peak: 0, peakHour: -1 },
    spikeHours: [],
    failures: [],
    failureBaseline: 0,
    geoPoints: [],
    sources: [],
    throttles: new Map(),
  };
}

/**
 * The state as JSON text: Maps and Sets are tagged so that `restoreDetectionState` gives
 * back exactly the same structure (and the same anomalies on continuing).
 */
export function serializeDetectionState(state: DetectionState): string {
  return JSON.stringify(state, (_key, value: unknown) => {
    if (value instanceof Map) return { $map: [...value.entries()] };
    if (value instanceof Set) return { $set: [...value.values()] };
    return value;
  });
}

export function restoreDetectionState(text: string): DetectionState {
  const state = JSON.parse(text, (_key, value: unknown) => {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const tagged = value as { $map?: [unknown, unknown][]; $set?: unknown[] };
      if (Array.isArray(tagged.$map) && Object.keys(value).length === 1) return new Map(tagged.$map);
      if (Array.isArray(tagged.$set) && Object.keys(value).length === 1) return new Set(tagged.$set);
    }
    return value;
  }) as DetectionState;
  if (state?.version !== 1) throw new Error(`unsupported detection state version: ${String((state as { version?: unknown })?.version)}`);
  return state;
}
