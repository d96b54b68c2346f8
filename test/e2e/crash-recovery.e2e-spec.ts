import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createLogger } from '#logging';
import { createKafka, createProducer, ensureTopics } from '#messaging';
import { createTestDatabase, ledgerTopicEnvironment, stratusRecords, type TestDatabase } from '#test-support';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SERVICE = resolve(ROOT, 'dist/apps/ledger-service/src/main.js');
const MESSAGES = 12_000;
const KILLS = 5;

/**
 * At-least-once into an idempotent append, proven with a real process: the compiled service
 * is killed with SIGKILL mid-stream again and again, and the ledger still ends up with every
 * message exactly once and a contiguous order.
 */
describe('ingest worker killed with SIGKILL mid-stream', () => {
  let db: TestDatabase;
  const prefix = `t${randomBytes(3).toString('hex')}.crash`;
  const topic = `${prefix}.activity`;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    expect(existsSync(SERVICE), 'run `npm run build` first (npm test does)').toBe(true);
    db = await createTestDatabase(inject('databaseUrl'), 'crash');
  });
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await db?.drop();
  });

  function startService(): ChildProcess {
    const child = spawn(process.execPath, [SERVICE], {
      env: {
        ...process.env,
        DATABASE_URL: db.url,
        KAFKA_BROKERS: inject('kafkaBrokers'),
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        ...ledgerTopicEnvironment(prefix, 3),
        LEDGER_TOPIC_ACTIVITY: topic,
        LEDGER_MAX_BATCH_EVENTS: '300',
        // A killed worker's partitions are handed on after this long; the broker's minimum.
        LEDGER_KAFKA_SESSION_TIMEOUT_MS: '6000',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(child);
    return child;
  }

  const stored = async () => Number((await db.pool.query('SELECT count(*) AS n FROM ledger_events')).rows[0].n);

  it('loses nothing and duplicates nothing', async () => {
    const logger = createLogger('warn', 'crash-test');
    const kafka = createKafka({ brokers: [inject('kafkaBrokers')], clientId: `${prefix}-producer` }, logger);
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, [topic], 3);
    await admin.disconnect();
    const template = stratusRecords()[0]!.record;
    const producer = createProducer(kafka);
    await producer.connect();
    for (let start = 0; start < MESSAGES; start += 1000) {
      await producer.send({
        topic,
        messages: Array.from({ length: 1000 }, (_, i) => ({
          key: String((start + i) % 17),
          value: JSON.stringify({ ...template, eventID: `crash-${start + i}` }),
        })),
      });
    }
    await producer.disconnect();

    let kills = 0;
    let lastCount = -1;
    while (kills < KILLS) {
      const child = startService();
      // Kill it once it has made progress since the previous kill (or after a while anyway).
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline && (await stored()) <= lastCount + 200) await sleep(50);
      await sleep(Math.floor(Math.random() * 300));
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      kills++;
      lastCount = await stored();
      if (lastCount >= MESSAGES) break;
    }
    expect(kills).toBeGreaterThanOrEqual(2);

    const survivor = startService();
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline && (await stored()) < MESSAGES) await sleep(200);
    survivor.kill('SIGTERM');
    await new Promise((resolve) => survivor.once('exit', resolve));

    const { rows } = await db.pool.query(
      'SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS ids, min(position)::int AS lo, max(position)::int AS hi FROM ledger_events',
    );
    expect(rows[0]).toEqual({ n: MESSAGES, ids: MESSAGES, lo: 0, hi: MESSAGES - 1 });
    const rejected = await db.pool.query('SELECT count(*)::int AS n FROM ledger_rejections');
    expect(rejected.rows[0].n).toBe(0);
    // Redelivered messages are skipped by the stored offsets, not even counted as re-receipts.
    const receipts = await db.pool.query('SELECT count(*)::int AS n FROM ledger_duplicate_receipts');
    expect(receipts.rows[0].n).toBe(0);
  });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
