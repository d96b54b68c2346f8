import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig, type LedgerConfig } from '#config';
import { EventStoreRepository } from '#event-store';
import type { VerificationReport } from '#integrity';
import { createLogger } from '#logging';
import { createKafka } from '#messaging';
import { PROJECTIONS } from '#service';
import { streamWorkloadJson } from '#workload';
import { publishMessages } from '../../apps/ledger-cli/src/publish.command.js';
import { waitUntilConsumed } from '../../apps/ledger-cli/src/wait-for-ingest.js';
import { createTestDatabase, eventually, inputTopics, ledgerTopicEnvironment, testKeyFiles, type TestDatabase } from '#test-support';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SERVICE = resolve(ROOT, 'dist/apps/ledger-service/src/main.js');

interface LogLine {
  msg?: string;
  name?: string;
  pid?: number;
  slot?: number;
  code?: number | null;
  signal?: string | null;
  url?: string;
}

/** Process ids whose parent is `pid` (Linux /proc). */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name, which is in parentheses and may contain spaces: state, ppid, ...
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) children.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return children.sort((a, b) => a - b);
}

const alive = (pid: number) => existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');

/**
 * LEDGER_INGEST_WORKERS=2 with the compiled service: the primary serves the API and runs the
 * readers while two worker processes consume Kafka in the group. Every message is accounted
 * for exactly once (an event, a rejection or a duplicate receipt), including when a worker is
 * killed with SIGKILL mid-stream and restarted by the primary; readers follow the workers'
 * appends through the append notification (their polling interval is ten minutes here), and
 * SIGTERM stops the workers gracefully before the primary exits.
 */
