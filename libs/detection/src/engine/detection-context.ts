import type { AnomalyType, Severity } from '../anomaly.js';
import type { DetectionConfig } from '../detection-config.js';
import type { DetectableEvent } from '../event-facts.js';
import type { GeoInfo, GeoLookup } from '../geo/geo-lookup.js';
import type { DetectionState, SubjectState } from './detection-state.js';

/** What the detectors are given besides the history: configuration and the geo database. */
export interface DetectionEnvironment {
  config: DetectionConfig;
  geo: GeoLookup;
}

/** A finding before it gets its id and is checked against what was already raised. */
export interface AnomalyDraft {
  type: AnomalyType;
  severity: Severity;
  subject: string;
  time: number;
  evidence: string[];
  facts: string[];
  details: Record<string, unknown>;
  late: boolean;
  raisedBy: string | null;
}

/** One event as the detectors see it, with the lookups done once. */
export interface EventContext {
  readonly event: DetectableEvent;
  readonly t: number;
  /** The event is older than the watermark was when it arrived. */
  readonly late: boolean;
  readonly env: DetectionEnvironment;
  readonly state: DetectionState;
  readonly subject: SubjectState;
  /** The subject had been seen before this event; its last activity then. */
  readonly previousLastSeen: number | null;
  /** Public source IP, or null (service sources, private ranges, none). */
  readonly publicIp: string | null;
  readonly geo: GeoInfo | null;
  readonly device: string | null;
  readonly success: boolean;
  readonly drafts: AnomalyDraft[];
}

export function draft(ctx: EventContext, type: AnomalyType, severity: Severity, evidence: string[], facts: string[], details: Record<string, unknown> = {}, subject = ctx.event.actor.subject): AnomalyDraft {
  const d: AnomalyDraft = { type, severity, subject, time: ctx.t, evidence, facts, details, late: ctx.late, raisedBy: ctx.event.id };
  ctx.drafts.push(d);
  return d;
}

/** True (and records the raise) when `key` was not raised for this subject within `forMs` of `t`. */
export function takeThrottle(subject: SubjectState, key: string, t: number, forMs: number): boolean {
  const raisedAt = subject.throttles.get(key);
  if (raisedAt !== undefined && Math.abs(t - raisedAt) < forMs) return false;
  subject.throttles.set(key, t);
  return true;
}
