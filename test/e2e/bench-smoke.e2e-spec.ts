import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, inject, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const RUNNER = resolve(ROOT, 'dist/bench/run-benchmarks.js');
const run = promisify(execFile);

interface Figures {
  eventsPerSecond: number | null;
}

/**
 * `npm run bench -- --size small` as a smoke test: the compiled runner goes through every
 * scenario against the real Postgres and Kafka and writes its JSON. It checks that figures
 * are produced and consistent, never how fast they are (DESIGN 10 targets are for the
 * medium and large sizes, read by people).
 */
describe('benchmarks at --size small', () => {
  const output = join(tmpdir(), `ledger-bench-smoke-${randomBytes(4).toString('hex')}.json`);
  afterAll(() => rmSync(output, { force: true }));

  it('measures ingest for the raw limit, the ledger and Emmett, and query latency over HTTP and SQL', async () => {
    expect(existsSync(RUNNER), 'run `npm run build` first (npm test does)').toBe(true);
    const server = new URL(inject('databaseUrl'));
    server.pathname = '/postgres';
    const { stdout } = await run(process.execPath, [RUNNER, '--size', 'small', '--runs', '1', '--output', output], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: server.toString(), KAFKA_BROKERS: inject('kafkaBrokers') },
      timeout: 170_000,
      maxBuffer: 32 * 1024 * 1024,
    });
    expect(stdout).toContain('| scenario');

    const result = JSON.parse(readFileSync(output, 'utf8')) as {
      machine: { cores: number };
      versions: Record<string, string>;
      scenarios: Record<string, { status: string; data: Record<string, unknown> }>;
    };
    expect(result.machine.cores).toBeGreaterThan(0);
    expect(result.versions.kafkajs).toMatch(/^\d+\.\d+\.\d+/);

    const ingest = result.scenarios.ingest!;
    expect(ingest.status).toBe('ok');
    for (const contender of ['raw', 'ledger', 'emmett']) {
      const figures = ingest.data[contender] as Figures & { runs: Array<{ stored: number; rejected: number }> };
      expect(figures.eventsPerSecond, contender).toBeGreaterThan(0);
      // Every published event reached each store (the ledger may add events of its own).
      expect(figures.runs[0]!.stored, contender).toBeGreaterThanOrEqual(ingest.data.events as number);
      // The generated events are valid: a benchmark of a path that rejects them would measure the wrong thing.
      expect(figures.runs[0]!.rejected, contender).toBe(0);
    }
    const ratios = ingest.data.ratios as { ledgerToRaw: number; ledgerToEmmett: number };
    expect(ratios.ledgerToRaw).toBeGreaterThan(0);
    expect(ratios.ledgerToEmmett).toBeGreaterThan(0);

    const query = result.scenarios.query!;
    expect(query.status).toBe('ok');
    const http = query.data.http as { p50: number; p99: number };
    const sql = query.data.sql as { p50: number; p99: number };
    for (const figure of [http.p50, http.p99, sql.p50, sql.p99]) expect(figure).toBeGreaterThan(0);
    expect(http.p99).toBeGreaterThanOrEqual(http.p50);
    expect(sql.p99).toBeGreaterThanOrEqual(sql.p50);

    const scaling = result.scenarios.scaling!;
    expect(scaling.status).toBe('ok');
    expect((scaling.data.points as Array<{ events: number }>).map((p) => p.events)).toEqual([2_000, 4_000, 8_000]);

    // Scenarios whose feature is not built yet say so instead of reporting a number.
    for (const name of ['anomalies', 'export-rebuild']) expect(['ok', 'not-available']).toContain(result.scenarios[name]!.status);
  });
});
