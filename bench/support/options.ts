import { loadConfig } from '#config';

export type BenchSize = 'small' | 'medium' | 'large';

export const SCENARIO_NAMES = ['ingest', 'query', 'anomalies', 'export-rebuild', 'scaling'] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/** Everything a scenario needs to know about this run, decided once from the command line. */
export interface BenchOptions {
  size: BenchSize;
  runs: number;
  only: ScenarioName[];
  seed: number;
  profile: boolean;
  /** Server URL; each scenario swaps the database name for its own scratch database. */
  serverUrl: string;
  kafkaBrokers: string[];
  output: string | null;
  /** `--events N`: the ingest scenario's event count instead of the size's (a quick mid-size look). */
  ingestEvents: number | null;
  /** `--ingest-workers N`: the anomaly-delay scenario runs the service with LEDGER_INGEST_WORKERS=N. */
  ingestWorkers: number | null;
  /** A short random tag that keeps this run's topics, groups and databases apart from any other. */
  runId: string;
}

/** Event counts and durations per size: small is a smoke test, medium and large are the real measurements. */
export interface SizePlan {
  ingestEvents: number;
  warmupEvents: number;
  queryLedgerEvents: number;
  queryDurationSeconds: number;
  queryWarmupSeconds: number;
  anomalySeconds: number;
  anomalyEventsPerSecond: number;
  exportEvents: number;
  scalingCheckpoints: number[];
  defaultRuns: number;
}

export const SIZE_PLANS: Record<BenchSize, SizePlan> = {
  small: {
    // A smoke test (npm test runs it): every code path, well under two minutes on 2 busy cores
    // where the ledger path may run at under 1,000 events/s.
    ingestEvents: 10_000,
    warmupEvents: 0,
    queryLedgerEvents: 3_000,
    queryDurationSeconds: 2,
    queryWarmupSeconds: 1,
    anomalySeconds: 2,
    anomalyEventsPerSecond: 5_000,
    exportEvents: 3_000,
    scalingCheckpoints: [2_000, 4_000, 8_000],
    defaultRuns: 3,
  },
  medium: {
    ingestEvents: 1_000_000,
    warmupEvents: 20_000,
    queryLedgerEvents: 1_000_000,
    queryDurationSeconds: 20,
    queryWarmupSeconds: 5,
    anomalySeconds: 30,
    anomalyEventsPerSecond: 5_000,
    exportEvents: 1_000_000,
    scalingCheckpoints: [250_000, 500_000, 1_000_000],
    defaultRuns: 1,
  },
  large: {
    ingestEvents: 1_000_000,
    warmupEvents: 20_000,
    queryLedgerEvents: 5_000_000,
    queryDurationSeconds: 30,
    queryWarmupSeconds: 5,
    anomalySeconds: 60,
    anomalyEventsPerSecond: 5_000,
    exportEvents: 1_000_000,
    scalingCheckpoints: [1_000_000, 5_000_000, 10_000_000],
    defaultRuns: 1,
  },
};

export class UsageError extends Error {}

const USAGE = `usage: node dist/bench/run-benchmarks.js [--size small|medium|large] [--only ${SCENARIO_NAMES.join('|')}[,...]]
                                         [--runs N] [--seed N] [--events N] [--ingest-workers N] [--profile] [--output FILE]`;

/** Parses the runner's arguments; DATABASE_URL and KAFKA_BROKERS come from the ledger's own config. */
export function parseBenchArguments(argv: string[], runId: string): BenchOptions {
  let size: BenchSize = 'small';
  let runs: number | null = null;
  let only: ScenarioName[] = [...SCENARIO_NAMES];
  let seed = 20261102;
  let profile = false;
  let output: string | null = null;
  let ingestEvents: number | null = null;
  let ingestWorkers: number | null = null;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new UsageError(`${flag} needs a value\n${USAGE}`);
      return next;
    };
    switch (flag) {
      case '--size': {
        const v = value();
        if (v !== 'small' && v !== 'medium' && v !== 'large') throw new UsageError(`--size must be small, medium or large\n${USAGE}`);
        size = v;
        break;
      }
      case '--runs':
        runs = positiveInteger(flag, value());
        break;
      case '--seed':
        seed = positiveInteger(flag, value());
        break;
      case '--only': {
        const names = value().split(',').map((n) => n.trim()).filter(Boolean);
        for (const name of names) {
          if (!(SCENARIO_NAMES as readonly string[]).includes(name)) throw new UsageError(`unknown scenario ${name}\n${USAGE}`);
        }
        only = names as ScenarioName[];
        break;
      }
      case '--events':
        ingestEvents = positiveInteger(flag, value());
        break;
      case '--ingest-workers':
        ingestWorkers = positiveInteger(flag, value());
        break;
      case '--profile':
        profile = true;
        break;
      case '--output':
        output = value();
        break;
      case '--help':
      case '-h':
        throw new UsageError(USAGE);
      default:
        throw new UsageError(`unknown argument ${flag}\n${USAGE}`);
    }
  }
  const config = loadConfig();
  return {
    size,
    runs: runs ?? SIZE_PLANS[size].defaultRuns,
    only,
    seed,
    profile,
    serverUrl: config.databaseUrl,
    kafkaBrokers: config.kafka.brokers,
    output,
    ingestEvents,
    ingestWorkers,
    runId,
  };
}

function positiveInteger(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n <= 0) throw new UsageError(`${flag} must be a positive integer`);
  return n;
}
