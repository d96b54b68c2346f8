import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPool, type Pool } from '#event-store';
import { createLedgerEventStore, IngestService } from '#ingestion';
import { PROJECTIONS } from '#service';
import { eventually, readTopic, startTestLedger, syntheticEvent, type TestLedger } from '#test-support';

/**
 * Readers of the service follow appends made by other processes (ingest workers, other
 * instances, `ledger ingest`) through the `ledger_appended` notification, not their polling:
 * the polling interval is set to ten minutes here, so every catch-up below within the test's
 * timeouts can only come from a notification. The appends are made through a pool and store
 * of the test's own, exactly as another process would, so the service's in-process hook never
 * fires for them; the test makes no API call either (each would append a self-audit record
 * in-process and wake the readers that way).
 */
describe('readers woken by appends of other processes', () => {
  let t: TestLedger;
  let otherProcess: { pool: Pool; ingest: IngestService };
  const TEN_MINUTES = '600000';

  beforeAll(async () => {
    t = await startTestLedger({ databaseUrl: inject('databaseUrl'), kafkaBrokers: inject('kafkaBrokers') }, 'wakeups', {
      LEDGER_READER_POLL_INTERVAL_MS: TEN_MINUTES,
    });
    const pool = createPool(t.db.url, 2);
    otherProcess = { pool, ingest: new IngestService(createLedgerEventStore(pool)) };
  });
  afterAll(async () => {
    await otherProcess?.pool.end();
    await t?.close();
  });

  const head = async () => Number((await t.db.pool.query('SELECT next_position FROM ledger_head')).rows[0].next_position);

  async function projectionsReach(target: number, what: string): Promise<void> {
    await eventually(
      async () => {
        const { rows } = await t.db.pool.query<{ reader: string; position: number }>(
          "SELECT reader, position FROM ledger_reader_checkpoints WHERE reader LIKE 'projection:%'",
        );
        const behind = PROJECTIONS.filter((p) => !rows.some((row) => row.reader === `projection:${p.name}` && Number(row.position) >= target));
        return behind.length === 0 ? true : undefined;
      },
      90_000,
      what,
    );
  }

  async function appendElsewhere(from: number, count: number): Promise<void> {
    const messages = Array.from({ length: count }, (_, i) => ({
      body: Buffer.from(JSON.stringify(syntheticEvent(from + i))),
      headers: {},
      declaredFormat: 'canonical',
      kafka: null,
    }));
    const outcome = await otherProcess.ingest.ingest(messages, { channel: 'cli', maxMessageBytes: 1 << 20 });
    expect(outcome.appended).toBe(count);
  }

  it('brings every projection up to an append made through another connection', async () => {
    await projectionsReach(await head(), 'the projections to cover what the start-up appended');
    await appendElsewhere(1, 40);
    await projectionsReach(await head(), 'the projections to follow an append made elsewhere');
    const subjects = await t.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM projection_subjects');
    expect(subjects.rows[0]!.n).toBeGreaterThan(0);
  });

  it('publishes a rejection made elsewhere to the DLQ (the relay is woken though the head did not move)', async () => {
    const before = await head();
    const outcome = await otherProcess.ingest.ingest([{ body: Buffer.from('{"Records": [ not json'), headers: {}, kafka: null }], {
      channel: 'cli',
      maxMessageBytes: 1 << 20,
    });
    expect(outcome.rejected).toBe(1);
    expect(await head()).toBe(before);
    const dead = await readTopic(t.kafka, t.config.kafka.topics.dlq, 1, 60_000);
    expect(dead.map((m) => m.headers?.['ledger-reason']?.toString())).toEqual(['invalid_json']);
  });

  it('catches up after its listening connection was killed', async () => {
    const killed = await t.db.pool.query<{ killed: boolean }>(
      `SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity
        WHERE datname = current_database() AND application_name = 'accountability-ledger-listener'`,
    );
    expect(killed.rows).toEqual([{ killed: true }]);
    // Made while the service may not be listening: the wake-up on reconnection covers it.
    await appendElsewhere(100, 25);
    await projectionsReach(await head(), 'the projections to catch up after the reconnection');
    await eventually(
      async () => {
        const { rows } = await t.db.pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'accountability-ledger-listener'`,
        );
        return rows[0]!.n === 1 ? true : undefined;
      },
      30_000,
      'one listening connection again',
    );
    await appendElsewhere(200, 10);
    await projectionsReach(await head(), 'the projections to follow an append after the reconnection');
  });
});
