export { AnomalyDetector } from './anomaly-detector.js';
export { AnomalyPublisher } from './anomaly-publisher.js';
export { AnomalyRepository, type AnomalyRecord, type AnomalyFilter } from './anomaly.repository.js';
export { anomaliesProjection, evolveAnomalies, type AnomalyChange } from './anomalies.projection.js';
export {
  ANOMALY_RAISED,
  ANOMALY_TRIAGED,
  TRIAGE_STATUSES,
  anomalyRaisedEvent,
  anomalyTriagedEvent,
  isAnomalyRecord,
  type TriageStatus,
  type TriageInput,
} from './anomaly-events.js';
