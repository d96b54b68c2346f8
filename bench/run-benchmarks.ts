import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { anomalyScenario } from './anomaly-delay.js';
import { exportRebuildScenario } from './export-rebuild.js';
import { ingestScenario } from './ingest-throughput.js';
import { queryScenario } from './query-latency.js';
import { scalingScenario } from './scaling-curve.js';
import { benchKafka } from './support/bench-kafka.js';
import { machineInfo, sourceInfo, versions } from './support/environment.js';
import { parseBenchArguments, SIZE_PLANS, UsageError, type ScenarioName } from './support/options.js';
import { REPO_ROOT, RESULTS_DIR } from './support/paths.js';
import type { Scenario, ScenarioOutcome, TableRow } from './support/scenario.js';
import { renderTable } from './support/table.js';

/**
 * `npm run bench [-- --size small|medium|large] [--only a,b] [--runs N] [--profile]`
 * Runs the DESIGN 10 scenarios one after another, prints a table and writes the full
 * results as JSON to bench/results/<timestamp>.json (or --output FILE).
 */

function scenarios(): Record<ScenarioName, Scenario> {
  return {
    ingest: ingestScenario,
    query: queryScenario,
    anomalies: anomalyScenario,
    'export-rebuild': exportRebuildScenario,
    scaling: scalingScenario,
  };
}

export async function main(argv: string[]): Promise<number> {
  const runId = randomBytes(3).toString('hex');
  let options;
  try {
    options = parseBenchArguments(argv, runId);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const plan = options.ingestEvents === null ? SIZE_PLANS[options.size] : { ...SIZE_PLANS[options.size], ingestEvents: options.ingestEvents };
  const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);
  const startedAt = new Date();
  const machine = machineInfo();
  const versionInfo = await versions(options.serverUrl);
  const source = await sourceInfo();
  log(`size ${options.size}, ${options.runs} run(s), seed ${options.seed}, run id ${runId}; ${machine.cores} cores; node ${versionInfo.node}, postgres ${versionInfo.postgres}, kafka ${versionInfo.kafka}`);

  const kafka = benchKafka(options.kafkaBrokers, `bench-${runId}`);
  const outcomes: Partial<Record<ScenarioName, ScenarioOutcome>> = {};
  const registry = scenarios();
  for (const name of options.only) {
    const scenario = registry[name];
    log(`── ${scenario.title}`);
    const t0 = process.hrtime.bigint();
    let outcome: ScenarioOutcome;
    try {
      outcome = await scenario.run({ options, plan, kafka, log });
    } catch (error) {
      outcome = { status: 'failed', reason: (error as Error).stack ?? String(error), data: {}, rows: [] };
    }
    outcome.seconds = Math.round(Number(process.hrtime.bigint() - t0) / 1e7) / 100;
    // Other work on the machine skews every figure; the 1/5/15-minute load says how much there was.
    outcome.loadAverage = os.loadavg().map((l) => Math.round(l * 100) / 100);
    if (outcome.status !== 'ok') log(`${name}: ${outcome.status}: ${outcome.reason}`);
    outcomes[name] = outcome;
  }

  const rows: TableRow[] = [];
  for (const name of options.only) {
    const outcome = outcomes[name]!;
    if (outcome.status === 'ok') rows.push(...outcome.rows);
    else rows.push({ scenario: name, metric: registry[name].title, value: outcome.status === 'failed' ? `FAILED: ${firstLine(outcome.reason)}` : firstLine(outcome.reason) });
  }
  const result = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    size: options.size,
    runs: options.runs,
    seed: options.seed,
    runId,
    machine,
    source,
    versions: versionInfo,
    plan,
    scenarios: outcomes,
  };
  const file = options.output ? resolve(options.output) : join(RESULTS_DIR, `${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);

  const header = [
    `Benchmarks (${options.size}, median of ${options.runs} run(s), seed ${options.seed}) — ${startedAt.toISOString()}`,
    `machine: ${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB, load average at start ${machine.loadAverage.join(' ')}; source: ${source.commit}${source.uncommittedChanges ? ` + ${source.uncommittedChanges} uncommitted change(s)` : ''}`,
    `versions: node ${versionInfo.node}, PostgreSQL ${versionInfo.postgres}, Kafka ${versionInfo.kafka}, kafkajs ${versionInfo.kafkajs}, pg ${versionInfo.pg}, ` +
      `pg-copy-streams ${versionInfo['pg-copy-streams']}, autocannon ${versionInfo.autocannon}, emmett-postgresql ${versionInfo['emmett-postgresql']}`,
  ];
  process.stdout.write(`\n${header.join('\n')}\n\n${renderTable(rows)}\n\nresults: ${relative(REPO_ROOT, file)}\n`);
  return Object.values(outcomes).some((o) => o.status === 'failed') ? 1 : 0;
}

function firstLine(text: string | undefined): string {
  return (text ?? '').split('\n')[0]!;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      process.stderr.write(`benchmarks failed: ${(error as Error).stack ?? error}\n`);
      process.exit(1);
    },
  );
}
