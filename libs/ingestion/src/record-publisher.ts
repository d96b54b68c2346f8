import type { Producer } from 'kafkajs';
import { normalizeMessage } from '#sources';
import type { TopicNames } from '#domain';

export interface PublishReport {
  messages: number;
  records: number;
  /** Records the publisher could not classify; they are still sent (to the activity topic) so that the ledger dead-letters them with a reason. */
  unclassified: number;
  byTopic: Record<string, number>;
}

/**
 * Publishes source records to the ledger's input topics, each record to the topic of its
 * category (a delivery file is split into its records), keyed by the accountable subject so
 * that one subject's events stay in order within a partition.
 */
export class RecordPublisher {
  private pending: Array<{ topic: string; key: string | null; value: Buffer }> = [];
  private readonly report: PublishReport = { messages: 0, records: 0, unclassified: 0, byTopic: {} };

  constructor(
    private readonly producer: Producer,
    private readonly topics: TopicNames,
    private readonly batchSize = 1000,
  ) {}

  async publish(message: Buffer): Promise<void> {
    this.report.messages++;
    const { events, rejected } = normalizeMessage({ body: message });
    if (events.length === 1 && rejected.length === 0) {
      // One record: send the message as it came. Its `raw` may not be the message itself
      // (a canonical event can carry the source record it was made from).
      this.enqueue(this.topics.inputs[events[0]!.category], events[0]!.actor.subject, message);
      return this.flushIfFull();
    }
    // A delivery file: each record on its own, as the exact slice of the file it was.
    for (const event of events) {
      this.enqueue(this.topics.inputs[event.category], event.actor.subject, Buffer.from(event.raw, 'utf8'));
    }
    for (const record of rejected) {
      this.report.unclassified++;
      const value = record.index === null ? message : Buffer.from(record.raw, 'utf8');
      this.enqueue(this.topics.inputs.activity, null, value);
    }
    return this.flushIfFull();
  }

  private async flushIfFull(): Promise<void> {
    if (this.pending.length >= this.batchSize) await this.flush();
  }

  async flush(): Promise<PublishReport> {
    if (this.pending.length) {
      const byTopic = new Map<string, Array<{ key: string | null; value: Buffer }>>();
      for (const { topic, key, value } of this.pending) {
        const list = byTopic.get(topic) ?? [];
        list.push({ key, value });
        byTopic.set(topic, list);
      }
      this.pending = [];
      await this.producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
    }
    return { ...this.report, byTopic: { ...this.report.byTopic } };
  }

  private enqueue(topic: string, key: string | null, value: Buffer): void {
    this.pending.push({ topic, key, value });
    this.report.records++;
    this.report.byTopic[topic] = (this.report.byTopic[topic] ?? 0) + 1;
  }
}
