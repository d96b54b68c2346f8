import { AggregatorRegistry, Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Pool } from '#event-store';
import type { IngestObserver } from '#ingestion';
import type { IngestWorkersStatus } from '../workers/ingest-worker-supervisor.js';
import type { MetricsJson } from '../workers/worker-messages.js';

export interface LedgerMetricsOptions {
  /**
   * The ledger's size and the readers' lag, read from the database on each scrape. Only the
   * service's primary reports them: an ingest worker's registry is merged into the primary's
   * by summing, which would count the same head once per process.
   */
  storeGauges: boolean;
}

const HEAD = 'SELECT next_position FROM ledger_head';
const READERS = 'SELECT reader, position FROM ledger_reader_checkpoints';

/**
 * Prometheus metrics for the SREs who run the ledger: ingest rates and outcomes as they
 * happen, and on each scrape the ledger's size and how far each position-driven reader
 * (projections, DLQ relay, ...) is behind it.
 */
export class LedgerMetrics implements IngestObserver {
  readonly registry = new Registry();
  private readonly appended = new Counter({ name: 'ledger_events_appended_total', help: 'Events newly stored', labelNames: ['channel'], registers: [this.registry] });
  private readonly duplicates = new Counter({ name: 'ledger_duplicate_receipts_total', help: 'Records received again and not stored twice', labelNames: ['channel'], registers: [this.registry] });
  private readonly rejected = new Counter({ name: 'ledger_records_rejected_total', help: 'Records rejected (dead-lettered), by reason', labelNames: ['channel', 'reason'], registers: [this.registry] });
  private readonly batchSeconds = new Histogram({
    name: 'ledger_ingest_batch_seconds',
    help: 'Time to normalize and append one batch',
    labelNames: ['channel'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  private readonly workerRestarts = new Counter({
    name: 'ledger_ingest_worker_restarts_total',
    help: 'Ingest worker processes started again after one exited',
    registers: [this.registry],
  });

  constructor(pool: Pool, options: LedgerMetricsOptions = { storeGauges: true }) {
    collectDefaultMetrics({ register: this.registry, prefix: 'ledger_process_' });
    if (options.storeGauges) this.registerStoreGauges(pool);
  }

  private registerStoreGauges(pool: Pool): void {
    new Gauge({
      name: 'ledger_head_position',
      help: 'Events in the ledger (the next position to be assigned)',
      registers: [this.registry],
      async collect() {
        const { rows } = await pool.query<{ next_position: number }>(HEAD);
        this.set(Number(rows[0]?.next_position ?? 0));
      },
    });
    new Gauge({
      name: 'ledger_reader_lag_events',
      help: 'How many events each position-driven reader is behind the head',
      labelNames: ['reader'],
      registers: [this.registry],
      async collect() {
        const [head, readers] = await Promise.all([pool.query<{ next_position: number }>(HEAD), pool.query<{ reader: string; position: number }>(READERS)]);
        const next = Number(head.rows[0]?.next_position ?? 0);
        this.reset();
        for (const row of readers.rows) {
          // DLQ relay checkpoints rejection ids, not positions: its lag is not comparable.
          if (row.reader.startsWith('projection:') || row.reader.startsWith('detection')) this.set({ reader: row.reader }, Math.max(0, next - Number(row.position)));
        }
      },
    });
  }

  /** Reports the service's ingest workers (LEDGER_INGEST_WORKERS) on each scrape. */
  trackIngestWorkers(status: () => IngestWorkersStatus): void {
    new Gauge({
      name: 'ledger_ingest_workers',
      help: 'Ingest worker processes: configured, and ready (consuming in the group)',
      labelNames: ['state'],
      registers: [this.registry],
      collect() {
        const now = status();
        this.set({ state: 'configured' }, now.configured);
        this.set({ state: 'ready' }, now.ready);
      },
    });
  }

  workerRestarted(): void {
    this.workerRestarts.inc();
  }

  /**
   * The Prometheus exposition of this process merged with its ingest workers' registries:
   * counters and histograms summed across processes (so `ledger_events_appended_total` is the
   * service's total), process metrics merged by prom-client's per-metric rules. A worker
   * that is restarted starts its counters from zero, which Prometheus reads as a counter reset.
   */
  async exposition(workers: MetricsJson[] = []): Promise<{ contentType: string; text: string }> {
    if (workers.length === 0) return { contentType: this.registry.contentType, text: await this.registry.metrics() };
    const merged = AggregatorRegistry.aggregate([await this.registry.getMetricsAsJSON(), ...workers]);
    return { contentType: merged.contentType, text: await merged.metrics() };
  }

  ingested(channel: string, outcome: { appended: number; duplicates: number; rejections: Array<{ reason: string }> }, seconds: number): void {
    this.appended.inc({ channel }, outcome.appended);
    this.duplicates.inc({ channel }, outcome.duplicates);
    for (const rejection of outcome.rejections) this.rejected.inc({ channel, reason: rejection.reason });
    this.batchSeconds.observe({ channel }, seconds);
  }
}