describe('ingest in two worker processes', () => {
  let db: TestDatabase;
  let config: LedgerConfig;
  let kafka: Kafka;
  let env: Record<string, string>;
  let service: ChildProcess;
  let url: string;
  let logs: LogLine[] = [];
  const keys = testKeyFiles('workers');
  const prefix = `t${randomBytes(3).toString('hex')}.workers`;

  beforeAll(async () => {
    expect(existsSync(SERVICE), 'run `npm run build` first (npm test does)').toBe(true);
    db = await createTestDatabase(inject('databaseUrl'), 'ingest_workers');
    env = {
      DATABASE_URL: db.url,
      KAFKA_BROKERS: inject('kafkaBrokers'),
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      LEDGER_INGEST_WORKERS: '2',
      LEDGER_READER_POLL_INTERVAL_MS: '600000',
      ...ledgerTopicEnvironment(prefix, 4),
      LEDGER_MAX_BATCH_EVENTS: '200',
      // A killed worker's partitions move on after this long: the broker's minimum.
      LEDGER_KAFKA_SESSION_TIMEOUT_MS: '6000',
      LEDGER_DETECTION_ENABLED: 'false',
      LEDGER_CHECKPOINT_INTERVAL_MS: '1000',
      // Reads are then recorded as `anonymous`; no key is needed for /v1/integrity/verify.
      LEDGER_AUTH_DISABLED: 'true',
      LEDGER_SIGNING_KEY_FILE: keys.LEDGER_SIGNING_KEY_FILE,
      LEDGER_VERIFIER_KEYS_FILE: keys.LEDGER_VERIFIER_KEYS_FILE,
    };
    config = loadConfig(env);
    kafka = createKafka({ brokers: config.kafka.brokers, clientId: `${prefix}-test` }, createLogger('warn', 'workers-test'));
    await startService();
  });
  afterAll(async () => {
    if (service && service.exitCode === null) {
      for (const pid of childrenOf(service.pid!)) process.kill(pid, 'SIGKILL');
      service.kill('SIGKILL');
    }
    await db?.drop();
    rmSync(keys.dir, { recursive: true, force: true });
  });

  async function startService(): Promise<void> {
    const lines: LogLine[] = [];
    logs = lines;
    service = spawn(process.execPath, [SERVICE], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    createInterface({ input: service.stdout! }).on('line', (line) => {
      try {
        lines.push(JSON.parse(line) as LogLine);
      } catch {
        // not a log line
      }
    });
    url = await eventually(async () => lines.find((l) => l.msg === 'ledger service listening')?.url, 60_000, 'the service to listen');
    await eventually(async () => ((await ready()).status === 200 ? true : undefined), 90_000, 'both ingest workers to be ready');
  }

  async function ready(): Promise<{ status: number; body: { status: string; checks: Record<string, string> } }> {
    const response = await fetch(`${url}/health/ready`);
    return { status: response.status, body: (await response.json()) as { status: string; checks: Record<string, string> } };
  }

  const consumedSoFar = async () =>
    Number((await db.pool.query('SELECT coalesce(sum(next_offset), 0) AS n FROM ledger_consumer_offsets WHERE group_id = $1', [config.kafka.consumerGroup])).rows[0].n);

  async function publish(count: number, seed: number): Promise<void> {
    const messages = [...streamWorkloadJson({ seed, count })].map((json) => Buffer.from(json));
    await publishMessages(kafka, config.kafka.topics, 4, messages);
  }

  async function waitForAll(): Promise<void> {
    await waitUntilConsumed(kafka, new EventStoreRepository(db.pool), config.kafka.consumerGroup, inputTopics(config), 170_000);
  }

  /** Every message up to the stored offsets is exactly one event, rejection or duplicate receipt; positions are contiguous. */
  async function expectExactlyOnce(): Promise<{ messages: number; events: number }> {
    const messages = await consumedSoFar();
    const { rows } = await db.pool.query<{ n: number; distinct_n: number }>(`
      SELECT count(*)::int AS n, count(DISTINCT (kafka_topic, kafka_partition, kafka_offset))::int AS distinct_n FROM (
        SELECT kafka_topic, kafka_partition, kafka_offset FROM ledger_events WHERE kafka_topic IS NOT NULL
        UNION ALL SELECT kafka_topic, kafka_partition, kafka_offset FROM ledger_rejections WHERE kafka_topic IS NOT NULL
        UNION ALL SELECT kafka_topic, kafka_partition, kafka_offset FROM ledger_duplicate_receipts WHERE kafka_topic IS NOT NULL
      ) consumed`);
    expect(rows[0]).toEqual({ n: messages, distinct_n: messages });
    const events = await db.pool.query<{ n: number; records: number; lo: number | null; hi: number | null; head: number }>(`
      SELECT count(*)::int AS n, count(DISTINCT (origin_system, event_id, content_hash))::int AS records,
             min(position)::int AS lo, max(position)::int AS hi, (SELECT next_position FROM ledger_head)::int AS head
        FROM ledger_events`);
    const { n, records, lo, hi, head } = events.rows[0]!;
    expect(records).toBe(n);
    expect({ lo, hi, head }).toEqual({ lo: 0, hi: n - 1, head: n });
    return { messages, events: n };
  }

  async function projectionsReachHead(): Promise<void> {
    await eventually(
      async () => {
        const head = Number((await db.pool.query('SELECT next_position FROM ledger_head')).rows[0].next_position);
        const { rows } = await db.pool.query<{ reader: string; position: number }>(
          "SELECT reader, position FROM ledger_reader_checkpoints WHERE reader LIKE 'projection:%'",
        );
        return PROJECTIONS.every((p) => rows.some((row) => row.reader === `projection:${p.name}` && Number(row.position) >= head)) ? true : undefined;
      },
      120_000,
      'the projections to reach the head',
    );
  }

  it('consumes in two worker processes, not in the primary, and reports them in its readiness', async () => {
    const workers = childrenOf(service.pid!);
    expect(workers).toHaveLength(2);
    expect((await ready()).body.checks).toEqual({ postgres: 'ok', kafka: 'ok', ingest_workers: 'ok' });
    const admin = kafka.admin();
    await admin.connect();
    try {
      const members = await eventually(
        async () => {
          const { groups } = await admin.describeGroups([config.kafka.consumerGroup]);
          return groups[0]?.state === 'Stable' ? groups[0].members.length : undefined;
        },
        60_000,
        'a stable consumer group',
      );
      expect(members).toBe(2);
    } finally {
      await admin.disconnect();
    }
    for (const pid of workers) expect(logs.some((l) => l.msg === 'ingest worker ready' && l.pid === pid)).toBe(true);
  });

  it('stores every generated record exactly once, and the primary projections follow the workers appends', async () => {
    await publish(3_000, 7101);
    await waitForAll();
    const { messages, events } = await expectExactlyOnce();
    expect(messages).toBe(3_000);
    expect(events).toBeGreaterThanOrEqual(2_900);
    // No API call, detection off, polling every ten minutes: only the workers' notifications wake the readers.
    await projectionsReachHead();
  });

  it('restarts a worker killed with SIGKILL mid-stream; every record is still stored once and the ledger verifies', async () => {
    const before = await consumedSoFar();
    await publish(8_000, 7202);
    const [victim, survivor] = childrenOf(service.pid!);
    await eventually(async () => ((await consumedSoFar()) >= before + 300 ? true : undefined), 120_000, 'ingestion to be under way');
    process.kill(victim!, 'SIGKILL');
    const consumedAtKill = await consumedSoFar();
    expect(consumedAtKill).toBeLessThan(before + 8_000);

    const replacement = await eventually(
      async () => {
        const workers = childrenOf(service.pid!).filter((pid) => alive(pid));
        const fresh = workers.filter((pid) => pid !== survivor);
        return workers.length === 2 && !workers.includes(victim!) && logs.some((l) => l.msg === 'ingest worker ready' && l.pid === fresh[0]) ? fresh[0] : undefined;
      },
      120_000,
      'the killed worker to be replaced by a ready one',
    );
    expect(replacement).not.toBe(victim);
    const exit = logs.find((l) => l.msg === 'ingest worker exited; restarting it' && l.pid === victim);
    expect(exit).toMatchObject({ signal: 'SIGKILL', code: null });
    expect((await ready()).status).toBe(200);

    await waitForAll();
    const { messages } = await expectExactlyOnce();
    expect(messages).toBe(before + 8_000);
    await projectionsReachHead();

    const verify = await fetch(`${url}/v1/integrity/verify`);
    expect(verify.status).toBe(200);
    const report = (await verify.json()) as VerificationReport;
    expect(report.findings).toEqual([]);
    expect(report.ok).toBe(true);

    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toContain('ledger_ingest_worker_restarts_total 1');
    expect(metrics).toContain('ledger_ingest_workers{state="ready"} 2');
    // The workers' ingest counters reach the primary's /metrics (the killed worker's were lost with it).
    const appended = /^ledger_events_appended_total\{channel="kafka"\} (\d+)/m.exec(metrics);
    expect(Number(appended?.[1])).toBeGreaterThan(0);
    expect(metrics.match(/^# TYPE ledger_events_appended_total /gm)).toHaveLength(1);
  });

  it('on SIGTERM stops both workers gracefully, mid-stream, before the primary exits', async () => {
    const before = await consumedSoFar();
    const workers = childrenOf(service.pid!);
    await publish(6_000, 7303);
    await eventually(async () => ((await consumedSoFar()) >= before + 200 ? true : undefined), 120_000, 'ingestion to be under way');
    const exited = new Promise<number | null>((resolveExit) => service.once('exit', (code) => resolveExit(code)));
    service.kill('SIGTERM');
    expect(await exited).toBe(0);
    for (const pid of workers) {
      expect(alive(pid), `worker ${pid} still running`).toBe(false);
      // The worker itself finished (its consumer left the group) rather than being killed.
      expect(logs.some((l) => l.msg === 'ingest worker stopped' && l.name === 'ledger-ingest-worker' && l.pid === pid), `worker ${pid} stopped itself`).toBe(true);
      expect(logs.find((l) => l.msg === 'ingest worker stopped' && l.name !== 'ledger-ingest-worker' && l.pid === pid)).toMatchObject({ code: 0, signal: null });
    }
    expect(logs.some((l) => l.msg === 'ingest worker did not stop in time; killing it')).toBe(false);
    // Whatever was consumed before the stop is stored exactly once.
    await expectExactlyOnce();
  });

  it('leaves no worker behind when the primary is killed with SIGKILL', async () => {
    await startService();
    const workers = childrenOf(service.pid!);
    expect(workers).toHaveLength(2);
    const exited = new Promise((resolveExit) => service.once('exit', resolveExit));
    service.kill('SIGKILL');
    await exited;
    // Cluster workers exit as soon as their channel to the primary closes.
    await eventually(async () => (workers.every((pid) => !alive(pid)) ? true : undefined), 30_000, 'the orphaned workers to exit');
    await expectExactlyOnce();
  });
});
