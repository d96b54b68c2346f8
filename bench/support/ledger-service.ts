import { mkdirSync } from 'node:fs';
import type { TopicNames } from '#domain';
import { topicEnvironment } from './bench-kafka.js';
import { SERVICE_MAIN } from './paths.js';
import { BenchProcess, nodeBinary } from './processes.js';

export interface LedgerServiceOptions {
  label: string;
  databaseUrl: string;
  brokers: string[];
  topics: TopicNames;
  consumerGroup: string;
  ingestEnabled: boolean;
  /** Write a V8 CPU profile of the service into this folder (written when it exits). */
  profileDir?: string | null;
  env?: Record<string, string>;
}

export interface RunningLedgerService {
  process: BenchProcess;
  url: string;
}

/**
 * Starts the compiled service (`dist/apps/ledger-service/src/main.js`) exactly as production
 * does, configured only through its documented environment, and waits until it listens.
 */
export async function startLedgerService(options: LedgerServiceOptions): Promise<RunningLedgerService> {
  const args: string[] = [];
  if (options.profileDir) {
    mkdirSync(options.profileDir, { recursive: true });
    args.push('--cpu-prof', `--cpu-prof-dir=${options.profileDir}`);
  }
  args.push(SERVICE_MAIN);
  const proc = new BenchProcess(
    options.label,
    nodeBinary(),
    args,
    {
      DATABASE_URL: options.databaseUrl,
      KAFKA_BROKERS: options.brokers.join(','),
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      LEDGER_CONSUMER_GROUP: options.consumerGroup,
      LEDGER_KAFKA_CLIENT_ID: `bench-${options.label}`,
      LEDGER_INGEST_ENABLED: String(options.ingestEnabled),
      // The service's own 30 s default would make a benchmark re-run wait for the old member to expire.
      LEDGER_KAFKA_SESSION_TIMEOUT_MS: '10000',
      ...topicEnvironment(options.topics),
      ...options.env,
    },
    { sampleMemory: true },
  );
  try {
    const url = await proc.waitForLine((line) => {
      if (!line.startsWith('{')) return null;
      try {
        const entry = JSON.parse(line) as { msg?: string; url?: string };
        return entry.msg === 'ledger service listening' && entry.url ? entry.url.replace('0.0.0.0', '127.0.0.1') : null;
      } catch {
        return null;
      }
    }, 120_000);
    return { process: proc, url };
  } catch (error) {
    await proc.stop(5_000);
    throw error;
  }
}
