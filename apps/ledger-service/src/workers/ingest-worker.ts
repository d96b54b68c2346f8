import type { Logger } from 'pino';
import type { LedgerConfig } from '#config';
import { LedgerRuntime } from '../ledger-runtime.js';
import { isMetricsRequest, type WorkerToPrimaryMessage } from './worker-messages.js';

/** The worker's side of its IPC channel with the primary. */
export interface PrimaryChannel {
  send(message: WorkerToPrimaryMessage): void;
  onMessage(listener: (message: unknown) => void): void;
}

/** The channel node:cluster opened with the primary. */
export function clusterPrimaryChannel(): PrimaryChannel {
  if (!process.send) throw new Error('an ingest worker runs only as a worker of the service (no IPC channel)');
  const send = process.send.bind(process);
  return {
    send(message) {
      // The primary may be gone already (then this process is about to exit anyway).
      if (process.connected) send(message, undefined, undefined, () => undefined);
    },
    onMessage(listener) {
      process.on('message', listener);
    },
  };
}

/**
 * An ingest worker process: the Kafka ingest consumer of the service, nothing else: the
 * same consumer group, IngestService and append path (attribution included) as the service
 * builds for itself (LedgerRuntime.startIngestWorker), no HTTP server, readers, checkpointer
 * or detection. It reports to the primary when its consumer has joined the group, answers
 * the primary's metrics requests, and on SIGTERM or SIGINT finishes the batch in flight,
 * leaves the group and exits 0.
 */
export async function runIngestWorker(config: LedgerConfig, logger: Logger, channel: PrimaryChannel = clusterPrimaryChannel()): Promise<void> {
  const runtime = new LedgerRuntime(config, logger);
  let stopping: Promise<void> | null = null;
  const stop = (signal: string) => {
    // A second signal (Ctrl-C reaches the whole process group, then the primary asks too) is
    // absorbed here rather than killing the process half-way through its batch.
    stopping ??= (async () => {
      logger.info({ signal }, 'ingest worker stopping');
      await runtime.stop();
      logger.info('ingest worker stopped');
      process.exit(0);
    })();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  channel.onMessage((message) => {
    if (!isMetricsRequest(message)) return;
    void runtime.metrics.registry.getMetricsAsJSON().then(
      (metrics) => channel.send({ type: 'ledger:metrics-reply', id: message.id, metrics }),
      (error: Error) => logger.warn({ error: String(error) }, 'could not collect metrics for the primary'),
    );
  });
  await runtime.startIngestWorker();
  if (stopping) return;
  channel.send({ type: 'ledger:ingest-worker-ready' });
  logger.info({ groupId: config.kafka.consumerGroup }, 'ingest worker consuming');
}
