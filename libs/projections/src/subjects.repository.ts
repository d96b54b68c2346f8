import type { Pool } from '#event-store';

export interface SubjectListItem {
  subject: string;
  kinds: string[];
  events: number;
  failures: number;
  rootEvents: number;
  firstSeen: string;
  lastSeen: string;
  lastAction: string;
  /** Anomalies raised on the subject and not yet triaged (status `open`). */
  openAnomalies: number;
}

const LIST = `
  SELECT s.subject, s.kinds, s.events, s.failures, s.root_events, s.first_seen, s.last_seen, s.last_action,
         (SELECT count(*) FROM projection_anomalies a WHERE a.subject = s.subject AND a.status = 'open') AS open_anomalies
  FROM projection_subjects s
  WHERE ($1::text IS NULL OR s.subject > $1) AND ($2::text IS NULL OR $2 = ANY(s.kinds))
  ORDER BY s.subject LIMIT $3`;

/** Reads the subjects projection (GET /v1/subjects). */
export class SubjectsRepository {
  constructor(private readonly pool: Pool) {}

  async list(after: string | null, kind: string | null, limit: number): Promise<{ items: SubjectListItem[]; next: string | null }> {
    const { rows } = await this.pool.query(LIST, [after, kind, limit + 1]);
    const items = rows.slice(0, limit).map((row) => ({
      subject: row.subject,
      kinds: row.kinds,
      events: Number(row.events),
      failures: Number(row.failures),
      rootEvents: Number(row.root_events),
      firstSeen: (row.first_seen as Date).toISOString(),
      lastSeen: (row.last_seen as Date).toISOString(),
      lastAction: row.last_action,
      openAnomalies: Number(row.open_anomalies),
    }));
    return { items, next: rows.length > limit ? items[items.length - 1]!.subject : null };
  }
}
