import { readFile } from 'node:fs/promises';
import type { Kafka, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import type { LedgerConfig } from '#config';
import {
  AppendNotificationListener,
  createPool,
  ensureDatabase,
  EventQueryRepository,
  EventStoreRepository,
  MerkleLogRepository,
  migrate,
  prepareEvent,
  ReaderCheckpointRepository,
  RejectionRepository,
  type Pool,
} from '#event-store';
import { IdentityRepository, aliasEventsOf, parseIdentityMap } from '#attribution';
import { createLedgerEventStore, DlqRelay, IngestService, KafkaIngestConsumer } from '#ingestion';
import { allTopicsOf, createKafka, createProducer, ensureTopics, inputTopicsOf } from '#messaging';
import { ProjectionRunner } from '#projections';
import { AnomalyDetector, AnomalyPublisher, AnomalyRepository } from '#anomalies';
import { IpLocationDbGeo } from '#detection';
import { PROJECTIONS } from './projections.registry.js';
import { LedgerIntegrity } from '#integrity';
import { LedgerMetrics } from './metrics/ledger-metrics.js';
import { CheckpointWorker } from './integrity/checkpoint.worker.js';
import { clusterIngestWorkers } from './workers/cluster-ingest-workers.js';
import { IngestWorkerSupervisor, type IngestWorkersStatus } from './workers/ingest-worker-supervisor.js';

/**
 * The service's infrastructure, built once outside Nest's container and handed to it as
 * values: the database pool and repositories, the Kafka client, and the background workers
 * (ingest consumer, DLQ relay) whose start and stop the process controls explicitly.
 *
 * The same class serves both process roles (LedgerConfig.processRole): the service process
 * (startWorkers: readers, checkpointer, and either its own Kafka consumer or the supervised
 * ingest worker processes) and an ingest worker (startIngestWorker: the consumer alone), so
 * a worker appends through exactly the store and IngestService the service would use.
 */
export class LedgerRuntime {
  readonly pool: Pool;
  readonly kafka: Kafka;
  readonly store: EventStoreRepository;
  readonly queries: EventQueryRepository;
  readonly ingest: IngestService;
  readonly identities: IdentityRepository;
  readonly metrics: LedgerMetrics;
  readonly integrity: LedgerIntegrity;
  private producer: Producer | null = null;
  private consumer: KafkaIngestConsumer | null = null;
  private relay: DlqRelay | null = null;
  private projectionRunners: ProjectionRunner[] = [];
  private detector: AnomalyDetector | null = null;
  private anomalyPublisher: AnomalyPublisher | null = null;
  readonly anomalies: AnomalyRepository;
  private checkpoints: CheckpointWorker | null = null;
  private ingestWorkers: IngestWorkerSupervisor | null = null;
  private appendNotifications: AppendNotificationListener | null = null;
  /** Readers were last woken after a commit that left this head (see wakeReaders). */
  private wokenForHead = -1;

  constructor(
    readonly config: LedgerConfig,
    readonly logger: Logger,
  ) {
    this.pool = createPool(config.databaseUrl, config.database.poolSize);
    this.kafka = createKafka({ brokers: config.kafka.brokers, clientId: config.kafka.clientId }, logger);
    this.store = createLedgerEventStore(this.pool);
    this.queries = new EventQueryRepository(this.pool);
    this.metrics = new LedgerMetrics(this.pool, { storeGauges: config.processRole === 'service' });
    this.ingest = new IngestService(this.store, this.metrics);
    this.identities = new IdentityRepository(this.pool);
    this.anomalies = new AnomalyRepository(this.pool);
    this.integrity = new LedgerIntegrity(new MerkleLogRepository(this.pool), config.integrity, logger.child({ component: 'integrity' }));
  }

  /** Creates the database if missing and applies pending migrations. */
  static async prepareDatabase(config: LedgerConfig, logger: Logger): Promise<void> {
    if (await ensureDatabase(config.databaseUrl)) logger.info('created database');
    const pool = createPool(config.databaseUrl, 1);
    try {
      const report = await migrate(pool);
      if (report.applied.length) logger.info({ applied: report.applied }, 'applied migrations');
    } finally {
      await pool.end();
    }
  }

  /**
   * Records the configured identity map in the ledger (once per alias: re-loading the same
   * map adds nothing), which also updates the alias projection used by the subject queries.
   */
  async loadIdentityMap(): Promise<number> {
    const path = this.config.identityMapPath;
    if (!path) return 0;
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      throw new Error(`LEDGER_IDENTITY_MAP: cannot read ${path}: ${(error as Error).message}`);
    }
    const map = parseIdentityMap(text, path);
    const loadedAt = new Date().toISOString();
    const events = aliasEventsOf(map, loadedAt, 'ledger:identity-map').map((event) => prepareEvent({ ...event, received_at: loadedAt }));
    const result = await this.store.append({ events });
    this.logger.info({ path, people: map.people.length, aliases: events.length, newlyLinked: result.appended }, 'identity map loaded');
    return result.appended;
  }

  /**
   * Starts the service's background work: checkpoints, the DLQ relay, projections, detection
   * and anomaly publishing, and ingestion (unless disabled): in this process, or in
   * LEDGER_INGEST_WORKERS supervised worker processes.
   */
  async startWorkers(): Promise<void> {
    const { kafka: settings } = this.config;
    // The signing key exists (or is created, and announced) before anything is appended.
    this.integrity.keys.ensure();
    if (this.config.integrity.checkpointIntervalMs > 0) {
      this.checkpoints = new CheckpointWorker(this.integrity, this.config.integrity.checkpointIntervalMs, this.logger.child({ component: 'checkpointer' }));
      this.checkpoints.start();
    }
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const created = await ensureTopics(admin, allTopicsOf(settings.topics), settings.partitions);
      if (created.length) this.logger.info({ created }, 'created kafka topics');
    } finally {
      await admin.disconnect();
    }
    this.producer = createProducer(this.kafka);
    await this.producer.connect();
    // Unset: each reader keeps its own default interval (100-250 ms).
    const pollIntervalMs = this.config.readers.pollIntervalMs ?? undefined;
    this.relay = new DlqRelay(
      this.producer,
      new RejectionRepository(this.pool),
      new ReaderCheckpointRepository(this.pool),
      settings.topics.dlq,
      this.logger.child({ component: 'dlq-relay' }),
      pollIntervalMs,
    );
    this.relay.start();
    // Read models follow the ledger by position, checkpointed with their own writes.
    this.projectionRunners = PROJECTIONS.map(
      (projection) => new ProjectionRunner(this.pool, this.queries, projection, this.logger.child({ component: 'projection' })),
    );
    for (const runner of this.projectionRunners) runner.start(pollIntervalMs);
    if (this.config.detection.enabled) {
      // The geo database loads once (a few hundred ms); lookups are then in memory.
      const geo = new IpLocationDbGeo();
      const stats = geo.load();
      this.logger.info({ countryLoadMs: Math.round(stats.countryLoadMs), asnLoadMs: Math.round(stats.asnLoadMs) }, 'geo database loaded');
      this.detector = new AnomalyDetector(this.queries, this.store, this.anomalies, { geo }, this.logger.child({ component: 'detection' }));
      this.detector.start(pollIntervalMs);
      this.anomalyPublisher = new AnomalyPublisher(this.kafka, this.producer, this.queries, settings.topics.anomalies, this.logger.child({ component: 'anomaly-publisher' }));
      this.anomalyPublisher.start(pollIntervalMs);
    }
    // Readers follow this process's own appends at once (in-process hook, free), and those of
    // every other process (ingest workers, other instances, the CLI) through the notification
    // each append transaction sends. Polling remains the safety net for anything missed.
    this.store.onAppended((head) => this.wakeReaders(head));
    const listenerLog = this.logger.child({ component: 'append-notifications' });
    this.appendNotifications = new AppendNotificationListener(this.config.databaseUrl, {
      appended: (head) => this.wakeReaders(head),
      listening: (reconnected) =>
        reconnected ? listenerLog.info('listening for appends again; readers woken to catch up') : listenerLog.debug('listening for appends'),
      lost: (error, retryInMs) => listenerLog.warn({ error: String(error), retryInMs }, 'lost the connection listening for appends; reconnecting'),
    });
    await this.appendNotifications.start();
    if (!settings.ingestEnabled) return;
    if (this.config.ingest.workers > 0) {
      this.ingestWorkers = new IngestWorkerSupervisor(
        this.config.ingest.workers,
        clusterIngestWorkers(),
        this.logger.child({ component: 'ingest-workers' }),
        { onRestart: () => this.metrics.workerRestarted() },
      );
      this.metrics.trackIngestWorkers(() => this.ingestWorkers!.status());
      this.ingestWorkers.start();
      this.logger.info({ workers: this.config.ingest.workers }, 'ingest runs in worker processes');
    } else {
      await this.startIngestConsumer();
    }
  }

  /** An ingest worker process (LEDGER_PROCESS_ROLE=ingest-worker): consume Kafka, nothing else. */
  async startIngestWorker(): Promise<void> {
    await this.startIngestConsumer();
  }

  private async startIngestConsumer(): Promise<void> {
    const { kafka: settings } = this.config;
    this.consumer = new KafkaIngestConsumer(
      this.kafka,
      this.ingest,
      this.store,
      {
        groupId: settings.consumerGroup,
        sessionTimeoutMs: settings.sessionTimeoutMs,
        topics: inputTopicsOf(settings.topics),
        maxBatchEvents: this.config.ingest.maxBatchEvents,
        maxMessageBytes: this.config.ingest.maxMessageBytes,
      },
      this.logger.child({ component: 'ingest' }),
    );
    await this.consumer.start();
  }

  /**
   * Wakes the position-driven readers after a commit that left `head` (null: unknown). Each
   * append is reported twice here (in-process hook and its notification), and a notification
   * may come from an append made elsewhere before ours: once readers were woken after a
   * commit leaving head H, every position below H was already visible to the pass that
   * follows, so a report of a head <= H adds nothing for them. The DLQ relay is woken every
   * time: an append that only rejected records leaves the head where it was.
   */
  private wakeReaders(head: number | null): void {
    this.relay?.wake();
    if (head !== null && head <= this.wokenForHead) return;
    if (head !== null) this.wokenForHead = head;
    for (const runner of this.projectionRunners) runner.wake();
    this.detector?.wake();
    this.anomalyPublisher?.wake();
  }

  /** The configured ingest workers and how many are up; null when this process consumes Kafka itself. */
  ingestWorkersStatus(): IngestWorkersStatus | null {
    return this.ingestWorkers?.status() ?? null;
  }

  /** Process ids of the ingest workers running now. */
  ingestWorkerPids(): number[] {
    return this.ingestWorkers?.pids() ?? [];
  }

  /** What /metrics serves: this process's metrics merged with its ingest workers'. */
  async metricsExposition(): Promise<{ contentType: string; text: string }> {
    return this.metrics.exposition(this.ingestWorkers ? await this.ingestWorkers.collectMetrics() : []);
  }

  /**
   * Resolves once detection and every projection have processed the whole ledger as it is
   * now (e.g. the demo, after ingestion, before it reports anomalies).
   */
  async waitForReaders(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const head = Number((await this.pool.query<{ next_position: number }>('SELECT next_position FROM ledger_head')).rows[0]!.next_position);
      const { rows } = await this.pool.query<{ reader: string; position: number }>(
        "SELECT reader, position FROM ledger_reader_checkpoints WHERE reader LIKE 'projection:%'",
      );
      const projectionsDone = this.projectionRunners.every((runner) => rows.some((row) => row.reader === `projection:${runner.name}` && Number(row.position) >= head));
      const detectionDone = this.detector === null || this.detector.examinedUpTo >= head;
      // Detection appends anomalies, which moves the head: done only when nothing moved.
      if (projectionsDone && detectionDone) {
        const after = Number((await this.pool.query<{ next_position: number }>('SELECT next_position FROM ledger_head')).rows[0]!.next_position);
        if (after === head) return;
      }
      if (Date.now() > deadline) throw new Error('timed out waiting for detection and projections to catch up');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Brings one projection up to the head now (read-your-writes after an API write). */
  async catchUpProjection(name: string): Promise<void> {
    const runner = this.projectionRunners.find((r) => r.name === name);
    if (runner) await runner.catchUp();
  }

  async stop(): Promise<void> {
    // Workers first: each finishes the batch in flight while the readers still follow it.
    await this.ingestWorkers?.stop();
    await this.consumer?.stop();
    await this.appendNotifications?.stop();
    await this.relay?.stop();
    for (const runner of this.projectionRunners) await runner.stop();
    await this.detector?.stop();
    await this.anomalyPublisher?.stop();
    await this.checkpoints?.stop();
    await this.producer?.disconnect().catch(() => undefined);
    await this.pool.end().catch(() => undefined);
  }
}
