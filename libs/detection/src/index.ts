// Anomaly detection over canonical ledger events (DESIGN 7): rule-based and baseline
// detectors as pure, deterministic functions of the ordered event history. No Nest, pg or
// Kafka; the geo database is an input.
export {
  ANOMALY_TYPES,
  RULE_ANOMALY_TYPES,
  BASELINE_ANOMALY_TYPES,
  SEVERITIES,
  anomalyId,
  isAnomalyType,
  isBaselineType,
  type Anomaly,
  type AnomalyType,
  type RuleAnomalyType,
  type BaselineAnomalyType,
  type Severity,
} from './anomaly.js';
export { DEFAULT_DETECTION_CONFIG, detectionConfig, type DetectionConfig, type DetectionConfigOverrides } from './detection-config.js';
export { deviceOf, type DetectableEvent } from './event-facts.js';
export type { DetectionEnvironment } from './engine/detection-context.js';
export { createDetectionState, serializeDetectionState, restoreDetectionState, type DetectionState } from './engine/detection-state.js';
export { evolve, advanceWatermark, drain, watermarkOf, type EvolveResult } from './engine/evolve.js';
export { DetectionEngine, detectAll, type DetectionEngineOptions } from './engine/detection-engine.js';
export { isWitnessEvent } from './rules/root-sessions.js';
export { isSensitiveAction } from './baseline/sensitive-actions.js';
export * from './geo/index.js';
export * from './evaluation/index.js';
