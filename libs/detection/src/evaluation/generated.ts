import { normalizeMessage } from '#sources';
import { streamWorkload, type SeededIncident } from '#workload';
import { ANOMALY_TYPES, type Anomaly, type AnomalyType } from '../anomaly.js';
import { detectionConfig, type DetectionConfig, type DetectionConfigOverrides } from '../detection-config.js';
import { DetectionEngine } from '../engine/detection-engine.js';
import { serializeDetectionState } from '../engine/detection-state.js';
import type { DetectableEvent } from '../event-facts.js';
import type { GeoLookup } from '../geo/geo-lookup.js';
import { EVALUATION_NOW } from './normalize-records.js';

/**
 * Precision and recall per anomaly type on the project's own generator: several weeks of a
 * simulated organisation with a weekly rhythm, business trips, holidays and new devices,
 * and seeded incidents of every baseline type (plus the classic rule-based ones).
 *
 * Matching: an anomaly of type T matches an incident when the incident expects T, the
 * subjects are equal, and the anomaly's time lies between 10 minutes before the incident's
 * first evidence and 2 hours after its last. Every other anomaly of type T is a false
 * positive, except one that matches an incident listing T as possible (a country is new for
 * a victim only the first time): those are counted apart as "tolerated". An expected type
 * whose detector was still in warm-up at the incident's time is counted apart as "warm-up".
 */
export interface GeneratedEvaluationOptions {
  seed?: string | number;
  days?: number;
  subjects?: number;
  start?: string;
  geo?: GeoLookup;
  config?: DetectionConfigOverrides;
  /** When the baseline incidents start (day of the run) and how often; default day 16, every 2 days. */
  incidents?: { fromDay?: number; everyDays?: number };
}

export interface TypeScore {
  type: AnomalyType;
  /** Incidents expecting the type that were detected / missed / not judged (warm-up). */
  detected: number;
  missed: number;
  warmup: number;
  /** Anomalies of the type: matching an incident, tolerated, false positives. */
  matched: number;
  tolerated: number;
  falsePositives: number;
  precision: number | null;
  recall: number | null;
}

export interface GeneratedEvaluation {
  seed: string;
  days: number;
  records: number;
  events: number;
  rejected: number;
  incidents: number;
  subjects: number;
  anomalies: number;
  scores: TypeScore[];
  falsePositiveExamples: Anomaly[];
  missedExamples: { incident: SeededIncident; type: AnomalyType }[];
  performance: {
    normalizeMs: number;
    detectMs: number;
    eventsPerSecond: number;
    stateBytes: number;
    stateBytesPerSubject: number;
  };
}

const BEFORE_MS = 10 * 60_000;
const AFTER_MS = 2 * 3_600_000;

export function evaluateGenerated(options: GeneratedEvaluationOptions = {}): GeneratedEvaluation {
  const seed = String(options.seed ?? 42);
  const days = options.days ?? 42;
  const subjects = options.subjects ?? 48;
  const start = options.start ?? '2026-09-07T00:00:00Z';
  const config: DetectionConfig = detectionConfig(options.config ?? {});
  const engine = new DetectionEngine({ config, geo: options.geo });
  const incidents: SeededIncident[] = [];
  const times = new Map<string, number>();
  const anomalies: Anomaly[] = [];
  let records = 0;
  let events = 0;
  let rejected = 0;
  let normalizeMs = 0;
  let detectMs = 0;
  const end = new Date(Date.parse(start) + days * 86_400_000).toISOString();
  // load the geo database before timing (a service loads it at start)
  options.geo?.lookup('8.8.8.8');
  for (const record of streamWorkload({ seed, start, end, subjects, travel: true, deviceChanges: true, baselineIncidents: options.incidents ?? true, onIncident: (i) => incidents.push(i) })) {
    records++;
    const t0 = performance.now();
    const result = normalizeMessage({ body: JSON.stringify(record), declaredFormat: 'aws-cloudtrail' }, { now: EVALUATION_NOW });
    const t1 = performance.now();
    normalizeMs += t1 - t0;
    rejected += result.rejected.length;
    for (const e of result.events) {
      events++;
      times.set(e.id, Date.parse(e.time));
      anomalies.push(...engine.process(e as DetectableEvent));
    }
    detectMs += performance.now() - t1;
  }
  const t2 = performance.now();
  anomalies.push(...engine.drain());
  detectMs += performance.now() - t2;
  const stateBytes = Buffer.byteLength(serializeDetectionState(engine.currentState));
  const runStart = Date.parse(start);
  const { scores, falsePositives, missed } = score(anomalies, incidents, times, runStart, config);
  return {
    seed,
    days,
    records,
    events,
    rejected,
    incidents: incidents.length,
    subjects: engine.subjectCount,
    anomalies: anomalies.length,
    scores,
    falsePositiveExamples: falsePositives.slice(0, 50),
    missedExamples: missed.slice(0, 50),
    performance: {
      normalizeMs: Math.round(normalizeMs),
      detectMs: Math.round(detectMs),
      eventsPerSecond: Math.round(events / (detectMs / 1000)),
      stateBytes,
      stateBytesPerSubject: Math.round(stateBytes / Math.max(1, engine.subjectCount)),
    },
  };
}

