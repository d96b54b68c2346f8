import type { Pool } from './database.js';

export interface SubjectAliasSummary {
  subject: string;
  kinds: string[];
  events: number;
  firstSeen: string | null;
  lastSeen: string | null;
}

const ALIAS_SUMMARY = `
  WITH stored AS (
    SELECT e.actor_subject AS subject, e.actor_kind AS kind, e.time
    FROM ledger_events e
    WHERE e.actor_subject = ANY($1::text[])
      AND NOT EXISTS (SELECT 1 FROM ledger_reattributions r WHERE r.position = e.position)
    UNION ALL
    SELECT r.subject, r.kind, r.time FROM ledger_reattributions r WHERE r.subject = ANY($1::text[])
  )
  SELECT subject, array_agg(DISTINCT kind ORDER BY kind) AS kinds, count(*)::bigint AS events,
         min(time) AS first_seen, max(time) AS last_seen
  FROM stored GROUP BY subject ORDER BY subject`;

/**
 * Per-subject summaries computed from the store. (A projection replaces these aggregates
 * for the full accountability profile; they stay correct, just not constant-time.)
 */
export class SubjectQueryRepository {
  constructor(private readonly pool: Pool) {}

  async summarize(subjects: string[]): Promise<SubjectAliasSummary[]> {
    const { rows } = await this.pool.query(ALIAS_SUMMARY, [subjects]);
    return rows.map((row) => ({
      subject: row.subject,
      kinds: row.kinds,
      events: Number(row.events),
      firstSeen: row.first_seen ? (row.first_seen as Date).toISOString() : null,
      lastSeen: row.last_seen ? (row.last_seen as Date).toISOString() : null,
    }));
  }
}
