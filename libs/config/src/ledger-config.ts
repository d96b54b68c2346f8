import { z } from 'zod';
import { DEFAULT_TOPICS, type TopicNames } from '#domain';

/**
 * The one place that reads the process environment (DESIGN 11.6). Everything else receives
 * the typed `LedgerConfig`. Every variable is documented in docs/configuration.md.
 */
const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const environmentSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .default('postgres://postgres@127.0.0.1:5432/ledger'),
  KAFKA_BROKERS: z
    .string()
    .regex(/^[^,\s]+:\d+(,[^,\s]+:\d+)*$/, 'must be host:port[,host:port...]')
    .default('127.0.0.1:9092'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LEDGER_KAFKA_CLIENT_ID: z.string().default('accountability-ledger'),
  LEDGER_CONSUMER_GROUP: z.string().default('ledger-ingest'),
  LEDGER_KAFKA_SESSION_TIMEOUT_MS: z.coerce.number().int().min(6000).default(30_000),
  LEDGER_TOPIC_IDENTITY: z.string().default(DEFAULT_TOPICS.inputs.identity),
  LEDGER_TOPIC_AUTHENTICATION: z.string().default(DEFAULT_TOPICS.inputs.authentication),
  LEDGER_TOPIC_AUTHORIZATION: z.string().default(DEFAULT_TOPICS.inputs.authorization),
  LEDGER_TOPIC_ACTIVITY: z.string().default(DEFAULT_TOPICS.inputs.activity),
  LEDGER_TOPIC_ANOMALIES: z.string().default(DEFAULT_TOPICS.anomalies),
  LEDGER_TOPIC_DLQ: z.string().default(DEFAULT_TOPICS.dlq),
  LEDGER_TOPIC_PARTITIONS: positiveInt(4),
  LEDGER_INGEST_ENABLED: z.enum(['true', 'false']).default('true'),
  // More than a few dozen consumers cannot help: the input topics rarely have more partitions.
  LEDGER_INGEST_WORKERS: z.coerce.number().int().min(0).max(64).default(0),
  LEDGER_PROCESS_ROLE: z.enum(['service', 'ingest-worker']).default('service'),
  LEDGER_READER_POLL_INTERVAL_MS: z.coerce.number().int().positive().optional(),
  LEDGER_MAX_BATCH_EVENTS: positiveInt(2000),
  LEDGER_MAX_MESSAGE_BYTES: positiveInt(4 * 1024 * 1024),
  LEDGER_HTTP_BODY_LIMIT_BYTES: positiveInt(8 * 1024 * 1024),
  LEDGER_PAGE_LIMIT_MAX: positiveInt(1000),
  LEDGER_DB_POOL_SIZE: positiveInt(10),
  LEDGER_AUTH_DISABLED: z.enum(['true', 'false']).default('false'),
  LEDGER_RATE_LIMIT_PER_SECOND: z.coerce.number().min(0).default(50),
  LEDGER_RATE_LIMIT_BURST: positiveInt(100),
  LEDGER_API_KEY_CACHE_MS: z.coerce.number().int().min(0).default(1000),
  LEDGER_SELF_AUDIT_FLUSH_MS: positiveInt(200),
  LEDGER_IDENTITY_MAP: z.string().min(1).optional(),
  LEDGER_DETECTION_ENABLED: z.enum(['true', 'false']).default('true'),
  LEDGER_LOG_ORIGIN: z.string().regex(/^[^\s+]+$/, 'must be non-empty, without spaces or +').default('accountability-ledger'),
  LEDGER_SIGNING_KEY_FILE: z.string().min(1).default('.run/keys/signing-key.json'),
  LEDGER_VERIFIER_KEYS_FILE: z.string().min(1).default('.run/keys/verifier-keys.json'),
  LEDGER_CHECKPOINT_INTERVAL_MS: z.coerce.number().int().min(0).default(10_000),
}).superRefine((env, context) => {
  if (env.LEDGER_INGEST_WORKERS > 0 && env.LEDGER_INGEST_ENABLED === 'false') {
    context.addIssue({ code: 'custom', path: ['LEDGER_INGEST_WORKERS'], message: 'must be 0 when LEDGER_INGEST_ENABLED is false (workers only consume Kafka)' });
  }
});

