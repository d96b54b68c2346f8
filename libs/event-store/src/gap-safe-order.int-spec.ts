import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LedgerIntegrity } from '#integrity';
import { createTestDatabase, syntheticEvent, testKeyFiles, type TestDatabase } from '#test-support';
import { createPool, type Pool } from './database.js';
import { EventStoreRepository } from './event-store.repository.js';
import { MerkleLogRepository } from './merkle-log.repository.js';
import { prepareEvent } from './prepared-event.js';

/**
 * DESIGN 6 / issue #4 item 2: a reader that follows the ledger by position never skips an
 * event whose transaction commits after a later position became visible. Concurrent
 * writers with random delays inside their transactions (after positions are assigned, before
 * commit) race readers that read by position; every reader must see every event exactly
 * once, all in the same order, and so must the Merkle builder.
 */

interface ReaderLog {
  /** Event ids in the order this reader accepted them. */
  seen: string[];
  /** Each time a later position was visible before an earlier one. */
  gaps: Array<{ expected: number; saw: number }>;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Follows `table` by position as projections and the Kafka output do: ask for what comes
 * after the last position seen. A row further on than the next expected position is a gap
 * (and a naive reader would now have skipped the missing one for ever).
 */
async function follow(pool: Pool, table: string, done: () => boolean, total: () => number): Promise<ReaderLog> {
  const log: ReaderLog = { seen: [], gaps: [] };
  let next = 0;
  for (;;) {
    const finished = done();
    const { rows } = await pool.query<{ position: number; event_id: string }>(
      `SELECT position, event_id FROM ${table} WHERE position >= $1 ORDER BY position LIMIT 37`,
      [next],
    );
    for (const row of rows) {
      if (row.position !== next) log.gaps.push({ expected: next, saw: row.position });
      log.seen.push(row.event_id);
      next = row.position + 1;
    }
    if (finished && rows.length === 0 && next >= total()) return log;
    await pause(Math.random() * 3);
  }
}

describe('gap-safe global order under concurrent writers (real Postgres)', () => {
  let db: TestDatabase;
  const pools: Pool[] = [];
  const pool = () => {
    const created = createPool(db.url, 2);
    pools.push(created);
    return created;
  };

  beforeAll(async () => {
    db = await createTestDatabase(inject('databaseUrl'), 'gap_safe');
    // A random delay inside every append transaction, after its positions are assigned and
    // before it commits: the window in which a later append could otherwise commit first.
    await db.pool.query(`
      CREATE FUNCTION test_random_delay() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_sleep(random() * 0.015); RETURN NULL; END $$;
      CREATE TRIGGER test_random_delay AFTER INSERT ON ledger_events FOR EACH STATEMENT EXECUTE FUNCTION test_random_delay();
      CREATE TABLE naive_log (position bigint NOT NULL, event_id text NOT NULL);
      CREATE SEQUENCE naive_positions MINVALUE 0 START 0;`);
  });
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end()));
    await db?.drop();
  });

  it('every reader sees every event exactly once, in one order, and the Merkle log covers them all', async () => {
    const writers = 4;
    const appendsPerWriter = 30;
    const written = new Set<string>();
    let writersDone = false;
    const keys = testKeyFiles('gap-safe');
    const integrity = new LedgerIntegrity(new MerkleLogRepository(pool()), {
      origin: 'ledger.test/gap-safe',
      signingKeyFile: keys.LEDGER_SIGNING_KEY_FILE,
      verifierKeysFile: keys.LEDGER_VERIFIER_KEYS_FILE,
    });

    const writing = Array.from({ length: writers }, async (_, w) => {
      const store = new EventStoreRepository(pool());
      for (let a = 0; a < appendsPerWriter; a++) {
        const size = 1 + Math.floor(Math.random() * 12);
        const events = Array.from({ length: size }, (_, i) => {
          const n = (w * appendsPerWriter + a) * 100 + i;
          return prepareEvent(syntheticEvent(n, { id: `w${w}-a${a}-e${i}` }));
        });
        await store.append({ events });
        for (const e of events) written.add(e.event.id);
        await pause(Math.random() * 10);
      }
    });
    const total = () => written.size;
    const readers = Array.from({ length: 3 }, () => follow(pool(), 'ledger_events', () => writersDone, total));
    // The Merkle builder follows the ledger by position too, concurrently.
    const checkpointing = (async () => {
      while (!writersDone) {
        await integrity.checkpointer.pass('periodic');
        await pause(Math.random() * 20);
      }
    })();

    await Promise.all(writing);
    writersDone = true;
    const logs = await Promise.all(readers);
    await checkpointing;

    const { rows } = await db.pool.query<{ event_id: string }>('SELECT event_id FROM ledger_events ORDER BY position');
    const ledgerOrder = rows.map((r) => r.event_id);
    expect(new Set(ledgerOrder)).toEqual(written);
    for (const log of logs) {
      expect(log.gaps).toEqual([]);
      expect(log.seen).toEqual(ledgerOrder);
    }
    const checkpoint = await integrity.checkpointer.checkpointNow();
    expect(checkpoint.treeSize).toBe(written.size);
    const report = await integrity.verify();
    expect(report).toMatchObject({ ok: true, verified_through: written.size, events: written.size });
  });

  it('the same readers do catch the skip that a sequence-numbered log allows (the check has teeth)', async () => {
    // Positions from a sequence, taken before a commit that may come late: the failure mode
    // the head lock exists to prevent. Staged deterministically: A takes position 0 and
    // stalls, B takes position 1 and commits, a reader looks, then A commits.
    const a = await pool().connect();
    const b = await pool().connect();
    const reader = pool();
    try {
      await a.query('BEGIN');
      await a.query("INSERT INTO naive_log SELECT nextval('naive_positions'), 'A'");
      await b.query("INSERT INTO naive_log SELECT nextval('naive_positions'), 'B'");
      const early = await reader.query('SELECT position, event_id FROM naive_log WHERE position >= 0 ORDER BY position');
      await a.query('COMMIT');
      expect(early.rows).toEqual([{ position: 1, event_id: 'B' }]);
      const log = await follow(reader, 'naive_log', () => true, () => 2);
      expect(log.seen).toEqual(['A', 'B']);
      // A reader that had looked in between resumed after position 1 and never saw A:
      const late = await reader.query('SELECT event_id FROM naive_log WHERE position >= 2 ORDER BY position');
      expect(late.rows).toEqual([]);
    } finally {
      a.release();
      b.release();
    }

    // Under the same random load, a follower of the naive log records the gaps.
    let done = false;
    const naiveWriters = Array.from({ length: 4 }, async (_, w) => {
      const client = await pool().connect();
      try {
        for (let i = 0; i < 40; i++) {
          await client.query('BEGIN');
          await client.query("INSERT INTO naive_log SELECT nextval('naive_positions'), $1", [`n${w}-${i}`]);
          await client.query('SELECT pg_sleep(random() * 0.015)');
          await client.query('COMMIT');
        }
      } finally {
        client.release();
      }
    });
    const follower = follow(reader, 'naive_log', () => done, () => 162);
    await Promise.all(naiveWriters);
    done = true;
    const log = await follower;
    expect(log.gaps.length).toBeGreaterThan(0);
    expect(new Set(log.seen).size).toBeLessThan(162);
  });
});
