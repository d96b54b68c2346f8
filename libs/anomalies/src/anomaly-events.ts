import { randomUUID } from 'node:crypto';
import type { Anomaly } from '#detection';
import type { LedgerEvent } from '#domain';

export const ANOMALY_RAISED = 'accountability.anomaly.raised';
export const ANOMALY_TRIAGED = 'accountability.anomaly.triaged';
export const TRIAGE_STATUSES = ['acknowledged', 'resolved', 'false_positive', 'open'] as const;
export type TriageStatus = (typeof TRIAGE_STATUSES)[number];

/** The ledger's own records (anomalies, triage) are not input to detection. */
export function isAnomalyRecord(event: LedgerEvent): boolean {
  return event.type === ANOMALY_RAISED || event.type === ANOMALY_TRIAGED;
}

/**
 * An anomaly as a ledger event on its subject's timeline. Everything in it derives from the
 * anomaly, which is deterministic, so raising the same anomaly again (a replay) is a
 * duplicate receipt, never a second event. `raw` is the anomaly itself.
 */
export function anomalyRaisedEvent(anomaly: Anomaly, receivedAt: string): LedgerEvent {
  return {
    schema_version: 'v1',
    id: anomaly.id,
    category: 'activity',
    type: ANOMALY_RAISED,
    time: anomaly.time,
    received_at: receivedAt,
    actor: { subject: anomaly.subject, principal: anomaly.subject, kind: 'unknown', via: null, attribution: 'direct' },
    authentication: null,
    action: `ledger:Anomaly:${anomaly.type}`,
    target: { type: 'anomaly', id: anomaly.id, name: anomaly.type },
    outcome: 'success',
    outcome_reason: null,
    source: { ip: null, service: 'ledger-detection', user_agent: null, host: null, geo: null },
    origin: { system: 'ledger', account: null, region: null, kafka: null },
    raw: JSON.stringify(anomaly),
  };
}

export interface TriageInput {
  anomalyId: string;
  status: TriageStatus;
  note: string;
  /** Who triaged: the API key's owner. */
  actor: string;
  at: string;
}

/** A triage decision as a ledger event, on the timeline of the person who made it. */
export function anomalyTriagedEvent(input: TriageInput, anomalySubject: string, sequence: number): LedgerEvent {
  const record = { anomaly_id: input.anomalyId, status: input.status, note: input.note, by: input.actor, at: input.at, sequence };
  return {
    schema_version: 'v1',
    // Unique whatever the projection says: `sequence` comes from the triage history as the
    // projection holds it, which a rebuild in progress or a concurrent triage can repeat.
    id: `triage:${input.anomalyId}:${randomUUID()}`,
    category: 'activity',
    type: ANOMALY_TRIAGED,
    time: input.at,
    received_at: input.at,
    actor: { subject: input.actor, principal: input.actor, kind: 'human', via: null, attribution: 'direct' },
    authentication: null,
    action: 'ledger:TriageAnomaly',
    target: { type: 'anomaly', id: input.anomalyId, name: anomalySubject },
    outcome: 'success',
    outcome_reason: null,
    source: { ip: null, service: 'ledger-api', user_agent: null, host: null, geo: null },
    origin: { system: 'ledger', account: null, region: null, kafka: null },
    raw: JSON.stringify(record),
  };
}
