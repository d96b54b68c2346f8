import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { ApiKeyRepository, ApiKeyService, AuditTrail, type Scope } from '#access';
import { loadConfig, type LedgerConfig } from '#config';
import { createLogger } from '#logging';
import { createKafka, inputTopicsOf } from '#messaging';
import { startLedger, type RunningLedger } from '#service';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export interface TestLedger {
  ledger: RunningLedger;
  config: LedgerConfig;
  db: TestDatabase;
  kafka: Kafka;
  /** An `admin` API key owned by TEST_KEY_OWNER, created when the ledger started. */
  apiKey: string;
  /** fetch(`${url}${path}`) with `Authorization: Bearer <apiKey>` (unless init sets its own). */
  api(path: string, init?: RequestInit): Promise<Response>;
  /** Another key, created as `keys create` would (the creation is an event in the ledger). */
  createKey(owner: string, scopes: Scope[]): Promise<{ id: string; key: string }>;
  /** Appends every self-audit record made so far: call before counting events. */
  flushAudit(): Promise<void>;
  close(): Promise<void>;
}

/** Owner of the key every test ledger starts with; its reads show in this subject's timeline. */
export const TEST_KEY_OWNER = 'local:e2e-operator';

/**
 * A running ledger (API on a free port, ingest consumer, DLQ relay) on its own database and
 * its own Kafka topics and consumer group, so test files never see each other's data.
 */

/**
 * The service's consumer group and topics under one prefix, as environment variables: each
 * test ledger (or spawned service) gets its own, so tests never read each other's records.
 */
export function ledgerTopicEnvironment(prefix: string, partitions: number): Record<string, string> {
  return {
    LEDGER_CONSUMER_GROUP: `${prefix}.ingest`,
    LEDGER_TOPIC_IDENTITY: `${prefix}.identity`,
    LEDGER_TOPIC_AUTHENTICATION: `${prefix}.authentication`,
    LEDGER_TOPIC_AUTHORIZATION: `${prefix}.authorization`,
    LEDGER_TOPIC_ACTIVITY: `${prefix}.activity`,
    LEDGER_TOPIC_ANOMALIES: `${prefix}.anomalies`,
    LEDGER_TOPIC_DLQ: `${prefix}.dlq`,
    LEDGER_TOPIC_PARTITIONS: String(partitions),
  };
}

export async function startTestLedger(
  infra: { databaseUrl: string; kafkaBrokers: string },
  label: string,
  env: Record<string, string> = {},
): Promise<TestLedger> {
  const db = await createTestDatabase(infra.databaseUrl, label);
  const prefix = `t${randomBytes(3).toString('hex')}.${label}`;
  const config = loadConfig({
    DATABASE_URL: db.url,
    KAFKA_BROKERS: infra.kafkaBrokers,
    PORT: '0',
    HOST: '127.0.0.1',
    ...ledgerTopicEnvironment(prefix, 3),
    // Detection loads a ~100 MB geo database; only the tests about anomalies need it.
    LEDGER_DETECTION_ENABLED: 'false',
    // Each test ledger signs with its own checkpoint key, never with the developer's .run/keys.
    LEDGER_SIGNING_KEY_FILE: join(tmpdir(), `ledger-keys-${prefix}`, 'signing-key.json'),
    LEDGER_VERIFIER_KEYS_FILE: join(tmpdir(), `ledger-keys-${prefix}`, 'verifier-keys.json'),
    ...env,
  });
  const logger = createLogger(process.env.LEDGER_TEST_LOG_LEVEL ?? 'warn', `test-${label}`);
  const ledger = await startLedger(config, logger);
  const kafka = createKafka({ brokers: config.kafka.brokers, clientId: `${prefix}-test` }, logger);
  const keys = new ApiKeyService(new ApiKeyRepository(ledger.runtime.pool), ledger.runtime.ingest);
  const createKey = async (owner: string, scopes: Scope[]) => {
    const created = await keys.create({ owner, scopes, actor: 'local:e2e-harness' });
    return { id: created.id, key: created.key };
  };
  const { key: apiKey } = await createKey(TEST_KEY_OWNER, ['admin']);
  return {
    ledger,
    config,
    db,
    kafka,
    apiKey,
    api(path, init = {}) {
      const headers = new Headers(init.headers);
      if (!headers.has('authorization')) headers.set('authorization', `Bearer ${apiKey}`);
      return fetch(`${ledger.url}${path}`, { ...init, headers });
    },
    createKey,
    async flushAudit() {
      await ledger.app.get(AuditTrail).flush();
    },
    async close() {
      await ledger.close();
      await db.drop();
    },
  };
}

export function inputTopics(config: LedgerConfig): string[] {
  return inputTopicsOf(config.kafka.topics);
}

/** Reads a topic from the beginning until `count` messages arrived (or the timeout passed). */
export async function readTopic(kafka: Kafka, topic: string, count: number, timeoutMs = 30_000): Promise<KafkaMessage[]> {
  const consumer = kafka.consumer({ groupId: `reader-${randomBytes(4).toString('hex')}`, maxWaitTimeInMs: 100 });
  const messages: KafkaMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      void consumer.run({
        eachMessage: async ({ message }) => {
          messages.push(message);
          if (messages.length >= count) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
    return messages;
  } finally {
    await consumer.disconnect();
  }
}

/** Polls `check` until it returns a value (not undefined) or the timeout passes. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 60_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
