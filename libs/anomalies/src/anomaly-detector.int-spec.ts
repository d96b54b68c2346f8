import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { IpLocationDbGeo } from '#detection';
import { EventQueryRepository } from '#event-store';
import { createLedgerEventStore, IngestService } from '#ingestion';
import { createTestDatabase, type TestDatabase } from '#test-support';
import { generateWorkload } from '#workload';
import { AnomalyDetector } from './anomaly-detector.js';
import { ANOMALY_RAISED } from './anomaly-events.js';
import { AnomalyRepository } from './anomaly.repository.js';

const logger = pino({ level: 'silent' });

interface StoredAnomaly {
  event_id: string;
  position: number;
  id_collision: boolean;
  raw: string;
}

/**
 * DESIGN 7 determinism against the real store: anomalies raised live, while a generated day
 * with seeded incidents arrives in chunks, are exactly the anomalies that a detector with no
 * state raises when it replays the stored ledger from position 0 in other batch sizes.
 */
describe('AnomalyDetector replays the ledger into the same anomalies', () => {
  let db: TestDatabase;
  const geo = new IpLocationDbGeo();

  beforeAll(async () => {
    geo.load();
    db = await createTestDatabase(inject('databaseUrl'), 'detector_replay');
  });
  afterAll(async () => db?.drop());

  const detector = (batchSize: number, snapshotEveryBatches = 20) =>
    new AnomalyDetector(new EventQueryRepository(db.pool), createLedgerEventStore(db.pool), new AnomalyRepository(db.pool), { geo }, logger, batchSize, snapshotEveryBatches);

  const storedAnomalies = async (): Promise<StoredAnomaly[]> =>
    (
      await db.pool.query<StoredAnomaly>(
        `SELECT event_id, position, id_collision, document::jsonb ->> 'raw' AS raw FROM ledger_events WHERE type = $1 ORDER BY position`,
        [ANOMALY_RAISED],
      )
    ).rows;

  const forgetDetectionState = () => db.pool.query("DELETE FROM detection_snapshots WHERE reader = 'detection'");

  it('raises them live, then again from position 0 in batches of 7 and of 997, without a single new or different record', async () => {
    const workload = generateWorkload({ seed: 7 });
    const ingest = new IngestService(createLedgerEventStore(db.pool));
    const live = detector(2000);
    const chunk = 500;
    for (let i = 0; i < workload.records.length; i += chunk) {
      const messages = workload.records.slice(i, i + chunk).map((record) => ({ body: Buffer.from(JSON.stringify(record)), headers: {}, kafka: null }));
      const outcome = await ingest.ingest(messages, { channel: 'cli', maxMessageBytes: 1 << 20 });
      expect(outcome.rejected).toBe(0);
      await live.catchUp();
    }
    await live.stop();
    const raised = await storedAnomalies();
    // the seeded incidents are there to be found: a replay of nothing would prove nothing
    expect(raised.length).toBeGreaterThanOrEqual(workload.incidents.length);
    expect(raised.every((a) => !a.id_collision)).toBe(true);
    const head = (await db.pool.query<{ n: string }>('SELECT next_position AS n FROM ledger_head')).rows[0]!.n;

    for (const batchSize of [7, 997]) {
      await forgetDetectionState();
      // every anomaly the replay raises is already stored byte for byte: a duplicate receipt, not an event
      expect(await detector(batchSize, 3).catchUp()).toBe(0);
      expect((await db.pool.query<{ n: string }>('SELECT next_position AS n FROM ledger_head')).rows[0]!.n).toBe(head);
    }
    expect(await storedAnomalies()).toEqual(raised);
    const repeats = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM ledger_duplicate_receipts');
    // the two replays each raised every anomaly again, and the store recognised each one
    expect(repeats.rows[0]!.n).toBeGreaterThanOrEqual(2 * raised.length);
  });
});
