import type { EventCategory } from './ledger-event.js';

/** Default Kafka topic names (DESIGN 8); the names are configurable. */
export interface TopicNames {
  inputs: Record<EventCategory, string>;
  anomalies: string;
  dlq: string;
}

export const DEFAULT_TOPICS: TopicNames = {
  inputs: {
    identity: 'ledger.identity',
    authentication: 'ledger.authentication',
    authorization: 'ledger.authorization',
    activity: 'ledger.activity',
  },
  anomalies: 'ledger.anomalies',
  dlq: 'ledger.dlq',
};
