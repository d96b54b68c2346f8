import { Kafka, logLevel, Partitioners, type Admin, type ITopicConfig, type LogEntry, type Producer } from 'kafkajs';
import type { Logger } from 'pino';

export interface KafkaSettings {
  brokers: string[];
  clientId: string;
}

/** One kafkajs client per process, logging through pino instead of kafkajs's console logger. */
export function createKafka(settings: KafkaSettings, logger: Logger): Kafka {
  const kafkaLogger = logger.child({ component: 'kafkajs' });
  return new Kafka({
    clientId: settings.clientId,
    brokers: settings.brokers,
    connectionTimeout: 5_000,
    requestTimeout: 30_000,
    // Brokers restart; the client must keep trying rather than give up after a few seconds.
    retry: { initialRetryTime: 300, retries: 12, maxRetryTime: 10_000 },
    logLevel: logLevel.WARN,
    logCreator: () => (entry: LogEntry) => {
      const { message, ...rest } = entry.log;
      // kafkajs logs every retriable broker response (e.g. "not the leader" while a new topic
      // elects its leaders) as an error before retrying; those are warnings, not failures.
      const retriable = entry.namespace === 'Connection' && message.startsWith('Response');
      const level = entry.level === logLevel.ERROR && !retriable ? 'error' : entry.level <= logLevel.WARN ? 'warn' : 'debug';
      kafkaLogger[level]({ namespace: entry.namespace, ...rest }, message);
    },
  });
}

/** Creates any of the topics that do not exist yet; existing topics are left as they are. */
export async function ensureTopics(admin: Admin, topics: string[], partitions: number): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing: ITopicConfig[] = [...new Set(topics)]
    .filter((topic) => !existing.has(topic))
    .map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 }));
  if (missing.length === 0) return [];
  try {
    await admin.createTopics({ topics: missing, waitForLeaders: true });
  } catch (error) {
    // Another process may have created them between list and create.
    if (!String((error as Error).message).includes('already exists')) throw error;
  }
  return missing.map((topic) => topic.topic);
}

/** True when a broker answers a metadata request within the timeout. */
export async function kafkaReachable(kafka: Kafka, timeoutMs = 3_000): Promise<boolean> {
  const admin = kafka.admin();
  const timeout = new Promise<false>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref());
  const probe = (async () => {
    try {
      await admin.connect();
      await admin.describeCluster();
      return true;
    } catch {
      return false;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  })();
  return Promise.race([probe, timeout]);
}

/**
 * A producer with the current default partitioner chosen explicitly (kafkajs warns
 * otherwise): a key's messages always land in the same partition, keeping a subject's
 * events in order.
 */
export function createProducer(kafka: Kafka): Producer {
  return kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
}
