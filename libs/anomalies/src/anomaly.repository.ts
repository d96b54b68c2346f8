import type { Pool } from '#event-store';

export interface AnomalyRecord {
  id: string;
  type: string;
  severity: string;
  subject: string;
  time: string;
  late: boolean;
  evidenceEventIds: string[];
  facts: string[];
  details: Record<string, unknown>;
  status: string;
  history: Array<{ status: string; note: string; by: string; at: string; position: number }>;
  raisedPosition: number;
}

export interface AnomalyFilter {
  subjects?: string[];
  type?: string;
  severity?: string;
  status?: string;
  from?: string;
  to?: string;
}

const COLUMNS = 'id, type, severity, subject, time, late, evidence, facts, details, status, history, raised_position';
const FILTERS: Array<[Exclude<keyof AnomalyFilter, 'subjects'>, string]> = [
  ['type', 'type = $'],
  ['severity', 'severity = $'],
  ['status', 'status = $'],
  ['from', 'time >= $::timestamptz'],
  ['to', 'time < $::timestamptz'],
];

/** Reads the anomalies projection; snapshots and detector state live beside it. */
export class AnomalyRepository {
  constructor(private readonly pool: Pool) {}

  async list(filter: AnomalyFilter, limit: number, after: { time: string; id: string } | null) {
    const clauses: string[] = [];
    const values: unknown[] = [];
    const bind = (value: unknown) => {
      values.push(value);
      return `$${values.length}`;
    };
    if (filter.subjects) clauses.push(`subject = ANY(${bind(filter.subjects)}::text[])`);
    for (const [key, template] of FILTERS) if (filter[key] !== undefined) clauses.push(template.replace('$', bind(filter[key])));
    if (after) clauses.push(`(time, id) > (${bind(after.time)}::timestamptz, ${bind(after.id)})`);
    const sql = `SELECT ${COLUMNS} FROM projection_anomalies ${clauses.length ? `WHERE ${clauses.join(' AND ')}` : ''} ORDER BY time, id LIMIT ${bind(limit + 1)}`;
    const { rows } = await this.pool.query(sql, values);
    const items = rows.slice(0, limit).map(toRecord);
    const last = items[items.length - 1];
    return { items, next: rows.length > limit && last ? { time: last.time, id: last.id } : null };
  }

  async find(id: string): Promise<AnomalyRecord | null> {
    const { rows } = await this.pool.query(`SELECT ${COLUMNS} FROM projection_anomalies WHERE id = $1`, [id]);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async openCountsBySubject(subjects: string[]): Promise<Map<string, number>> {
    const { rows } = await this.pool.query<{ subject: string; n: number }>(
      "SELECT subject, count(*)::int AS n FROM projection_anomalies WHERE status = 'open' AND subject = ANY($1::text[]) GROUP BY subject",
      [subjects],
    );
    return new Map(rows.map((row) => [row.subject, row.n]));
  }

  async loadSnapshot(reader: string): Promise<{ position: number; state: string } | null> {
    const { rows } = await this.pool.query<{ position: number; state: string }>('SELECT position, state FROM detection_snapshots WHERE reader = $1', [reader]);
    return rows[0] ?? null;
  }

  async saveSnapshot(reader: string, position: number, state: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO detection_snapshots (reader, position, state) VALUES ($1, $2, $3)
       ON CONFLICT (reader) DO UPDATE SET position = EXCLUDED.position, state = EXCLUDED.state, saved_at = now()`,
      [reader, position, state],
    );
  }
}

function toRecord(row: Record<string, any>): AnomalyRecord {
  return {
    id: row.id,
    type: row.type,
    severity: row.severity,
    subject: row.subject,
    time: (row.time as Date).toISOString(),
    late: row.late,
    evidenceEventIds: row.evidence,
    facts: row.facts,
    details: row.details,
    status: row.status,
    history: row.history,
    raisedPosition: Number(row.raised_position),
  };
}
