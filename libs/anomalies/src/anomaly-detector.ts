import type { Logger } from 'pino';
import { DetectionEngine, type DetectionEngineOptions } from '#detection';
import { PollingLoop, prepareEvent, type EventQueryRepository, type EventStoreRepository } from '#event-store';
import { anomalyRaisedEvent, isAnomalyRecord } from './anomaly-events.js';
import type { AnomalyRepository } from './anomaly.repository.js';

const READER = 'detection';

/**
 * Runs detection over the ledger in ledger order, as a position-driven reader (never from
 * the in-process event bus), and appends each anomaly to the ledger. The engine's baselines
 * are snapshotted with the position they reflect; after a restart the events since the
 * snapshot are replayed, and the anomalies they raise again are recognised as already stored
 * (deterministic ids and content), so nothing is lost or raised twice.
 */
export class AnomalyDetector {
  private engine: DetectionEngine | null = null;
  private position = 0;
  private batchesSinceSnapshot = 0;
  private readonly loop = new PollingLoop(
    () => this.catchUp(),
    (error) => this.logger.warn({ error: String(error) }, 'detection pass failed; will retry'),
  );

  constructor(
    private readonly events: EventQueryRepository,
    private readonly store: EventStoreRepository,
    private readonly anomalies: AnomalyRepository,
    private readonly engineOptions: DetectionEngineOptions,
    private readonly logger: Logger,
    private readonly batchSize = 2000,
    private readonly snapshotEveryBatches = 20,
  ) {}

  /** The next ledger position detection will read: everything below it has been examined. */
  get examinedUpTo(): number {
    return this.position;
  }

  start(intervalMs = 100): void {
    this.loop.start(intervalMs);
  }

  /** Runs the next pass now: something was just appended in this process. */
  wake(): void {
    this.loop.wake();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    if (this.engine) await this.anomalies.saveSnapshot(READER, this.position, this.engine.snapshot());
  }

  /** Processes every event stored so far; returns how many anomalies were newly appended. */
  async catchUp(): Promise<number> {
    await this.ensureEngine();
    let appended = 0;
    for (;;) {
      const batch = await this.events.readAfter(this.position - 1, this.batchSize);
      if (batch.length === 0) return appended;
      const raised = [];
      for (const { event } of batch) {
        // The ledger's own records (anomalies, triage, self-audit, key changes, attribution
        // records) are not behaviour to baseline, and their receipt-time clocks would push the
        // event-time watermark past historical input being replayed.
        if (event.origin.system === 'ledger' || isAnomalyRecord(event)) continue;
        raised.push(...this.engine!.process(event).map((anomaly) => ({ anomaly, receivedAt: event.received_at })));
      }
      if (raised.length) {
        const result = await this.store.append({ events: raised.map(({ anomaly, receivedAt }) => prepareEvent(anomalyRaisedEvent(anomaly, receivedAt))) });
        appended += result.appended;
      }
      this.position = batch[batch.length - 1]!.position + 1;
      if (++this.batchesSinceSnapshot >= this.snapshotEveryBatches) {
        await this.anomalies.saveSnapshot(READER, this.position, this.engine!.snapshot());
        this.batchesSinceSnapshot = 0;
      }
    }
  }

  private async ensureEngine(): Promise<void> {
    if (this.engine) return;
    const snapshot = await this.anomalies.loadSnapshot(READER);
    if (snapshot) {
      this.engine = DetectionEngine.restore(snapshot.state, this.engineOptions);
      this.position = snapshot.position;
    } else {
      this.engine = new DetectionEngine(this.engineOptions);
      this.position = 0;
    }
    this.logger.info({ position: this.position, subjects: this.engine.subjectCount }, 'detection resumed');
  }
}
