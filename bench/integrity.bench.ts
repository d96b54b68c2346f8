import { spawn } from 'node:child_process';
import { isIP } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { LedgerEvent } from '#domain';
import {
  createPool,
  ensureDatabase,
  EventStoreRepository,
  MerkleLogRepository,
  migrate,
  prepareEvent,
  quoteIdentifier,
  recordContentHash,
  type Pool,
  type PreparedEvent,
} from '#event-store';
import { canonicalJson, LedgerIntegrity, type VerificationReport } from '#integrity';
import { normalizeMessage } from '#sources';
import { streamWorkloadJson } from '#workload';

/**
 * Integrity benchmark (issue #4, "Done when"): in one run, on this machine,
 *   (a) loads a ledger of N events (default 1,000,000) into a scratch database with COPY
 *       (rows exactly as appends store them), lets the checkpointer catch up over it (Merkle
 *       log + one signed checkpoint), then times a full verification of it in a child
 *       process whose V8 heap is capped (events/s, peak RSS), and samples proof latency;
 *   (b) measures append throughput of the same events with and without the integrity work:
 *         no-integrity   canonical document only, no leaf hash, no checkpointer
 *         leaf-hash      + SHA-256 leaf hash per event (what prepareEvent does)
 *         full           + the checkpointer extending the tree and signing every second
 *       each on a fresh scratch database, two concurrent appenders (like the ingest consumer).
 *
 *   (c) the CPU cost per event of preparing it for the store with and without the leaf hash
 *       (no database: the part of the integrity cost that does not depend on Postgres).
 *
 *   node dist/bench/integrity.bench.js [--events 1000000] [--append-events 100000] [--keep] [--skip-verify]
 *
 * Prints a table and writes bench/results/integrity-<timestamp>.json.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SERVER_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ORIGIN = 'bench.ledger/integrity';
/** Old-space limit of the verifying process: proves memory stays flat whatever the ledger's size. */
const VERIFY_HEAP_MB = 128;

interface Options {
  events: number;
  appendEvents: number;
  keep: boolean;
  /** Only the append and CPU measurements (b, c): a quick rerun. */
  skipVerify: boolean;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { events: 1_000_000, appendEvents: 100_000, keep: false, skipVerify: false };
  for (let i = 0; i < argv.length; i++) {
    const value = () => {
      const parsed = Number(argv[++i]);
      if (!Number.isSafeInteger(parsed) || parsed <= 0) throw new Error(`${argv[i - 1]} needs a positive integer`);
      return parsed;
    };
    if (argv[i] === '--events') options.events = value();
    else if (argv[i] === '--append-events') options.appendEvents = value();
    else if (argv[i] === '--keep') options.keep = true;
    else if (argv[i] === '--skip-verify') options.skipVerify = true;
    else throw new Error(`unknown option ${argv[i]}`);
  }
  return options;
}

// ---------------------------------------------------------------------------------------
// Events: the generated workload, normalized as ingestion does, repeated with fresh ids.
// ---------------------------------------------------------------------------------------

function sampleEvents(count: number): LedgerEvent[] {
  const events: LedgerEvent[] = [];
  const receivedAt = new Date().toISOString();
  for (const json of streamWorkloadJson({ seed: 20261102, count })) {
    const result = normalizeMessage({ body: Buffer.from(json), headers: {} });
    for (const normalized of result.events) events.push({ ...normalized, received_at: receivedAt, origin: { ...normalized.origin, kafka: null } });
  }
  return events;
}

/** Event n of the benchmark: sample n mod |sample| with an id of its own (and so its own leaf). */
function eventAt(sample: LedgerEvent[], n: number): LedgerEvent {
  const base = sample[n % sample.length]!;
  return { ...base, id: `${base.id}#${n}` };
}

// ---------------------------------------------------------------------------------------

