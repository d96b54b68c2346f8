import { normalizeMessage, type RejectedRecord, type TransportTime } from '#sources';
import type { DetectableEvent } from '../event-facts.js';

/** Fixed "now" for the time plausibility check, so that evaluations do not depend on the clock. */
export const EVALUATION_NOW = Date.parse('2030-01-01T00:00:00Z');

export interface NormalizedBatch {
  events: DetectableEvent[];
  rejected: RejectedRecord[];
}

/**
 * Normalizes one message exactly as ingestion does; with `transportTime`, as Kafka ingestion
 * does for a record that carries that timestamp.
 */
export function normalizeText(text: string, declaredFormat?: string, transportTime?: TransportTime): NormalizedBatch {
  const result = normalizeMessage({ body: text, declaredFormat, transportTime }, { now: EVALUATION_NOW });
  return { events: result.events as DetectableEvent[], rejected: result.rejected };
}
