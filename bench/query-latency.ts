import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { cliCommands } from './support/cli-commands.js';
import { CLI_MAIN, RESULTS_DIR } from './support/paths.js';
import { nodeBinary } from './support/processes.js';
import { benchTopics, deleteTopicsAndGroups, inputTopicList } from './support/bench-kafka.js';
import { buildLedger } from './support/ledger-builder.js';
import { startLedgerService } from './support/ledger-service.js';
import { createPool, createScratchDatabase } from './support/scratch-database.js';
import { fmtNumber, verdict, type Scenario, type ScenarioContext, type ScenarioOutcome } from './support/scenario.js';
import { runScenarioStandalone } from './support/standalone.js';
import { timedCli } from './support/timed-cli.js';
import { median, percentile, ratio, round } from './support/stats.js';
import { formatProfileSummary, newestProfile, summariseProfile, type ProfileSummary } from './summarise-profile.js';

/**
 * Scenario 2 (DESIGN 10, who-did-what): a subject's timeline over HTTP at 16 concurrent
 * clients (autocannon against the compiled service, ingest off) next to the same SQL the
 * repository runs, from 16 concurrent pg clients, on the same ledger for the same time.
 */

const run = promisify(execFile);
const CONNECTIONS = 16;
const PAGE = 100;
const SUBJECTS = 8;

/**
 * The bare SQL answer to the same question: a subject's first page in event-time order,
 * straight from the (actor_subject, time, position) index. The repository's statement is
 * this plus what the service adds on top (alias expansion, the re-attribution join): the
 * HTTP/SQL ratio is the price of everything between the client and this query. One row more
 * than the page, as the repository asks, to know whether there is a next page.
 */
const TIMELINE_SQL = `SELECT position, id_collision, document FROM ledger_events WHERE actor_subject = $1
          ORDER BY time, position LIMIT $2`;

interface LatencyRound {
  requests: number;
  errors: number;
  p50: number | null;
  p99: number | null;
  mean: number | null;
  requestsPerSecond: number;
  /** Non-200 responses by status code (HTTP only). */
  statuses?: Record<string, number>;
}

function summarise(latencies: number[], errors: number, seconds: number): LatencyRound {
  const mean = latencies.length ? latencies.reduce((a, b) => a + b, 0) / latencies.length : null;
  return {
    requests: latencies.length,
    errors,
    p50: round(percentile(latencies, 50), 3),
    p99: round(percentile(latencies, 99), 3),
    mean: round(mean, 3),
    requestsPerSecond: round(latencies.length / seconds, 1) ?? 0,
  };
}

/** autocannon's own histogram keeps whole milliseconds; each response's exact time is taken from its event. */
async function httpRound(baseUrl: string, subjects: string[], seconds: number, headers: Record<string, string>): Promise<LatencyRound> {
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let next = 0;
  const paths = subjects.map((s) => `/v1/subjects/${encodeURIComponent(s)}/activity?limit=${PAGE}`);
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: baseUrl,
        connections: CONNECTIONS,
        duration: seconds,
        headers,
        requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: paths[next++ % paths.length]! }) }],
      },
      (error, finished) => (error ? reject(error) : resolve(finished)),
    );
    instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      if (statusCode === 200) latencies.push(responseTime);
      else statuses.set(statusCode, (statuses.get(statusCode) ?? 0) + 1);
    });
  });
  const errors = result.errors + result.timeouts + [...statuses.values()].reduce((a, b) => a + b, 0);
  return { ...summarise(latencies, errors, seconds), statuses: Object.fromEntries(statuses) };
}

async function sqlRound(databaseUrl: string, subjects: string[], seconds: number): Promise<LatencyRound> {
  const clients = await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      const c = new pg.Client({ connectionString: databaseUrl, application_name: 'bench-bare-sql' });
      await c.connect();
      return c;
    }),
  );
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const deadline = performance.now() + seconds * 1000;
  try {
    await Promise.all(
      clients.map(async (client) => {
        while (performance.now() < deadline) {
          const subject = subjects[next++ % subjects.length]!;
          const t0 = performance.now();
          try {
            await client.query({ text: TIMELINE_SQL, values: [subject, PAGE + 1], name: 'timeline' });
            latencies.push(performance.now() - t0);
          } catch {
            errors++;
          }
        }
      }),
    );
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
  return summarise(latencies, errors, seconds);
}

