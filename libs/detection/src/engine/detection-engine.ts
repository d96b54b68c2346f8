import type { Anomaly } from '../anomaly.js';
import { detectionConfig, type DetectionConfig, type DetectionConfigOverrides } from '../detection-config.js';
import type { DetectableEvent } from '../event-facts.js';
import { NO_GEO, type GeoLookup } from '../geo/geo-lookup.js';
import type { DetectionEnvironment } from './detection-context.js';
import { createDetectionState, restoreDetectionState, serializeDetectionState, type DetectionState } from './detection-state.js';
import { advanceWatermark, drain, evolve, watermarkOf } from './evolve.js';

export interface DetectionEngineOptions {
  config?: DetectionConfig | DetectionConfigOverrides;
  /** The geo database; without one, geography-based detectors stay silent. */
  geo?: GeoLookup;
}

/**
 * A convenience around `evolve`: holds the state and the environment. The service feeds it
 * ledger events in ledger order, snapshots it with the reader position, and restores it on
 * start; nothing in it reads a clock.
 */
export class DetectionEngine {
  readonly env: DetectionEnvironment;
  private state: DetectionState;

  constructor(options: DetectionEngineOptions = {}, state: DetectionState = createDetectionState()) {
    const config = isFullConfig(options.config) ? options.config : detectionConfig(options.config ?? {});
    this.env = { config, geo: options.geo ?? NO_GEO };
    this.state = state;
  }

  static restore(snapshot: string, options: DetectionEngineOptions = {}): DetectionEngine {
    return new DetectionEngine(options, restoreDetectionState(snapshot));
  }

  process(event: DetectableEvent): Anomaly[] {
    return evolve(this.state, event, this.env).anomalies;
  }

  /** Idle tick: decide what the watermark now allows (root sessions' witness windows). */
  advanceTo(eventTimeMs: number): Anomaly[] {
    return advanceWatermark(this.state, eventTimeMs, this.env).anomalies;
  }

  /** End of input: decide everything still pending. */
  drain(): Anomaly[] {
    return drain(this.state, this.env).anomalies;
  }

  get watermark(): number {
    return watermarkOf(this.state, this.env);
  }

  get subjectCount(): number {
    return this.state.subjects.size;
  }

  snapshot(): string {
    return serializeDetectionState(this.state);
  }

  /** The live state (for inspection and tests); mutating it changes what the engine does. */
  get currentState(): DetectionState {
    return this.state;
  }
}

function isFullConfig(config: DetectionConfig | DetectionConfigOverrides | undefined): config is DetectionConfig {
  return config !== undefined && typeof config.allowedLatenessMs === 'number' && config.warmup !== undefined && typeof config.warmup.familiarityMs === 'number' && config.volume?.minEvents !== undefined && config.publicIpPolicy !== undefined;
}

/** Runs a whole history: every event, then the pending decisions. */
export function detectAll(events: Iterable<DetectableEvent>, options: DetectionEngineOptions = {}): Anomaly[] {
  const engine = new DetectionEngine(options);
  const out: Anomaly[] = [];
  for (const e of events) out.push(...engine.process(e));
  out.push(...engine.drain());
  return out;
}
