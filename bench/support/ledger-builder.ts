import { EventStoreRepository, type Pool } from '#event-store';
import * as ingestion from '#ingestion';
import { IngestService, type IncomingMessage } from '#ingestion';
import { benchWorkload } from './workload.js';

export interface Checkpoint {
  events: number;
  /** Seconds of ingest work from the start of the build to this checkpoint. */
  elapsedSeconds: number;
  /** Rate over the whole build so far. */
  cumulativeEventsPerSecond: number;
  /** Rate over the last stretch before the checkpoint (the marginal cost at this ledger size). */
  windowEventsPerSecond: number;
  windowEvents: number;
}

export interface BuildReport {
  events: number;
  stored: number;
  rejected: number;
  seconds: number;
  eventsPerSecond: number;
  checkpoints: Checkpoint[];
}

const CHUNK = 2_000;

/**
 * The store exactly as the service builds it: with its append participants (attribution)
 * where the ingestion library offers that factory, the bare repository before it existed.
 */
function ledgerStore(pool: Pool): EventStoreRepository {
  const factory = (ingestion as Record<string, unknown>).createLedgerEventStore;
  return typeof factory === 'function' ? (factory as (p: Pool) => EventStoreRepository)(pool) : new EventStoreRepository(pool);
}

/**
 * Fills a migrated database with `count` generated events through the ledger's own ingest
 * use case (normalize, prepare with integrity hashes, append under the head lock), without
 * Kafka: the fastest honest way to get a large ledger. The next chunk is generated while the
 * previous append is in flight, so Postgres and Node work at the same time. Chunks end
 * exactly at the checkpoints, where `onCheckpoint` runs with nothing in flight (its time is
 * not counted).
 */
export async function buildLedger(
  pool: Pool,
  options: { seed: number; count: number; checkpoints?: number[]; onCheckpoint?: (c: Checkpoint) => Promise<void> | void; onProgress?: (done: number) => void },
): Promise<BuildReport> {
  const ingest = new IngestService(ledgerStore(pool));
  const checkpoints = [...new Set(options.checkpoints ?? [])].filter((c) => c > 0 && c <= options.count).sort((a, b) => a - b);
  const reached: Checkpoint[] = [];
  const started = process.hrtime.bigint();
  let pausedNs = 0n;
  const activeSeconds = () => Number(process.hrtime.bigint() - started - pausedNs) / 1e9;
  const marks: Array<{ done: number; at: number }> = [{ done: 0, at: 0 }];
  let done = 0;
  let submitted = 0;
  let stored = 0;
  let rejected = 0;
  let inFlight: Promise<void> | null = null;
  let chunk: IncomingMessage[] = [];
  let nextProgress = 100_000;

  const settle = async () => {
    if (inFlight) await inFlight;
    inFlight = null;
    marks.push({ done, at: activeSeconds() });
    if (options.onProgress && done >= nextProgress) {
      nextProgress += 100_000;
      options.onProgress(done);
    }
    const checkpoint = checkpoints.find((c) => c === done && !reached.some((r) => r.events === c));
    if (checkpoint !== undefined) {
      const at = activeSeconds();
      const windowStart = [...marks].reverse().find((m) => m.done <= done - Math.max(CHUNK, Math.floor(checkpoint / 10))) ?? marks[0]!;
      const c: Checkpoint = {
        events: checkpoint,
        elapsedSeconds: at,
        cumulativeEventsPerSecond: done / at,
        windowEventsPerSecond: (done - windowStart.done) / (at - windowStart.at),
        windowEvents: done - windowStart.done,
      };
      reached.push(c);
      const pauseStart = process.hrtime.bigint();
      await options.onCheckpoint?.(c);
      pausedNs += process.hrtime.bigint() - pauseStart;
    }
  };
  const submit = async () => {
    const messages = chunk;
    chunk = [];
    const crossesCheckpoint = checkpoints.includes(submitted + messages.length);
    await settle();
    submitted += messages.length;
    inFlight = ingest.ingest(messages, { channel: 'cli', maxMessageBytes: 4 * 1024 * 1024 }).then((outcome) => {
      stored += outcome.appended;
      rejected += outcome.rejected;
      done += messages.length;
    });
    // A checkpoint is measured as soon as its chunk is stored, not after the next one is generated.
    if (crossesCheckpoint) await settle();
  };

  for (const json of benchWorkload(options.seed, options.count)) {
    chunk.push({ body: Buffer.from(json, 'utf8'), headers: {}, kafka: null });
    const boundary = checkpoints.find((c) => c > submitted) ?? Infinity;
    if (chunk.length >= CHUNK || submitted + chunk.length === boundary) await submit();
  }
  if (chunk.length) await submit();
  await settle();

  const seconds = activeSeconds();
  return { events: done, stored, rejected, seconds, eventsPerSecond: done / seconds, checkpoints: reached };
}
