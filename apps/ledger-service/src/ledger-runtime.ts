import type { Kafka, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import type { LedgerConfig } from '#config';
import {
  createPool,
  ensureDatabase,
  EventQueryRepository,
  EventStoreRepository,
  migrate,
  ReaderCheckpointRepository,
  RejectionRepository,
  type Pool,
} from '#event-store';
import { DlqRelay, IngestService, KafkaIngestConsumer } from '#ingestion';
import { allTopicsOf, createKafka, createProducer, ensureTopics, inputTopicsOf } from '#messaging';

/**
 * The service's infrastructure, built once outside Nest's container and handed to it as
 * values: the database pool and repositories, the Kafka client, and the background workers
 * (ingest consumer, DLQ relay) whose start and stop the process controls explicitly.
 */
export class LedgerRuntime {
  readonly pool: Pool;
  readonly kafka: Kafka;
  readonly store: EventStoreRepository;
  readonly queries: EventQueryRepository;
  readonly ingest: IngestService;
  private producer: Producer | null = null;
  private consumer: KafkaIngestConsumer | null = null;
  private relay: DlqRelay | null = null;

  constructor(
    readonly config: LedgerConfig,
    readonly logger: Logger,
  ) {
    this.pool = createPool(config.databaseUrl, config.database.poolSize);
    this.kafka = createKafka({ brokers: config.kafka.brokers, clientId: config.kafka.clientId }, logger);
    this.store = new EventStoreRepository(this.pool);
    this.queries = new EventQueryRepository(this.pool);
    this.ingest = new IngestService(this.store);
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

  /** Starts consuming (unless ingestion is disabled) and relaying rejections to the DLQ. */
  async startWorkers(): Promise<void> {
    const { kafka: settings } = this.config;
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
    this.relay = new DlqRelay(
      this.producer,
      new RejectionRepository(this.pool),
      new ReaderCheckpointRepository(this.pool),
      settings.topics.dlq,
      this.logger.child({ component: 'dlq-relay' }),
    );
    this.relay.start();
    if (settings.ingestEnabled) {
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
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
    await this.relay?.stop();
    await this.producer?.disconnect().catch(() => undefined);
    await this.pool.end().catch(() => undefined);
  }
}
