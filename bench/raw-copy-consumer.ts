import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { EachBatchPayload, KafkaMessage } from 'kafkajs';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { benchKafka } from './support/bench-kafka.js';

/**
 * The raw limit of ingestion on this machine (DESIGN 10): a plain kafkajs consumer with the
 * ledger's consumer settings that COPYs each batch's payloads, untouched, into a bare table
 * and commits the offsets after each batch. No parsing, no hashing, no indexes: whatever the
 * ledger does on top of this is what its throughput is measured against.
 *
 * Spawned by the ingest scenario: `node dist/bench/raw-copy-consumer.js '<json settings>'`.
 */
interface RawConsumerSettings {
  databaseUrl: string;
  brokers: string[];
  groupId: string;
  topics: string[];
}

const settings = JSON.parse(process.argv[2] ?? '{}') as RawConsumerSettings;

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS raw_events (
  topic text NOT NULL, partition integer NOT NULL, "offset" bigint NOT NULL, payload bytea NOT NULL)`;
const COPY = 'COPY raw_events (topic, partition, "offset", payload) FROM STDIN (FORMAT binary)';

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/** One COPY binary stream: header, a tuple per message, trailer. */
function binaryCopy(topic: string, partition: number, messages: KafkaMessage[]): Buffer {
  const topicBytes = Buffer.from(topic, 'utf8');
  let size = SIGNATURE.length + 8 + 2;
  for (const m of messages) size += 2 + 4 + topicBytes.length + 4 + 4 + 4 + 8 + 4 + (m.value?.length ?? 0);
  const out = Buffer.allocUnsafe(size);
  let at = SIGNATURE.copy(out, 0);
  at = out.writeInt32BE(0, at);
  at = out.writeInt32BE(0, at);
  for (const m of messages) {
    const value = m.value ?? Buffer.alloc(0);
    at = out.writeInt16BE(4, at);
    at = out.writeInt32BE(topicBytes.length, at);
    at += topicBytes.copy(out, at);
    at = out.writeInt32BE(4, at);
    at = out.writeInt32BE(partition, at);
    at = out.writeInt32BE(8, at);
    at = out.writeBigInt64BE(BigInt(m.offset), at);
    at = out.writeInt32BE(value.length, at);
    at += value.copy(out, at);
  }
  out.writeInt16BE(-1, at);
  return out;
}

// kafkajs 2.2.4 hands out a partition's batch again (sometimes while the first is still being
// processed) when partitionsConsumedConcurrently > 1. The ledger skips what its stored offsets
// say it already has; this consumer does the same from memory, one batch per partition at a time.
const nextOffsets = new Map<string, bigint>();
const partitionLocks = new Map<string, Promise<unknown>>();
function exclusively(key: string, work: () => Promise<void>): Promise<void> {
  const current = (partitionLocks.get(key) ?? Promise.resolve()).then(work, work);
  partitionLocks.set(key, current.catch(() => undefined));
  return current;
}

async function main(): Promise<void> {
  const pool = new pg.Pool({ connectionString: settings.databaseUrl, max: 2, application_name: 'bench-raw-limit' });
  await pool.query(CREATE_TABLE);
  const kafka = benchKafka(settings.brokers, 'bench-raw-limit');
  // The same consumer settings as KafkaIngestConsumer, so only the work per batch differs.
  const consumer = kafka.consumer({
    groupId: settings.groupId,
    sessionTimeout: 10_000,
    heartbeatInterval: 3_000,
    maxBytesPerPartition: 4 * 1024 * 1024,
    maxWaitTimeInMs: 200,
    retry: { retries: 20, initialRetryTime: 300, maxRetryTime: 10_000 },
  });
  await consumer.connect();
  await consumer.subscribe({ topics: settings.topics, fromBeginning: true });
  const stop = async () => {
    await consumer.disconnect().catch(() => undefined);
    await pool.end().catch(() => undefined);
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: 2,
    eachBatch: async ({ batch, resolveOffset, heartbeat }: EachBatchPayload) => {
      const key = `${batch.topic}\u0000${batch.partition}`;
      await exclusively(key, async () => {
        const from = nextOffsets.get(key) ?? 0n;
        const fresh = batch.messages.filter((m) => BigInt(m.offset) >= from);
        if (fresh.length === 0) return;
        const client = await pool.connect();
        try {
          await pipeline(Readable.from([binaryCopy(batch.topic, batch.partition, fresh)]), client.query(copyFrom(COPY)));
        } finally {
          client.release();
        }
        const last = fresh[fresh.length - 1]!;
        nextOffsets.set(key, BigInt(last.offset) + 1n);
        resolveOffset(last.offset);
        await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last.offset) + 1n).toString() }]);
        await heartbeat();
      });
    },
  });
}

main().catch((error) => {
  process.stderr.write(`raw consumer failed: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
