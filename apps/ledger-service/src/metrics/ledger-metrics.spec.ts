import { describe, expect, it } from 'vitest';
import type { Pool } from '#event-store';
import { LedgerMetrics } from './ledger-metrics.js';

// Without the store gauges nothing touches the pool: these tests do no I/O.
const noStore = { storeGauges: false };
const outcome = (appended: number) => ({ appended, duplicates: 1, idCollisions: 0, rejected: 0, placements: [], normalized: appended, rejections: [] });

describe('LedgerMetrics exposition with ingest workers', () => {
  it('sums the workers ingest counters with the service own, once per metric family', async () => {
    const primary = new LedgerMetrics({} as Pool, noStore);
    primary.ingested('http', outcome(3), 0.01);
    primary.trackIngestWorkers(() => ({ configured: 2, ready: 1, restarts: 1 }));
    primary.workerRestarted();
    const workers = [new LedgerMetrics({} as Pool, noStore), new LedgerMetrics({} as Pool, noStore)];
    workers[0]!.ingested('kafka', outcome(10), 0.2);
    workers[1]!.ingested('kafka', outcome(5), 0.3);

    const { text, contentType } = await primary.exposition(await Promise.all(workers.map((w) => w.registry.getMetricsAsJSON())));
    expect(contentType).toContain('text/plain');
    expect(text).toContain('ledger_events_appended_total{channel="kafka"} 15');
    expect(text).toContain('ledger_events_appended_total{channel="http"} 3');
    expect(text).toContain('ledger_duplicate_receipts_total{channel="kafka"} 2');
    expect(text).toContain('ledger_ingest_batch_seconds_count{channel="kafka"} 2');
    expect(text).toContain('ledger_ingest_workers{state="ready"} 1');
    expect(text).toContain('ledger_ingest_worker_restarts_total 1');
    for (const family of ['ledger_events_appended_total', 'ledger_ingest_batch_seconds', 'ledger_process_process_cpu_seconds_total']) {
      expect(text.match(new RegExp(`^# TYPE ${family} `, 'gm')), family).toHaveLength(1);
    }
  });

  it('serves its own registry unchanged when there are no workers', async () => {
    const metrics = new LedgerMetrics({} as Pool, noStore);
    metrics.ingested('kafka', outcome(4), 0.01);
    const { text } = await metrics.exposition();
    expect(text).toContain('ledger_events_appended_total{channel="kafka"} 4');
  });
});