/** An API key with the read scope, made the way an operator would (`ledger keys create`), when the CLI has keys. */
async function readerKeyHeaders(databaseUrl: string, log: (message: string) => void): Promise<Record<string, string>> {
  if (!(await cliCommands()).has('keys')) return {};
  const { stdout } = await run(nodeBinary(), [CLI_MAIN, '--json', 'keys', 'create', '--owner', 'bench:query-latency', '--scopes', 'events:read'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' },
    timeout: 60_000,
  });
  const created = JSON.parse(stdout.trim().split('\n').pop()!) as { key?: string };
  if (!created.key) throw new Error(`ledger keys create printed no key: ${stdout}`);
  log('created an events:read API key for the HTTP clients');
  return { authorization: `Bearer ${created.key}` };
}

async function runQuery(context: ScenarioContext): Promise<ScenarioOutcome> {
  const { options, plan, log } = context;
  const db = await createScratchDatabase(options.serverUrl, 'query', options.runId, { migrate: true });
  const topics = benchTopics(options.runId, 'query');
  const pool = createPool(db.url, 2);
  try {
    log(`building a ${fmtNumber(plan.queryLedgerEvents)}-event ledger (direct append through IngestService)`);
    const build = await buildLedger(pool, {
      seed: options.seed,
      count: plan.queryLedgerEvents,
      onProgress: (done) => log(`  ${fmtNumber(done)} events stored`),
    });
    log(`built in ${build.seconds.toFixed(1)} s (${fmtNumber(build.eventsPerSecond)} events/s)`);
    await pool.query('ANALYZE');
    // The busiest subjects, chosen by the data (deterministic for a seed), cycled by every client.
    const { rows } = await pool.query<{ actor_subject: string; n: string }>(
      `SELECT actor_subject, count(*) AS n FROM ledger_events GROUP BY actor_subject ORDER BY count(*) DESC, actor_subject LIMIT ${SUBJECTS}`,
    );
    const subjects = rows.map((r) => r.actor_subject);
    const subjectEvents = rows.map((r) => Number(r.n));

    // Every projection brought to the head of the ledger first, as `ledger rebuild` does it
    // (timed: the rebuild speed), so that the service measured next is in its steady state
    // rather than catching up millions of events while it answers.
    log(`rebuilding every projection of the ${fmtNumber(build.events)}-event ledger (ledger rebuild)`);
    const rebuild = await timedCli('rebuild', ['rebuild'], db.url, build.events);
    log(`  rebuild: ${fmtNumber(rebuild.eventsPerSecond)} events/s in ${rebuild.seconds.toFixed(1)} s`);
    // The same for the Merkle tree: built directly, the ledger has no checkpoint yet, and a
    // service started on it would hash millions of leaves to sign its first one while the
    // clients run (9.5% of its CPU in a profile of the 5M-event run). A live service signs as
    // the ledger grows, so it is brought to the head here, with the service's own signing key.
    log(`extending the Merkle tree to the head and signing a checkpoint (ledger checkpoint)`);
    const checkpoint = await timedCli('checkpoint', ['checkpoint'], db.url, build.events);
    log(`  checkpoint: ${fmtNumber(checkpoint.eventsPerSecond)} events/s in ${checkpoint.seconds.toFixed(1)} s`);

    const headers = await readerKeyHeaders(db.url, log);
    // --profile: where the service's time goes while it answers (written when it stops).
    const profileDir = options.profile ? join(RESULTS_DIR, 'profiles', `${options.runId}-query`) : null;
    if (profileDir) mkdirSync(profileDir, { recursive: true });
    const service = await startLedgerService({
      profileDir,
      label: 'query',
      databaseUrl: db.url,
      brokers: options.kafkaBrokers,
      topics,
      consumerGroup: `bench.${options.runId}.query`,
      ingestEnabled: false,
      // Latency is measured here, not the per-key limiter (0 turns it off); auth stays on.
      // Detection is off: it would replay the whole built ledger while the clients run (it is
      // not on the query path, and a live service follows the ledger as it grows).
      env: { LEDGER_RATE_LIMIT_PER_SECOND: '0', LEDGER_DETECTION_ENABLED: 'false' },
    });
    const httpRuns: LatencyRound[] = [];
    const sqlRuns: LatencyRound[] = [];
    try {
      log(`warm-up ${plan.queryWarmupSeconds} s each, then ${options.runs} x ${plan.queryDurationSeconds} s of HTTP and of bare SQL at ${CONNECTIONS} clients`);
      await httpRound(service.url, subjects, plan.queryWarmupSeconds, headers);
      await sqlRound(db.url, subjects, plan.queryWarmupSeconds);
      for (let r = 1; r <= options.runs; r++) {
        const http = await httpRound(service.url, subjects, plan.queryDurationSeconds, headers);
        const sql = await sqlRound(db.url, subjects, plan.queryDurationSeconds);
        log(`  run ${r}: HTTP p50 ${http.p50} ms p99 ${http.p99} ms (${http.requestsPerSecond} req/s, ${http.errors} errors); SQL p50 ${sql.p50} ms p99 ${sql.p99} ms (${sql.requestsPerSecond} q/s)`);
        if (http.requests === 0) throw new Error(`no successful HTTP response (${http.errors} errors, statuses ${JSON.stringify(http.statuses)}); service output:\n${service.process.output()}`);
        httpRuns.push(http);
        sqlRuns.push(sql);
      }
    } finally {
      await service.process.stop();
    }
    let profile: ProfileSummary | null = null;
    const profileFile = profileDir ? newestProfile(profileDir) : null;
    if (profileFile) {
      profile = summariseProfile(profileFile, 25);
      log(formatProfileSummary(profile));
    }
    const pick = (rs: LatencyRound[], key: 'p50' | 'p99' | 'requestsPerSecond') => median(rs.map((x) => x[key] ?? Number.NaN));
    const http = { p50: pick(httpRuns, 'p50'), p99: pick(httpRuns, 'p99'), requestsPerSecond: pick(httpRuns, 'requestsPerSecond') };
    const sql = { p50: pick(sqlRuns, 'p50'), p99: pick(sqlRuns, 'p99'), requestsPerSecond: pick(sqlRuns, 'requestsPerSecond') };
    const p99Ratio = ratio(http.p99, sql.p99);
    const p50Ratio = ratio(http.p50, sql.p50);
    return {
      status: 'ok',
      data: {
        ledgerEvents: build.events,
        build: { seconds: round(build.seconds, 1), eventsPerSecond: round(build.eventsPerSecond, 0), stored: build.stored, rejected: build.rejected },
        connections: CONNECTIONS,
        pageLimit: PAGE,
        durationSeconds: plan.queryDurationSeconds,
        subjects: subjects.map((s, i) => ({ subject: s, events: subjectEvents[i] })),
        http: { ...http, runs: httpRuns },
        sql: { ...sql, runs: sqlRuns },
        ratios: { p50: round(p50Ratio, 2), p99: round(p99Ratio, 2) },
        rebuild: { seconds: round(rebuild.seconds, 2), eventsPerSecond: round(rebuild.eventsPerSecond, 0), peakRssBytes: rebuild.peakRssBytes },
        checkpoint: { seconds: round(checkpoint.seconds, 2), eventsPerSecond: round(checkpoint.eventsPerSecond, 0), peakRssBytes: checkpoint.peakRssBytes },
        profile,
      },
      rows: [
        { scenario: 'query', metric: `HTTP subject timeline p50 / p99 (ms), ${CONNECTIONS} clients, ${fmtNumber(build.events)} events`, value: `${fmtNumber(http.p50, 2)} / ${fmtNumber(http.p99, 2)}`, target: 'p99 <= 25', verdict: verdict(http.p99 === null ? null : http.p99 <= 25) },
        { scenario: 'query', metric: `bare SQL p50 / p99 (ms), ${CONNECTIONS} clients`, value: `${fmtNumber(sql.p50, 2)} / ${fmtNumber(sql.p99, 2)}` },
        { scenario: 'query', metric: 'HTTP / SQL p99 ratio', value: fmtNumber(p99Ratio, 2), target: '<= 2.00', verdict: verdict(p99Ratio === null ? null : p99Ratio <= 2) },
        { scenario: 'query', metric: 'HTTP / SQL throughput (req/s)', value: `${fmtNumber(http.requestsPerSecond)} / ${fmtNumber(sql.requestsPerSecond)}` },
        {
          scenario: 'query',
          metric: `projection rebuild of the same ${fmtNumber(build.events)} events, events/s`,
          value: fmtNumber(rebuild.eventsPerSecond),
          target: '>= 100,000',
          verdict: verdict(rebuild.eventsPerSecond >= 100_000),
        },
      ],
    };
  } finally {
    await pool.end().catch(() => undefined);
    await deleteTopicsAndGroups(context.kafka, [...inputTopicList(topics), topics.anomalies, topics.dlq]).catch(() => undefined);
    await db.drop();
  }
}

export const queryScenario: Scenario = {
  name: 'query',
  title: 'Who-did-what latency: HTTP vs bare SQL',
  run: runQuery,
};

void runScenarioStandalone(import.meta.url, 'query');
