import type { Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { PollingLoop, type ReaderCheckpointRepository, type RejectionRepository, type StoredRejection } from '#event-store';

const READER = 'dlq-relay';

/**
 * Publishes rejected records from the store's outbox to the dead-letter topic: the original
 * bytes as the value, the reason and provenance as headers. Checkpointed by rejection id, so
 * a crash republishes at most the last batch (at-least-once, the DLQ consumer dedupes by the
 * `ledger-rejection-id` header) and never loses one.
 */
export class DlqRelay {
  private readonly loop = new PollingLoop(
    () => this.publishPending(),
    (error) => this.logger.warn({ error: String(error) }, 'DLQ relay pass failed; will retry'),
  );

  constructor(
    private readonly producer: Producer,
    private readonly rejections: RejectionRepository,
    private readonly checkpoints: ReaderCheckpointRepository,
    private readonly topic: string,
    private readonly logger: Logger,
    private readonly intervalMs = 250,
  ) {}

  start(): void {
    this.loop.start(this.intervalMs);
  }

  /** Runs the next pass now: something was just appended in this process. */
  wake(): void {
    this.loop.wake();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }

  /** Publishes everything not yet published; returns how many records it sent. */
  async publishPending(): Promise<number> {
    let sent = 0;
    let after = await this.checkpoints.load(READER);
    for (;;) {
      const batch = await this.rejections.readAfter(after, 500);
      if (batch.length === 0) return sent;
      await this.producer.send({ topic: this.topic, acks: -1, messages: batch.map(toDlqMessage) });
      after = batch[batch.length - 1]!.id;
      await this.checkpoints.save(READER, after);
      sent += batch.length;
    }
  }
}

function toDlqMessage(rejection: StoredRejection) {
  const headers: Record<string, string> = {
    'ledger-rejection-id': String(rejection.id),
    'ledger-reason': rejection.reason,
    'ledger-reason-message': rejection.message.slice(0, 1000),
    'ledger-channel': rejection.channel,
    'ledger-received-at': rejection.receivedAt,
  };
  if (rejection.recordIndex !== null) headers['ledger-record-index'] = String(rejection.recordIndex);
  if (rejection.kafka) {
    headers['ledger-source-topic'] = rejection.kafka.topic;
    headers['ledger-source-partition'] = String(rejection.kafka.partition);
    headers['ledger-source-offset'] = rejection.kafka.offset;
  }
  return { key: String(rejection.id), value: rejection.raw, headers };
}
