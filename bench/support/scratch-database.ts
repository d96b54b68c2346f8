import pg from 'pg';
import { createPool, ensureDatabase, migrate, quoteIdentifier, type Pool } from '#event-store';

/**
 * A database that exists only for one benchmark scenario (never the `ledger` database):
 * created on the server named by DATABASE_URL, dropped when the scenario ends.
 */
export interface ScratchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

export function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function createScratchDatabase(serverUrl: string, label: string, runId: string, options: { migrate?: boolean } = {}): Promise<ScratchDatabase> {
  const name = `ledger_bench_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${runId}`;
  const url = withDatabase(serverUrl, name);
  await dropDatabase(serverUrl, name);
  await ensureDatabase(url);
  if (options.migrate) {
    const pool = createPool(url, 1);
    try {
      await migrate(pool);
    } finally {
      await pool.end();
    }
  }
  return { name, url, drop: () => dropDatabase(serverUrl, name) };
}

async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

export async function serverVersion(serverUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await client.connect();
  try {
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    return rows[0]?.server_version ?? 'unknown';
  } finally {
    await client.end();
  }
}

/** Bytes on disk of every ledger table (partitions, indexes and TOAST included). */
export async function ledgerStoreBytes(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ bytes: string | number | null }>(
    `SELECT sum(pg_total_relation_size(c.oid)) AS bytes
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'r' AND n.nspname = 'public' AND c.relname LIKE 'ledger\\_%'`,
  );
  return Number(rows[0]?.bytes ?? 0);
}

/** Sum of the next offsets the ledger stored for a consumer group (authoritative ingest progress). */
export async function ledgerConsumedMessages(pool: Pool, groupId: string): Promise<number> {
  const { rows } = await pool.query<{ total: string | number | null }>(
    'SELECT sum(next_offset) AS total FROM ledger_consumer_offsets WHERE group_id = $1',
    [groupId],
  );
  return Number(rows[0]?.total ?? 0);
}

export async function ledgerCounts(pool: Pool): Promise<{ events: number; rejections: number; duplicates: number }> {
  const { rows } = await pool.query<{ events: string | number; rejections: string | number; duplicates: string | number }>(
    `SELECT (SELECT next_position FROM ledger_head) AS events,
            (SELECT count(*) FROM ledger_rejections) AS rejections,
            (SELECT count(*) FROM ledger_duplicate_receipts) AS duplicates`,
  );
  const row = rows[0]!;
  return { events: Number(row.events), rejections: Number(row.rejections), duplicates: Number(row.duplicates) };
}

export { createPool, type Pool };
