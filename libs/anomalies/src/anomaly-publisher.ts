import { randomBytes } from 'node:crypto';
import type { Kafka, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { PollingLoop, type EventQueryRepository } from '#event-store';
import { ANOMALY_RAISED } from './anomaly-events.js';

const POSITION_HEADER = 'ledger-position';

/**
 * Publishes every anomaly event of the ledger to the anomalies topic exactly once, in
 * ledger order. All anomalies go to partition 0, each with its ledger position in a header;
 * on start the publisher reads the last message of that partition and resumes after it, so
 * a crash between sending and remembering neither loses nor repeats a message. (The topic
 * is the checkpoint; there is nothing to keep in sync.)
 */
export class AnomalyPublisher {
  private position: number | null = null;
  private readonly loop = new PollingLoop(
    () => this.publishPending(),
    (error) => {
      this.position = null; // re-read the topic tail before trying again
      this.logger.warn({ error: String(error) }, 'anomaly publishing failed; will retry');
    },
  );

  constructor(
    private readonly kafka: Kafka,
    private readonly producer: Producer,
    private readonly events: EventQueryRepository,
    private readonly topic: string,
    private readonly logger: Logger,
  ) {}

  start(intervalMs = 100): void {
    this.loop.start(intervalMs);
  }

  /** Runs the next pass now: something was just appended in this process. */
  wake(): void {
    this.loop.wake();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }

  async publishPending(): Promise<number> {
    if (this.position === null) this.position = (await this.lastPublishedPosition()) + 1;
    let sent = 0;
    for (;;) {
      const batch = await this.events.readAfter(this.position - 1, 1000);
      if (batch.length === 0) return sent;
      const anomalies = batch.filter(({ event }) => event.type === ANOMALY_RAISED && event.origin.system === 'ledger');
      if (anomalies.length) {
        const publishedAt = new Date().toISOString();
        await this.producer.send({
          topic: this.topic,
          acks: -1,
          messages: anomalies.map(({ event, position }) => ({
            partition: 0,
            key: event.id,
            value: event.raw,
            headers: {
              [POSITION_HEADER]: String(position),
              'ledger-anomaly-type': event.target?.name ?? '',
              'ledger-subject': event.actor.subject,
              // When the event that raised it was received: consume-to-publish delay is measurable.
              'ledger-evidence-received-at': event.received_at,
              'ledger-published-at': publishedAt,
            },
          })),
        });
        sent += anomalies.length;
      }
      this.position = batch[batch.length - 1]!.position + 1;
    }
  }

  /** The ledger position of the last anomaly on the topic, or -1 when none was published. */
  private async lastPublishedPosition(): Promise<number> {
    const admin = this.kafka.admin();
    await admin.connect();
    let high: bigint;
    try {
      const offsets = await admin.fetchTopicOffsets(this.topic);
      const partition = offsets.find((p) => p.partition === 0);
      if (!partition || BigInt(partition.high) <= BigInt(partition.low)) return -1;
      high = BigInt(partition.high);
    } finally {
      await admin.disconnect();
    }
    const consumer = this.kafka.consumer({ groupId: `ledger-anomaly-tail-${randomBytes(6).toString('hex')}`, maxWaitTimeInMs: 100 });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: this.topic, fromBeginning: false });
      const last = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('timed out reading the last published anomaly')), 30_000);
        void consumer
          .run({
            eachMessage: async ({ partition, message }) => {
              if (partition !== 0 || BigInt(message.offset) !== high - 1n) return;
              clearTimeout(timer);
              resolve(Number(message.headers?.[POSITION_HEADER]?.toString() ?? '-1'));
            },
          })
          .catch(reject);
        consumer.seek({ topic: this.topic, partition: 0, offset: (high - 1n).toString() });
      });
      return last;
    } finally {
      await consumer.disconnect();
    }
  }
}
