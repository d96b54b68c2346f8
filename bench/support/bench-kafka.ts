import { Kafka, logLevel, type Admin } from 'kafkajs';
import type { TopicNames } from '#domain';
import { RecordPublisher, type PublishReport } from '#ingestion';
import { createProducer } from '#messaging';
import { benchWorkload } from './workload.js';

export const BENCH_PARTITIONS = 4;

/** A kafkajs client for the benchmark harness itself (publishing, watching offsets, cleaning up). */
export function benchKafka(brokers: string[], clientId: string): Kafka {
  return new Kafka({
    clientId,
    brokers,
    connectionTimeout: 5_000,
    requestTimeout: 30_000,
    retry: { initialRetryTime: 300, retries: 12, maxRetryTime: 10_000 },
    logLevel: logLevel.NOTHING,
  });
}

/** Fresh topic names for one scenario; the ledger's naming with a unique prefix. */
export function benchTopics(runId: string, scenario: string): TopicNames {
  const prefix = `bench.${runId}.${scenario}`;
  return {
    inputs: {
      identity: `${prefix}.identity`,
      authentication: `${prefix}.authentication`,
      authorization: `${prefix}.authorization`,
      activity: `${prefix}.activity`,
    },
    anomalies: `${prefix}.anomalies`,
    dlq: `${prefix}.dlq`,
  };
}

export function inputTopicList(topics: TopicNames): string[] {
  return Object.values(topics.inputs);
}

/** The ledger service's environment for these topics. */
export function topicEnvironment(topics: TopicNames): Record<string, string> {
  return {
    LEDGER_TOPIC_IDENTITY: topics.inputs.identity,
    LEDGER_TOPIC_AUTHENTICATION: topics.inputs.authentication,
    LEDGER_TOPIC_AUTHORIZATION: topics.inputs.authorization,
    LEDGER_TOPIC_ACTIVITY: topics.inputs.activity,
    LEDGER_TOPIC_ANOMALIES: topics.anomalies,
    LEDGER_TOPIC_DLQ: topics.dlq,
    LEDGER_TOPIC_PARTITIONS: String(BENCH_PARTITIONS),
  };
}

export async function createTopics(admin: Admin, names: string[]): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = names.filter((n) => !existing.has(n));
  if (missing.length === 0) return;
  await admin.createTopics({
    topics: missing.map((topic) => ({ topic, numPartitions: BENCH_PARTITIONS, replicationFactor: 1 })),
    waitForLeaders: true,
  });
}

/** Deletes whichever of these topics and groups exist; the shared broker must not fill up with benchmark data. */
export async function deleteTopicsAndGroups(kafka: Kafka, topics: string[], groups: string[] = []): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    if (groups.length) {
      await admin.deleteGroups(groups).catch(() => undefined);
    }
    const existing = new Set(await admin.listTopics());
    const present = topics.filter((t) => existing.has(t));
    if (present.length) await admin.deleteTopics({ topics: present, timeout: 30_000 });
  } finally {
    await admin.disconnect();
  }
}

/**
 * Publishes `count` generated records (fixed seed, the generator's realistic mix and sizes)
 * to the input topics the way `ledger publish` does: each to the topic of its category,
 * keyed by its accountable subject. Streams, so memory stays flat at any count.
 */
export async function publishWorkload(kafka: Kafka, topics: TopicNames, seed: number, count: number): Promise<PublishReport & { bytes: number; seconds: number }> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await createTopics(admin, inputTopicList(topics));
  } finally {
    await admin.disconnect();
  }
  const producer = createProducer(kafka);
  await producer.connect();
  const started = process.hrtime.bigint();
  let bytes = 0;
  try {
    // Small enough that one partition's share of a send stays under the broker's 1 MB message limit.
    const publisher = new RecordPublisher(producer, topics, 600);
    for (const json of benchWorkload(seed, count)) {
      const body = Buffer.from(json, 'utf8');
      bytes += body.length;
      await publisher.publish(body);
    }
    const report = await publisher.flush();
    return { ...report, bytes, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
  } finally {
    await producer.disconnect();
  }
}

/** Sum over partitions of each topic's end offset (the number of messages a consumer must reach). */
export async function topicEnds(kafka: Kafka, topics: string[]): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    let total = 0;
    for (const topic of topics) {
      for (const p of await admin.fetchTopicOffsets(topic)) total += Number(p.high);
    }
    return total;
  } finally {
    await admin.disconnect();
  }
}

/** A function returning how many messages a consumer has durably processed so far. */
export type ProgressProbe = () => Promise<number>;

/** Progress read from a consumer group's committed Kafka offsets. */
export function kafkaGroupProgress(admin: Admin, groupId: string, topics: string[]): ProgressProbe {
  return async () => {
    const offsets = await admin.fetchOffsets({ groupId, topics });
    let total = 0;
    for (const t of offsets) for (const p of t.partitions) if (Number(p.offset) > 0) total += Number(p.offset);
    return total;
  };
}

export interface ThroughputMeasurement {
  /** Messages processed, counted from the first progress seen to the end. */
  measuredMessages: number;
  seconds: number;
  eventsPerSecond: number;
  /** Messages already done at the first observation (the first batch; excluded from the rate). */
  firstBatchMessages: number;
  /** From the start of watching to the first progress: process start, group join, first fetch. */
  startupSeconds: number;
  /** True when everything was done by the first observation, so the rate had to include start-up. */
  includesStartup: boolean;
}

/**
 * Polls a progress probe until it reaches `total`. The rate is taken from the first observed
 * progress to the moment the total is reached, and the messages of that first observation
 * are not counted: start-up, group join and the first fetch are excluded the same way for
 * every contender.
 */
export async function measureUntil(
  probe: ProgressProbe,
  total: number,
  options: { intervalMs?: number; timeoutMs: number; isAlive?: () => string | null },
): Promise<ThroughputMeasurement> {
  const interval = options.intervalMs ?? 50;
  const watchStart = process.hrtime.bigint();
  const deadline = Date.now() + options.timeoutMs;
  let first: { at: bigint; done: number } | null = null;
  let last = 0;
  for (;;) {
    const done = await probe().catch(() => last);
    const now = process.hrtime.bigint();
    last = done;
    if (first === null && done > 0) first = { at: now, done };
    if (done >= total && first) {
      const startupSeconds = Number(first.at - watchStart) / 1e9;
      if (first.done < total) {
        const seconds = Number(now - first.at) / 1e9;
        const measured = total - first.done;
        return { measuredMessages: measured, seconds, eventsPerSecond: measured / seconds, firstBatchMessages: first.done, startupSeconds, includesStartup: false };
      }
      // Only possible for tiny runs (smoke tests): all of it landed between two observations.
      const seconds = Number(now - watchStart) / 1e9;
      return { measuredMessages: total, seconds, eventsPerSecond: total / seconds, firstBatchMessages: total, startupSeconds, includesStartup: true };
    }
    const dead = options.isAlive?.();
    if (dead) throw new Error(`${dead} (progress ${done}/${total})`);
    if (Date.now() > deadline) throw new Error(`timed out after ${options.timeoutMs} ms at ${done}/${total} messages`);
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}
