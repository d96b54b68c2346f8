import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { benchTopics, deleteTopicsAndGroups, inputTopicList, kafkaGroupProgress, measureUntil, publishWorkload, topicEnds, type ThroughputMeasurement } from './support/bench-kafka.js';
import { EMMETT_APPENDER, ensureEmmettInstalled } from './support/emmett-peer.js';
import { startLedgerService } from './support/ledger-service.js';
import { RAW_CONSUMER_MAIN, RESULTS_DIR } from './support/paths.js';
import { BenchProcess, nodeBinary } from './support/processes.js';
import { runScenarioStandalone } from './support/standalone.js';
import { createPool, createScratchDatabase, ledgerConsumedMessages, ledgerCounts } from './support/scratch-database.js';
import { fmtBytes, fmtNumber, verdict, type Scenario, type ScenarioContext, type ScenarioOutcome } from './support/scenario.js';
import { median, ratio, round } from './support/stats.js';
import { formatProfileSummary, newestProfile, summariseProfile, type ProfileSummary } from './summarise-profile.js';

/**
 * Scenario 1 (DESIGN 10, ingest): the same N generated events, published once to fresh
 * topics, consumed one after another by
 *   (a) the raw limit: kafkajs + COPY of the payloads into a bare table (raw-copy-consumer);
 *   (b) the ledger: the compiled service, its whole ingest path;
 *   (b2) the same service with LEDGER_INGEST_WORKERS=2: ingest in two worker processes;
 *   (c) the peer: Emmett's PostgreSQL event store, one stream per subject;
 * each in a child process on its own scratch database and consumer group.
 */

type Contender = 'raw' | 'ledger' | 'ledgerWorkers' | 'emmett';
const CONTENDERS: Contender[] = ['raw', 'ledger', 'ledgerWorkers', 'emmett'];
const LABELS: Record<Contender, string> = {
  raw: '(a) raw limit: kafkajs + COPY',
  ledger: '(b) ledger: full ingest path',
  ledgerWorkers: '(b2) ledger, 2 ingest workers',
  emmett: '(c) Emmett PostgreSQL store',
};
/** The service's environment per ledger contender: its defaults, or ingest in worker processes. */
const LEDGER_ENV: Partial<Record<Contender, Record<string, string>>> = {
  ledger: {},
  ledgerWorkers: { LEDGER_INGEST_WORKERS: '2' },
};

interface ContenderRun extends ThroughputMeasurement {
  contender: Contender;
  stored: number;
  rejected: number;
  storeBytes: number;
  peakRssBytes: number;
}

async function databaseSize(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ bytes: string }>('SELECT pg_database_size(current_database()) AS bytes');
    return Number(rows[0]!.bytes);
  } finally {
    await client.end();
  }
}

async function countRows(url: string, sql: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(sql);
    return Number(rows[0]!.n);
  } finally {
    await client.end();
  }
}

