// The peer in the ingest benchmark (DESIGN 10): the same Kafka messages the ledger consumes,
// appended with Emmett's PostgreSQL event store, one stream per accountable subject (the
// message key, which `ledger publish` sets to the subject). Same consumer settings as the
// ledger; offsets are committed after each batch is appended.
//
// Spawned by dist/bench/ingest-throughput.js:  node emmett-appender.mjs '<json settings>'
// Lives in its own folder with its own node_modules because Emmett's peer dependencies
// conflict with the root package's.
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import { Kafka, logLevel } from 'kafkajs';

const settings = JSON.parse(process.argv[2] ?? '{}');
const concurrency = settings.concurrency ?? 4;

const eventStore = getPostgreSQLEventStore(settings.databaseUrl);

// kafkajs 2.2.4 hands out a partition's batch again (sometimes while the first is still being
// processed) when partitionsConsumedConcurrently > 1. The ledger skips what its stored offsets
// say it already has; this consumer does the same from memory, one batch per partition at a time.
const nextOffsets = new Map();
const partitionLocks = new Map();
async function exclusively(key, work) {
  const previous = partitionLocks.get(key) ?? Promise.resolve();
  const current = previous.then(work, work);
  partitionLocks.set(key, current.catch(() => undefined));
  return current;
}

/**
 * One subject's events can arrive on two topics whose batches are appended at the same
 * time; Emmett then refuses one append with a version conflict, and it is simply retried.
 */
async function appendWithRetry(stream, events) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await eventStore.appendToStream(stream, events);
    } catch (error) {
      if (attempt >= 10 || !/VersionConflict|Concurrency/.test(error?.constructor?.name ?? '')) throw error;
    }
  }
}

/** Appends each subject's messages, in their Kafka order, as one append per stream. */
async function appendBatch(messages) {
  const streams = new Map();
  for (const message of messages) {
    const stream = message.key ? `subject-${message.key.toString('utf8')}` : 'subject-unattributed';
    const record = JSON.parse(message.value.toString('utf8'));
    const event = { type: typeof record.eventName === 'string' ? record.eventName : 'Unknown', data: record };
    const list = streams.get(stream);
    if (list) list.push(event);
    else streams.set(stream, [event]);
  }
  const queue = [...streams];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      await appendWithRetry(next[0], next[1]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
}

async function main() {
  // Schema creation is not part of the measurement: done before consuming starts.
  await eventStore.schema.migrate();
  const kafka = new Kafka({ clientId: 'bench-emmett', brokers: settings.brokers, logLevel: logLevel.NOTHING });
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
    await eventStore.close().catch(() => undefined);
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: 2,
    eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
      const key = `${batch.topic}\u0000${batch.partition}`;
      await exclusively(key, async () => {
        const from = nextOffsets.get(key) ?? 0n;
        const fresh = batch.messages.filter((m) => BigInt(m.offset) >= from);
        if (fresh.length === 0) return;
        await appendBatch(fresh);
        const last = fresh[fresh.length - 1];
        nextOffsets.set(key, BigInt(last.offset) + 1n);
        resolveOffset(last.offset);
        await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last.offset) + 1n).toString() }]);
        await heartbeat();
      });
    },
  });
}

main().catch((error) => {
  process.stderr.write(`emmett appender failed: ${error?.stack ?? error}\n`);
  process.exit(1);
});