function warmupFor(type: AnomalyType, config: DetectionConfig): number {
  switch (type) {
    case 'unfamiliar_country':
    case 'unfamiliar_network':
    case 'unfamiliar_device':
    case 'unusual_hour':
    case 'first_time_sensitive_action':
      return config.warmup.familiarityMs;
    case 'activity_volume_spike':
      return config.warmup.volumeMs;
    case 'impossible_travel':
    case 'shared_account_suspected':
    case 'failed_login_burst':
    case 'brute_force_success':
      return config.warmup.organisationMs;
    default:
      return 0;
  }
}

interface Window {
  incident: SeededIncident;
  from: number;
  to: number;
}

export function score(
  anomalies: readonly Anomaly[],
  incidents: readonly SeededIncident[],
  times: ReadonlyMap<string, number>,
  runStart: number,
  config: DetectionConfig,
): { scores: TypeScore[]; falsePositives: Anomaly[]; missed: { incident: SeededIncident; type: AnomalyType }[] } {
  const windows: Window[] = incidents.map((incident) => {
    const evidence = incident.eventIds.map((id) => times.get(id)).filter((t): t is number => t !== undefined);
    const first = evidence.length > 0 ? Math.min(...evidence) : Date.parse(incident.time);
    const last = evidence.length > 0 ? Math.max(...evidence) : first;
    return { incident, from: first - BEFORE_MS, to: last + AFTER_MS };
  });
  const matches = (a: Anomaly, w: Window): boolean => {
    const t = Date.parse(a.time);
    return a.subject === w.incident.subject && t >= w.from && t <= w.to;
  };
  const scores: TypeScore[] = [];
  const falsePositives: Anomaly[] = [];
  const missed: { incident: SeededIncident; type: AnomalyType }[] = [];
  for (const type of ANOMALY_TYPES) {
    const ofType = anomalies.filter((a) => a.type === type);
    const expecting = windows.filter((w) => w.incident.expectedAnomalyTypes.includes(type));
    const possible = windows.filter((w) => w.incident.possibleAnomalyTypes?.includes(type) === true);
    let detected = 0;
    let miss = 0;
    let warm = 0;
    for (const w of expecting) {
      if (w.from + BEFORE_MS < runStart + warmupFor(type, config)) {
        warm++;
        continue;
      }
      if (ofType.some((a) => matches(a, w))) detected++;
      else {
        miss++;
        missed.push({ incident: w.incident, type });
      }
    }
    let matched = 0;
    let tolerated = 0;
    let fp = 0;
    for (const a of ofType) {
      if (expecting.some((w) => matches(a, w))) matched++;
      else if (possible.some((w) => matches(a, w))) tolerated++;
      else {
        fp++;
        falsePositives.push(a);
      }
    }
    scores.push({
      type,
      detected,
      missed: miss,
      warmup: warm,
      matched,
      tolerated,
      falsePositives: fp,
      precision: matched + fp === 0 ? null : matched / (matched + fp),
      recall: detected + miss === 0 ? null : detected / (detected + miss),
    });
  }
  return { scores, falsePositives, missed };
}