async function runContender(
  context: ScenarioContext,
  contender: Contender,
  topics: ReturnType<typeof benchTopics>,
  total: number,
  tag: string,
  profileDir: string | null,
): Promise<ContenderRun> {
  const { options } = context;
  const db = await createScratchDatabase(options.serverUrl, `ingest_${contender}_${tag}`, options.runId);
  const groupId = `bench.${options.runId}.ingest.${contender}.${tag}`;
  const inputs = inputTopicList(topics);
  // Generous: a loaded 2-core machine has run the ledger at ~1,000 events/s.
  const timeoutMs = 120_000 + (total / 200) * 1000;
  const admin = context.kafka.admin();
  await admin.connect();
  let proc: BenchProcess | null = null;
  let pool: ReturnType<typeof createPool> | null = null;
  try {
    let measurement: ThroughputMeasurement;
    const ledgerEnv = LEDGER_ENV[contender];
    if (ledgerEnv) {
      // The service creates and migrates its database itself, as in production.
      const service = await startLedgerService({
        label: `ledger-${tag}`,
        databaseUrl: db.url,
        brokers: options.kafkaBrokers,
        topics,
        consumerGroup: groupId,
        ingestEnabled: true,
        profileDir,
        env: ledgerEnv,
      });
      proc = service.process;
      pool = createPool(db.url, 1);
      const ledgerPool = pool;
      // The store's own offsets are the authoritative progress (written in the append transaction).
      measurement = await measureUntil(() => ledgerConsumedMessages(ledgerPool, groupId), total, {
        intervalMs: 25,
        timeoutMs,
        isAlive: () => proc!.deathNote(),
      });
    } else {
      const settings = JSON.stringify({ databaseUrl: db.url, brokers: options.kafkaBrokers, groupId, topics: inputs });
      proc =
        contender === 'raw'
          ? new BenchProcess('raw-limit', nodeBinary(), [RAW_CONSUMER_MAIN, settings], {}, { sampleMemory: true })
          : new BenchProcess('emmett', nodeBinary(), [EMMETT_APPENDER, settings], {}, { sampleMemory: true });
      measurement = await measureUntil(kafkaGroupProgress(admin, groupId, inputs), total, {
        intervalMs: 25,
        timeoutMs,
        isAlive: () => proc!.deathNote(),
      });
    }
    const peakRssBytes = proc.peakRssBytes;
    await proc.stop();
    let stored: number;
    let rejected = 0;
    if (ledgerEnv) {
      const counts = await ledgerCounts(pool!);
      stored = counts.events;
      rejected = counts.rejections;
    } else if (contender === 'raw') {
      stored = await countRows(db.url, 'SELECT count(*) AS n FROM raw_events');
    } else {
      stored = await countRows(db.url, 'SELECT count(*) AS n FROM emt_messages');
    }
    const storeBytes = await databaseSize(db.url);
    return { contender, ...measurement, stored, rejected, storeBytes, peakRssBytes };
  } finally {
    await proc?.stop(10_000);
    await pool?.end().catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
    await deleteTopicsAndGroups(context.kafka, [], [groupId]).catch(() => undefined);
    await db.drop();
  }
}

