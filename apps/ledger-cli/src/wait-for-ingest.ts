import type { Kafka } from 'kafkajs';
import type { EventStoreRepository } from '#event-store';

/**
 * Resolves once the store has durably consumed every message currently in the given topics
 * (its recorded offsets reach each partition's end), i.e. everything published so far is
 * stored or dead-lettered. Rejects after `timeoutMs` with what is still outstanding.
 */
export async function waitUntilConsumed(
  kafka: Kafka,
  store: EventStoreRepository,
  groupId: string,
  topics: string[],
  timeoutMs: number,
  onProgress: (outstanding: number) => void = () => undefined,
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = new Map<string, bigint>();
    for (const topic of topics) {
      for (const partition of await admin.fetchTopicOffsets(topic)) ends.set(`${topic}:${partition.partition}`, BigInt(partition.high));
    }
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const consumed = new Map((await store.consumedOffsets(groupId)).map((o) => [`${o.topic}:${o.partition}`, BigInt(o.nextOffset)]));
      let outstanding = 0n;
      for (const [key, end] of ends) {
        const done = consumed.get(key) ?? 0n;
        if (done < end) outstanding += end - done;
      }
      onProgress(Number(outstanding));
      if (outstanding === 0n) return;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ingestion: ${outstanding} message(s) not yet stored`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await admin.disconnect();
  }
}
