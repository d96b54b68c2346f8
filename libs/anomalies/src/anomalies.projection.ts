import type { Anomaly } from '#detection';
import type { PoolClient, StoredEvent } from '#event-store';
import { storableJson, type Projection } from '#projections';
import { ANOMALY_RAISED, ANOMALY_TRIAGED } from './anomaly-events.js';

export interface AnomalyRaised {
  kind: 'raised';
  anomaly: Anomaly;
  position: number;
}
export interface AnomalyTriaged {
  kind: 'triaged';
  anomalyId: string;
  entry: { status: string; note: string; by: string; at: string; position: number };
}
export type AnomalyChange = AnomalyRaised | AnomalyTriaged;

/** Pure: anomaly and triage events → changes to the anomalies read model, in ledger order. */
export function evolveAnomalies(events: readonly StoredEvent[]): AnomalyChange[] {
  const changes: AnomalyChange[] = [];
  for (const { event, position } of events) {
    if (event.origin.system !== 'ledger') continue;
    if (event.type === ANOMALY_RAISED) {
      changes.push({ kind: 'raised', anomaly: JSON.parse(event.raw) as Anomaly, position });
    } else if (event.type === ANOMALY_TRIAGED) {
      const record = JSON.parse(event.raw) as { anomaly_id: string; status: string; note: string; by: string; at: string };
      changes.push({ kind: 'triaged', anomalyId: record.anomaly_id, entry: { status: record.status, note: record.note, by: record.by, at: record.at, position } });
    }
  }
  return changes;
}

const INSERT = `
  INSERT INTO projection_anomalies (id, type, severity, subject, time, late, evidence, facts, details, status, history, raised_position, updated_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'open', '[]'::jsonb, $10, $5)
  ON CONFLICT (id) DO NOTHING`;
const TRIAGE = `
  UPDATE projection_anomalies SET status = $2, history = history || $3::jsonb, updated_at = $4
  WHERE id = $1`;

export const anomaliesProjection: Projection<AnomalyChange[]> = {
  name: 'anomalies',
  tables: ['projection_anomalies'],
  evolve: evolveAnomalies,
  async write(client: PoolClient, changes: AnomalyChange[]) {
    for (const change of changes) {
      if (change.kind === 'raised') {
        const a = change.anomaly;
        await client.query(INSERT, [a.id, a.type, a.severity, a.subject, a.time, a.late, storableJson(a.evidence_event_ids), storableJson(a.facts), storableJson(a.details), change.position]);
      } else {
        await client.query(TRIAGE, [change.anomalyId, change.entry.status, storableJson([change.entry]), change.entry.at]);
      }
    }
  },
};