async function runIngest(context: ScenarioContext): Promise<ScenarioOutcome> {
  const { options, plan, log } = context;
  const emmettVersion = await ensureEmmettInstalled(log);
  const topics = benchTopics(options.runId, 'ingest');
  const warmTopics = benchTopics(options.runId, 'ingest-warmup');
  const allTopics = [...inputTopicList(topics), topics.anomalies, topics.dlq, ...inputTopicList(warmTopics), warmTopics.anomalies, warmTopics.dlq];
  const profileDir = options.profile ? join(RESULTS_DIR, 'profiles', options.runId) : null;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  try {
    log(`publishing ${fmtNumber(plan.ingestEvents)} generated events (seed ${options.seed}) to ${topics.inputs.activity.replace(/\.activity$/, '.*')}`);
    const published = await publishWorkload(context.kafka, topics, options.seed, plan.ingestEvents);
    const total = await topicEnds(context.kafka, inputTopicList(topics));
    log(`published ${fmtNumber(published.records)} records, ${fmtBytes(published.bytes)} (avg ${Math.round(published.bytes / published.messages)} B) in ${published.seconds.toFixed(1)} s`);

    if (plan.warmupEvents > 0) {
      // Warms the page cache, Postgres and the broker; nothing from it is recorded.
      await publishWorkload(context.kafka, warmTopics, options.seed + 1, plan.warmupEvents);
      const warmTotal = await topicEnds(context.kafka, inputTopicList(warmTopics));
      for (const contender of CONTENDERS) {
        log(`warm-up: ${contender} on ${fmtNumber(warmTotal)} events`);
        await runContender(context, contender, warmTopics, warmTotal, 'warmup', null);
      }
    }

    const runs: ContenderRun[][] = [];
    for (let r = 1; r <= options.runs; r++) {
      const results: ContenderRun[] = [];
      for (const contender of CONTENDERS) {
        const profile = contender === 'ledger' && r === 1 ? profileDir : null;
        log(`run ${r}/${options.runs}: ${LABELS[contender]}`);
        const result = await runContender(context, contender, topics, total, `r${r}`, profile);
        log(
          `  ${fmtNumber(result.eventsPerSecond)} events/s (${fmtNumber(result.measuredMessages)} in ${result.seconds.toFixed(2)} s; ` +
            `start-up ${result.startupSeconds.toFixed(1)} s; stored ${fmtNumber(result.stored)}, rejected ${result.rejected}; peak RSS ${fmtBytes(result.peakRssBytes)}` +
            `${contender === 'ledgerWorkers' ? ' of the primary process, workers not included' : ''})`,
        );
        results.push(result);
      }
      runs.push(results);
    }

    const med = (c: Contender) => median(runs.map((rs) => rs.find((x) => x.contender === c)!.eventsPerSecond));
    const medians = { raw: med('raw'), ledger: med('ledger'), ledgerWorkers: med('ledgerWorkers'), emmett: med('emmett') };
    const ledgerToRaw = ratio(medians.ledger, medians.raw);
    const ledgerToEmmett = ratio(medians.ledger, medians.emmett);

    let profile: ProfileSummary | null = null;
    if (profileDir) {
      const file = newestProfile(profileDir);
      if (file) {
        profile = summariseProfile(file, 25);
        log(formatProfileSummary(profile));
      } else {
        log('no CPU profile was written by the ledger service');
      }
    }

    const perContender = (c: Contender) => {
      const last = runs.map((rs) => rs.find((x) => x.contender === c)!);
      return {
        eventsPerSecond: round(medians[c], 0),
        runs: last.map((x) => ({
          eventsPerSecond: round(x.eventsPerSecond, 0),
          seconds: round(x.seconds, 3),
          measuredMessages: x.measuredMessages,
          firstBatchMessages: x.firstBatchMessages,
          startupSeconds: round(x.startupSeconds, 2),
          includesStartup: x.includesStartup,
          stored: x.stored,
          rejected: x.rejected,
          storeBytes: x.storeBytes,
          peakRssBytes: x.peakRssBytes,
        })),
      };
    };
    const coresOk = medians.ledger !== null ? medians.ledger >= 30_000 : null;
    return {
      status: 'ok',
      data: {
        events: total,
        publishedBytes: published.bytes,
        averageMessageBytes: Math.round(published.bytes / Math.max(1, published.messages)),
        runs: options.runs,
        emmettVersion,
        raw: perContender('raw'),
        ledger: perContender('ledger'),
        ledgerWorkers: { ...perContender('ledgerWorkers'), ingestWorkers: 2 },
        emmett: perContender('emmett'),
        ratios: {
          ledgerToRaw: round(ledgerToRaw, 3),
          ledgerToEmmett: round(ledgerToEmmett, 3),
          ledgerWorkersToRaw: round(ratio(medians.ledgerWorkers, medians.raw), 3),
          ledgerWorkersToLedger: round(ratio(medians.ledgerWorkers, medians.ledger), 3),
        },
        profile,
      },
      rows: [
        { scenario: 'ingest', metric: `${LABELS.raw}, events/s`, value: fmtNumber(medians.raw) },
        { scenario: 'ingest', metric: `${LABELS.ledger}, events/s`, value: fmtNumber(medians.ledger), target: '>= 30,000', verdict: verdict(coresOk) },
        {
          scenario: 'ingest',
          metric: `${LABELS.ledgerWorkers}, events/s`,
          value: fmtNumber(medians.ledgerWorkers),
          target: '>= 30,000',
          verdict: verdict(medians.ledgerWorkers === null ? null : medians.ledgerWorkers >= 30_000),
        },
        { scenario: 'ingest', metric: `${LABELS.emmett}, events/s`, value: fmtNumber(medians.emmett) },
        { scenario: 'ingest', metric: 'b/a (ledger / raw limit)', value: fmtNumber(ledgerToRaw, 2), target: '>= 0.50', verdict: verdict(ledgerToRaw === null ? null : ledgerToRaw >= 0.5) },
        { scenario: 'ingest', metric: 'b/c (ledger / Emmett)', value: fmtNumber(ledgerToEmmett, 2), target: '>= 3.00', verdict: verdict(ledgerToEmmett === null ? null : ledgerToEmmett >= 3) },
      ],
    };
  } finally {
    await deleteTopicsAndGroups(context.kafka, allTopics).catch((error) => log(`could not delete topics: ${String(error)}`));
  }
}

export const ingestScenario: Scenario = {
  name: 'ingest',
  title: `Ingest throughput: raw limit vs ledger (in-process, and 2 ingest workers) vs Emmett`,
  run: runIngest,
};

void runScenarioStandalone(import.meta.url, 'ingest');