async function scratchDatabase(label: string): Promise<{ url: string; pool: Pool; drop(): Promise<void> }> {
  const name = `ledger_bench_${label}_${randomBytes(3).toString('hex')}`;
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  await ensureDatabase(url.toString());
  const pool = createPool(url.toString(), 4);
  await migrate(pool);
  return {
    url: url.toString(),
    pool,
    async drop() {
      await pool.end().catch(() => undefined);
      const admin = new pg.Client({ connectionString: SERVER_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`);
      await admin.end();
    },
  };
}

function keyFiles(): { signingKeyFile: string; verifierKeysFile: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-bench-keys-'));
  return { dir, signingKeyFile: join(dir, 'signing-key.json'), verifierKeysFile: join(dir, 'verifier-keys.json') };
}

const ZERO_LEAF = Buffer.alloc(32);

/** The ingest path's per-event work without the leaf hash: what the store would do with no Merkle log. */
function prepareWithoutIntegrity(event: LedgerEvent): PreparedEvent {
  const document = canonicalJson(event);
  const documentBytes = Buffer.from(document, 'utf8');
  return { event, document, documentBytes, leafHash: ZERO_LEAF, contentHash: contentHashOf(event), partitionMonth: `${event.time.slice(0, 7)}-01` };
}

/** The idempotency key, as prepareEvent computes it: not integrity work, so both variants pay it. */
function contentHashOf(event: LedgerEvent): Buffer {
  return recordContentHash(event.raw);
}

/** Appends events [from, from + count) with `writers` concurrent appenders; returns events/s. */
async function appendAll(
  pool: Pool,
  sample: LedgerEvent[],
  from: number,
  count: number,
  prepare: (event: LedgerEvent) => PreparedEvent,
  writers = 2,
  batch = 2000,
  onBatch: (done: number) => void = () => undefined,
): Promise<number> {
  const store = new EventStoreRepository(pool);
  let next = from;
  let done = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (next < from + count) {
        const start = next;
        next = Math.min(from + count, next + batch);
        const events: PreparedEvent[] = [];
        for (let n = start; n < next; n++) events.push(prepare(eventAt(sample, n)));
        await store.append({ events });
        done += events.length;
        onBatch(done);
      }
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

/**
 * Loads events [0, count) with COPY, as the append path would have stored them (same
 * columns, prepareEvent's document and hashes, contiguous positions, head advanced): the
 * quick way to a large ledger to verify. Append throughput is measured separately in (b).
 */
async function bulkLoad(pool: Pool, sample: LedgerEvent[], count: number, onProgress: (done: number) => void): Promise<void> {
  for (const month of new Set(sample.map((e) => `${e.time.slice(0, 7)}-01`))) await pool.query('SELECT ledger_ensure_partition($1::date)', [month]);
  const client = await pool.connect();
  const keys: string[] = [];
  try {
    await client.query('BEGIN');
    const events = client.query(
      copyFrom(`COPY ledger_events (position, time, received_at, event_id, origin_system, category, type, actor_subject,
        actor_principal, actor_kind, action, target_id, outcome, source_ip, kafka_topic, kafka_partition, kafka_offset,
        id_collision, content_hash, leaf_hash, document) FROM STDIN`),
    );
    await pipeline(
      Readable.from(
        (function* () {
          for (let start = 0; start < count; start += 1000) {
            const lines: string[] = [];
            for (let n = start; n < Math.min(count, start + 1000); n++) {
              const p = prepareEvent(eventAt(sample, n));
              const e = p.event;
              const ip = e.source.ip && isIP(e.source.ip) ? e.source.ip : null;
              lines.push(
                [n, e.time, e.received_at, e.id, e.origin.system, e.category, e.type, e.actor.subject, e.actor.principal, e.actor.kind, e.action,
                  e.target?.id ?? null, e.outcome, ip, null, null, null, 'f', bytea(p.contentHash), bytea(p.leafHash), p.document]
                  .map(copyText)
                  .join('\t'),
              );
              keys.push([e.origin.system, e.id, bytea(p.contentHash), n].map(copyText).join('\t'));
            }
            onProgress(Math.min(count, start + 1000));
            yield `${lines.join('\n')}\n`;
          }
        })(),
      ),
      events,
    );
    const keyStream = client.query(copyFrom('COPY ledger_event_keys (origin_system, event_id, content_hash, position) FROM STDIN'));
    await pipeline(
      Readable.from(
        (function* () {
          for (let i = 0; i < keys.length; i += 10_000) yield `${keys.slice(i, i + 10_000).join('\n')}\n`;
        })(),
      ),
      keyStream,
    );
    await client.query('UPDATE ledger_head SET next_position = $1', [count]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** bytea input text (one backslash: COPY's escaping doubles it). */
function bytea(value: Buffer): string {
  return `\\x${value.toString('hex')}`;
}

/** A value in COPY's text format: \N for null, backslash, tab and line breaks escaped. */
function copyText(value: string | number | null): string {
  if (value === null) return '\\N';
  const text = String(value);
  return /[\\\t\n\r]/.test(text) ? text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : text;
}

// ---------------------------------------------------------------------------------------

interface VerifyRun {
  report: VerificationReport;
  seconds: number;
  peakRssBytes: number;
}

/** Child-process mode: one verification, its own peak RSS, as JSON on stdout. */
async function verifyChild(url: string, signingKeyFile: string, verifierKeysFile: string): Promise<void> {
  const pool = createPool(url, 2);
  const integrity = new LedgerIntegrity(new MerkleLogRepository(pool), { origin: ORIGIN, signingKeyFile, verifierKeysFile });
  const started = performance.now();
  const report = await integrity.verify();
  const seconds = (performance.now() - started) / 1000;
  await pool.end();
  const result: VerifyRun = { report, seconds, peakRssBytes: process.resourceUsage().maxRSS * 1024 };
  process.stdout.write(JSON.stringify(result));
}

function runVerifyChild(url: string, keys: { signingKeyFile: string; verifierKeysFile: string }): Promise<VerifyRun> {
  return new Promise((resolvePromise, reject) => {
    // A capped V8 heap: a verification whose memory grew with the ledger would fail here.
    const child = spawn(process.execPath, [`--max-old-space-size=${VERIFY_HEAP_MB}`, fileURLToPath(import.meta.url), '--verify-child', url, keys.signingKeyFile, keys.verifierKeysFile], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code) => (code === 0 ? resolvePromise(JSON.parse(out) as VerifyRun) : reject(new Error(`verify child exited with ${code}`))));
  });
}

/** Bytes of these tables with their indexes and TOAST (a partitioned table counts its partitions). */
async function tableBytes(pool: Pool, tables: string[]): Promise<number> {
  const { rows } = await pool.query<{ bytes: string }>(
    `SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) AS bytes FROM pg_class c
     WHERE c.relkind = 'r' AND (c.relname = ANY($1) OR c.oid IN (
       SELECT inhrelid FROM pg_inherits WHERE inhparent = ANY(SELECT oid FROM pg_class WHERE relname = ANY($1))))`,
    [tables],
  );
  return Number(rows[0]!.bytes);
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const say = (line = '') => process.stderr.write(`${line}\n`);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function measureVerification(options: Options, sample: LedgerEvent[]): Promise<Record<string, unknown>> {
  const big = await scratchDatabase('verify');
  const bigKeys = keyFiles();
  let a: Record<string, unknown>;
  try {
    const buildStarted = performance.now();
    let lastShown = 0;
    await bulkLoad(big.pool, sample, options.events, (done) => {
      if (done - lastShown >= 100_000) {
        say(`  loaded ${fmt(done)} events`);
        lastShown = done;
      }
    });
    const buildSeconds = (performance.now() - buildStarted) / 1000;
    const buildRate = options.events / buildSeconds;
    // Statistics, as autovacuum would have gathered them on a ledger that grew over time.
    await big.pool.query('ANALYZE');
    const integrity = new LedgerIntegrity(new MerkleLogRepository(big.pool), { origin: ORIGIN, ...bigKeys });
    const treeStarted = performance.now();
    const checkpoint = await integrity.checkpointer.checkpointNow();
    const treeSeconds = (performance.now() - treeStarted) / 1000;
    say(`  loaded (COPY) in ${buildSeconds.toFixed(1)} s (${fmt(buildRate)} events/s); Merkle log + checkpoint of ${fmt(checkpoint.treeSize)} in ${treeSeconds.toFixed(1)} s`);

    const verify = await runVerifyChild(big.url, bigKeys);
    if (!verify.report.ok) throw new Error(`the benchmark ledger did not verify clean: ${JSON.stringify(verify.report.findings)}`);
    say(`  verified in ${verify.seconds.toFixed(1)} s: ${fmt(verify.report.events / verify.seconds)} events/s, peak RSS ${mb(verify.peakRssBytes)}`);

    const proofs = 500;
    const proofStarted = performance.now();
    for (let i = 0; i < proofs; i++) {
      const n = Math.floor(Math.random() * options.events);
      await integrity.proofs.inclusionProof(eventAt(sample, n).id);
    }
    const proofMs = (performance.now() - proofStarted) / proofs;
    const eventBytes = await tableBytes(big.pool, ['ledger_events', 'ledger_event_keys']);
    const merkleBytes = await tableBytes(big.pool, ['ledger_merkle_leaves', 'ledger_merkle_subtrees', 'ledger_checkpoints']);
    a = {
      events: verify.report.events,
      build_seconds: buildSeconds,
      build_events_per_second: buildRate,
      merkle_log_seconds: treeSeconds,
      merkle_log_leaves_per_second: checkpoint.treeSize / treeSeconds,
      verify_seconds: verify.seconds,
      verify_events_per_second: verify.report.events / verify.seconds,
      verify_peak_rss_bytes: verify.peakRssBytes,
      inclusion_proof_ms: proofMs,
      event_store_bytes: eventBytes,
      merkle_store_bytes: merkleBytes,
    };
  } finally {
    if (!options.keep) await big.drop();
    else say(`kept ${big.url}`);
    rmSync(bigKeys.dir, { recursive: true, force: true });
  }
  return a;
}

/** Microseconds per event for the store's preparation of an event, without and with the leaf hash. */
function measurePrepareCost(sample: LedgerEvent[]): { withoutLeafHashMicros: number; withLeafHashMicros: number } {
  const passes = 5;
  const time = (prepare: (e: LedgerEvent) => PreparedEvent) => {
    for (const event of sample.slice(0, 2000)) prepare(event);
    const started = performance.now();
    for (let pass = 0; pass < passes; pass++) for (const event of sample) prepare(event);
    return ((performance.now() - started) * 1000) / (passes * sample.length);
  };
  const results = { withoutLeafHashMicros: Infinity, withLeafHashMicros: Infinity };
  for (let round = 0; round < 3; round++) {
    results.withoutLeafHashMicros = Math.min(results.withoutLeafHashMicros, time(prepareWithoutIntegrity));
    results.withLeafHashMicros = Math.min(results.withLeafHashMicros, time(prepareEvent));
  }
  return results;
}

async function main(): Promise<void> {
  if (process.argv[2] === '--verify-child') {
    await verifyChild(process.argv[3]!, process.argv[4]!, process.argv[5]!);
    return;
  }
  const options = parseOptions(process.argv.slice(2));
  say(`integrity benchmark: ${fmt(options.events)}-event ledger to verify; ${fmt(options.appendEvents)} events per append run`);
  const sample = sampleEvents(20_000);
  const meanDocument = sample.reduce((sum, e) => sum + Buffer.byteLength(canonicalJson(e)), 0) / sample.length;
  say(`sample: ${sample.length} normalized workload events, mean canonical document ${fmt(meanDocument)} bytes`);

  // (c) CPU only: what integrity adds to preparing each event.
  const cpu = measurePrepareCost(sample);
  say(`  prepare per event: ${cpu.withoutLeafHashMicros.toFixed(1)} us without the leaf hash, ${cpu.withLeafHashMicros.toFixed(1)} us with it`);

  // (a) a large ledger: build, checkpoint, verify, prove.
  let a: Record<string, unknown> | null = null;
  if (!options.skipVerify) a = await measureVerification(options, sample);

  // (b) append throughput with and without the integrity work, same events, same run.
  const variants: Array<{ name: string; prepare: (e: LedgerEvent) => PreparedEvent; checkpointer: boolean }> = [
    { name: 'no-integrity', prepare: prepareWithoutIntegrity, checkpointer: false },
    { name: 'leaf-hash', prepare: prepareEvent, checkpointer: false },
    { name: 'full', prepare: prepareEvent, checkpointer: true },
  ];
  // Rounds interleave the variants, each round in another order (a Latin square), so that
  // a slow spell of this shared machine does not always hit the same variant.
  const rounds = 3;
  const rates = new Map<string, number[]>(variants.map((v) => [v.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const variant of [...variants.slice(round), ...variants.slice(0, round)]) {
      const db = await scratchDatabase(variant.name.replace('-', '_'));
      const keys = keyFiles();
      let stop = false;
      let checkpoints = 0;
      let worker: Promise<void> = Promise.resolve();
      try {
        if (variant.checkpointer) {
          const integrity = new LedgerIntegrity(new MerkleLogRepository(db.pool), { origin: ORIGIN, ...keys });
          worker = (async () => {
            while (!stop) {
              const { checkpoint } = await integrity.checkpointer.pass('periodic');
              if (checkpoint) checkpoints++;
              await new Promise((r) => setTimeout(r, 1000));
            }
          })();
        }
        const rate = await appendAll(db.pool, sample, 0, options.appendEvents, variant.prepare);
        rates.get(variant.name)!.push(rate);
        say(`  round ${round + 1} ${variant.name.padEnd(13)} ${fmt(rate)} events/s${variant.checkpointer ? ` (${checkpoints} checkpoints meanwhile)` : ''}`);
      } finally {
        stop = true;
        await worker;
        await db.drop();
        rmSync(keys.dir, { recursive: true, force: true });
      }
    }
  }
  const best = (name: string) => median(rates.get(name)!);
  const b = Object.fromEntries(variants.map((v) => [v.name, { runs: rates.get(v.name), median_events_per_second: best(v.name) }]));
  const costLeaf = 1 - best('leaf-hash') / best('no-integrity');
  const costFull = 1 - best('full') / best('no-integrity');

  const table = [
    ['measure', 'value'],
    ...(a
      ? [
          ['ledger verified', `${fmt(a.events as number)} events`],
          ['verify time', `${(a.verify_seconds as number).toFixed(1)} s`],
          ['verify speed', `${fmt(a.verify_events_per_second as number)} events/s`],
          [`verify peak RSS (V8 old space capped at ${VERIFY_HEAP_MB} MB)`, mb(a.verify_peak_rss_bytes as number)],
          ['Merkle log build (checkpointer catch-up)', `${fmt(a.merkle_log_leaves_per_second as number)} leaves/s`],
          [`inclusion proof (${fmt(a.events as number)}-leaf tree)`, `${(a.inclusion_proof_ms as number).toFixed(2)} ms`],
          ['Merkle store size / event store size', `${mb(a.merkle_store_bytes as number)} / ${mb(a.event_store_bytes as number)}`],
        ]
      : []),
    ['prepare an event, without / with leaf hash (CPU)', `${cpu.withoutLeafHashMicros.toFixed(1)} / ${cpu.withLeafHashMicros.toFixed(1)} us (${(((cpu.withLeafHashMicros - cpu.withoutLeafHashMicros) / cpu.withoutLeafHashMicros) * 100).toFixed(1)}% more)`],
    ['append, no integrity (median of 3)', `${fmt(best('no-integrity'))} events/s`],
    ['append, + leaf hash', `${fmt(best('leaf-hash'))} events/s (${(costLeaf * 100).toFixed(1)}% cost)`],
    ['append, + leaf hash + checkpointer (1 s)', `${fmt(best('full'))} events/s (${(costFull * 100).toFixed(1)}% cost)`],
  ];
  const width = Math.max(...table.map((row) => row[0]!.length));
  process.stdout.write(`\n${table.map(([k, v]) => `${k!.padEnd(width)}  ${v}`).join('\n')}\n`);

  const resultsDir = join(ROOT, 'bench/results');
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `integrity-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ benchmark: 'integrity', at: new Date().toISOString(), machine: { cpus: cpus().length, node: process.version }, options, mean_document_bytes: meanDocument, verify: a, prepare_cpu: cpu, append: b, integrity_cost: { leaf_hash: costLeaf, full: costFull } }, null, 2)}\n`,
  );
  say(`\nwrote ${file}`);
}

main().catch((error) => {
  process.stderr.write(`integrity benchmark failed: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