export interface LedgerConfig {
  databaseUrl: string;
  kafka: {
    brokers: string[];
    clientId: string;
    consumerGroup: string;
    /** How long the group waits for a silent worker before giving its partitions to others. */
    sessionTimeoutMs: number;
    topics: TopicNames;
    partitions: number;
    /** Lets `npm start` serve reads while another process ingests (or for read replicas). */
    ingestEnabled: boolean;
  };
  http: { port: number; host: string; bodyLimitBytes: number; pageLimitMax: number };
  logLevel: string;
  ingest: {
    maxBatchEvents: number;
    maxMessageBytes: number;
    /**
     * Worker processes that consume Kafka in the consumer group, started and supervised by the
     * service; 0: the service process consumes Kafka itself.
     */
    workers: number;
  };
  /**
   * `service`: the process started by an operator. `ingest-worker`: set by the service on the
   * worker processes it starts (LEDGER_INGEST_WORKERS), never by hand.
   */
  processRole: 'service' | 'ingest-worker';
  /**
   * How often the position-driven readers (projections, detection, anomaly publishing, DLQ
   * relay) look for new events when nothing woke them; null: each reader's own default.
   */
  readers: { pollIntervalMs: number | null };
  database: { poolSize: number };
  access: {
    /** Local experiments only: every caller is admitted as `anonymous` (logged loudly at start). */
    authDisabled: boolean;
    /** Per API key, per instance; perSecond 0 disables limiting. */
    rateLimit: { perSecond: number; burst: number };
    /** How long a looked-up key is trusted before asking the database again: a revocation takes effect within this. */
    keyCacheMs: number;
    /** Longest wait before a self-audit record is appended. */
    selfAuditFlushMs: number;
  };
  /** JSON file linking the aliases of each person (docs/identity-map.md); optional. */
  identityMapPath: string | null;
  detection: { enabled: boolean };
  integrity: {
    /** The log's identity: first line of every checkpoint, name of new signing keys. */
    origin: string;
    /** Private checkpoint signing key (never in the database); created on first start. */
    signingKeyFile: string;
    /** Public keys with validity windows: what verification trusts. */
    verifierKeysFile: string;
    /** 0 disables periodic checkpoints (on demand only). */
    checkpointIntervalMs: number;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/** Validates the environment once and returns the typed configuration, or throws ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): LedgerConfig {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const e = parsed.data;
  return {
    databaseUrl: e.DATABASE_URL,
    kafka: {
      brokers: e.KAFKA_BROKERS.split(','),
      clientId: e.LEDGER_KAFKA_CLIENT_ID,
      consumerGroup: e.LEDGER_CONSUMER_GROUP,
      sessionTimeoutMs: e.LEDGER_KAFKA_SESSION_TIMEOUT_MS,
      topics: {
        inputs: {
          identity: e.LEDGER_TOPIC_IDENTITY,
          authentication: e.LEDGER_TOPIC_AUTHENTICATION,
          authorization: e.LEDGER_TOPIC_AUTHORIZATION,
          activity: e.LEDGER_TOPIC_ACTIVITY,
        },
        anomalies: e.LEDGER_TOPIC_ANOMALIES,
        dlq: e.LEDGER_TOPIC_DLQ,
      },
      partitions: e.LEDGER_TOPIC_PARTITIONS,
      ingestEnabled: e.LEDGER_INGEST_ENABLED === 'true',
    },
    http: {
      port: e.PORT,
      host: e.HOST,
      bodyLimitBytes: e.LEDGER_HTTP_BODY_LIMIT_BYTES,
      pageLimitMax: e.LEDGER_PAGE_LIMIT_MAX,
    },
    logLevel: e.LOG_LEVEL,
    ingest: { maxBatchEvents: e.LEDGER_MAX_BATCH_EVENTS, maxMessageBytes: e.LEDGER_MAX_MESSAGE_BYTES, workers: e.LEDGER_INGEST_WORKERS },
    processRole: e.LEDGER_PROCESS_ROLE,
    readers: { pollIntervalMs: e.LEDGER_READER_POLL_INTERVAL_MS ?? null },
    database: { poolSize: e.LEDGER_DB_POOL_SIZE },
    access: {
      authDisabled: e.LEDGER_AUTH_DISABLED === 'true',
      rateLimit: { perSecond: e.LEDGER_RATE_LIMIT_PER_SECOND, burst: e.LEDGER_RATE_LIMIT_BURST },
      keyCacheMs: e.LEDGER_API_KEY_CACHE_MS,
      selfAuditFlushMs: e.LEDGER_SELF_AUDIT_FLUSH_MS,
    },
    identityMapPath: e.LEDGER_IDENTITY_MAP ?? null,
    detection: { enabled: e.LEDGER_DETECTION_ENABLED === 'true' },
    integrity: {
      origin: e.LEDGER_LOG_ORIGIN,
      signingKeyFile: e.LEDGER_SIGNING_KEY_FILE,
      verifierKeysFile: e.LEDGER_VERIFIER_KEYS_FILE,
      checkpointIntervalMs: e.LEDGER_CHECKPOINT_INTERVAL_MS,
    },
  };
}
