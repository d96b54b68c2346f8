import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { Logger } from 'pino';
import type { EventStoreRepository } from '#event-store';
import type { IncomingMessage, IngestService } from './ingest.service.js';
import { headersToStrings } from './kafka-headers.js';

export interface KafkaIngestSettings {
  groupId: string;
  topics: string[];
  sessionTimeoutMs: number;
  maxBatchEvents: number;
  maxMessageBytes: number;
}

/**
 * Consumes the input topics in one consumer group and appends through IngestService.
 *
 * Delivery: at-least-once from Kafka into an idempotent append. The offsets a batch consumed
 * are written in the same Postgres transaction as its events, and messages below the stored
 * offset are skipped, so redelivery after a crash or rebalance (kafkajs's known weak spot)
 * neither loses nor duplicates anything. Committing to Kafka afterwards only saves re-reading.
 */
export class KafkaIngestConsumer {
  private consumer: Consumer | null = null;
  private stopping = false;
  private batches = 0;

  constructor(
    private readonly kafka: Kafka,
    private readonly ingest: IngestService,
    private readonly store: EventStoreRepository,
    private readonly settings: KafkaIngestSettings,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    await this.alignGroupOffsetsWithStore();
    // Asked to stop while aligning (an ingest worker told to stop as it starts): never join.
    if (this.stopping) return;
    const consumer = this.kafka.consumer({
      groupId: this.settings.groupId,
      sessionTimeout: this.settings.sessionTimeoutMs,
      heartbeatInterval: Math.min(3_000, Math.floor(this.settings.sessionTimeoutMs / 3)),
      maxBytesPerPartition: 4 * 1024 * 1024,
      maxWaitTimeInMs: 200,
      retry: { retries: 20, initialRetryTime: 300, maxRetryTime: 10_000 },
    });
    this.consumer = consumer;
    consumer.on(consumer.events.CRASH, (event) => {
      this.logger.error({ error: String(event.payload.error), restart: event.payload.restart }, 'kafka consumer crashed');
    });
    await consumer.connect();
    await consumer.subscribe({ topics: this.settings.topics, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 2,
      eachBatch: (payload) => this.handleBatch(payload),
    });
    this.logger.info({ topics: this.settings.topics, groupId: this.settings.groupId }, 'ingest consumer started');
  }

  /**
   * Finishes the chunk being appended (the batch loop checks `stopping` between chunks and
   * kafkajs waits for the running eachBatch), leaves the group so that the partitions move
   * to the other members at once instead of after the session timeout, and disconnects.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.consumer?.disconnect().catch(() => undefined);
    if (this.consumer) this.logger.info({ batches: this.batches }, 'ingest consumer stopped');
    this.consumer = null;
  }

  private async handleBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const { topic, partition } = batch;
    const storedNext = await this.storedNextOffset(topic, partition);
    const pending = batch.messages.filter((message) => BigInt(message.offset) >= storedNext);
    for (let start = 0; start < pending.length; start += this.settings.maxBatchEvents) {
      if (!isRunning() || isStale() || this.stopping) return;
      const chunk = pending.slice(start, start + this.settings.maxBatchEvents);
      const last = chunk[chunk.length - 1]!;
      const nextOffset = (BigInt(last.offset) + 1n).toString();
      const outcome = await this.ingest.ingest(
        chunk.map((message) => toIncoming(topic, partition, message)),
        {
          channel: 'kafka',
          maxMessageBytes: this.settings.maxMessageBytes,
          offsets: [{ groupId: this.settings.groupId, topic, partition, nextOffset }],
        },
      );
      resolveOffset(last.offset);
      await this.commitToKafka(topic, partition, nextOffset);
      await heartbeat();
      this.batches++;
      this.logger.debug(
        { topic, partition, messages: chunk.length, appended: outcome.appended, duplicates: outcome.duplicates, rejected: outcome.rejected },
        'batch ingested',
      );
    }
    // A batch made only of already-stored messages still moves the Kafka offset on.
    const lastMessage = batch.messages[batch.messages.length - 1];
    if (lastMessage && pending.length === 0) {
      resolveOffset(lastMessage.offset);
      await this.commitToKafka(topic, partition, (BigInt(lastMessage.offset) + 1n).toString());
    }
  }

  private async storedNextOffset(topic: string, partition: number): Promise<bigint> {
    const offsets = await this.store.consumedOffsets(this.settings.groupId);
    const found = offsets.find((offset) => offset.topic === topic && offset.partition === partition);
    return found ? BigInt(found.nextOffset) : 0n;
  }

  private async commitToKafka(topic: string, partition: number, offset: string): Promise<void> {
    try {
      await this.consumer?.commitOffsets([{ topic, partition, offset }]);
    } catch (error) {
      // Harmless: the store holds the authoritative offset and skips what it already has.
      this.logger.warn({ topic, partition, offset, error: String(error) }, 'kafka offset commit failed');
    }
  }

  /**
   * The store, not Kafka, is the source of truth for what was consumed. If the group's
   * committed offsets are ahead of the store (e.g. the database was recreated), the group
   * is moved back so nothing is skipped. Only possible while the group has no members; when
   * other workers are running they already consume from the right place.
   */
  private async alignGroupOffsetsWithStore(): Promise<void> {
    const admin = this.kafka.admin();
    try {
      await admin.connect();
      const stored = await this.store.consumedOffsets(this.settings.groupId);
      const existingTopics = new Set(await admin.listTopics());
      for (const topic of this.settings.topics.filter((t) => existingTopics.has(t))) {
        const [committed] = await admin.fetchOffsets({ groupId: this.settings.groupId, topics: [topic] });
        const partitions = (committed?.partitions ?? []).map((p) => {
          const inStore = stored.find((s) => s.topic === topic && s.partition === p.partition);
          return { partition: p.partition, committed: BigInt(p.offset), store: inStore ? BigInt(inStore.nextOffset) : 0n };
        });
        const behind = partitions.filter((p) => p.committed > p.store);
        if (behind.length === 0) continue;
        await admin.setOffsets({
          groupId: this.settings.groupId,
          topic,
          partitions: behind.map((p) => ({ partition: p.partition, offset: p.store.toString() })),
        });
        this.logger.warn({ topic, partitions: behind.map((p) => p.partition) }, 'moved consumer group back to the offsets the store holds');
      }
    } catch (error) {
      this.logger.info({ error: String(error) }, 'consumer group offsets not aligned (group active); relying on store offsets');
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
}

function toIncoming(topic: string, partition: number, message: KafkaMessage): IncomingMessage {
  const headers = headersToStrings(message.headers);
  return {
    body: message.value ?? Buffer.alloc(0),
    headers,
    declaredFormat: headers['ledger-format'],
    kafka: { topic, partition, offset: message.offset },
    // the producer's CreateTime (ms since the epoch, as text): stands in only for a record without a time
    transportTime: { source: 'kafka_timestamp', epochMs: message.timestamp },
  };
}
