import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, stratusRecords, syntheticEvent, type TestDatabase } from '#test-support';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = resolve(ROOT, 'dist/apps/ledger-cli/src/main.js');

interface CliRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * `ledger ingest` as an operator runs it, the compiled CLI against a real database: every
 * rejected record is named by file and line, kept in `ledger_rejections`, and turns the exit
 * code to 4, while the good records around it are stored.
 */
describe('ledger ingest (CLI) reports rejections by file and line', () => {
  let db: TestDatabase;
  let folder: string;

  beforeAll(async () => {
    expect(existsSync(CLI), 'run `npm run build` first (npm test does)').toBe(true);
    db = await createTestDatabase(inject('databaseUrl'), 'cli_ingest');
    folder = mkdtempSync(join(tmpdir(), 'ledger-cli-ingest-'));
  });
  afterAll(async () => {
    rmSync(folder, { recursive: true, force: true });
    await db?.drop();
  });

  const cli = async (...args: string[]): Promise<CliRun> =>
    promisify(execFile)(process.execPath, [CLI, ...args], { env: { ...process.env, DATABASE_URL: db.url, LOG_LEVEL: 'error' } })
      .then((r) => ({ exitCode: 0, stdout: r.stdout, stderr: r.stderr }))
      .catch((error: { code: number; stdout: string; stderr: string }) => ({ exitCode: error.code, stdout: error.stdout, stderr: error.stderr }));

  it('stores the good lines of an NDJSON file, names the bad ones by line, exits 4', async () => {
    const good = (n: number) => JSON.stringify(syntheticEvent(9_000 + n));
    const path = join(folder, 'mixed.ndjson');
    // line 1 blank, 2 good, 3 not JSON, 4 good, 5 an event without an id, 6 good
    const missingId = JSON.stringify({ ...syntheticEvent(9_010), id: undefined });
    writeFileSync(path, ['', good(1), '{"broken": ', good(2), missingId, good(3)].join('\n') + '\n');

    const run = await cli('ingest', '--json', path);
    expect(run.exitCode).toBe(4);
    const result = JSON.parse(run.stdout) as { appended: number; rejected: number; messages: number; rejections: Array<Record<string, unknown>> };
    expect(result).toMatchObject({ messages: 5, appended: 3, rejected: 2 });
    expect(result.rejections).toEqual([
      expect.objectContaining({ file: path, line: 3, reason: 'invalid_json' }),
      expect.objectContaining({ file: path, line: 5, reason: 'missing_event_id' }),
    ]);
    const kept = await db.pool.query("SELECT reason FROM ledger_rejections WHERE channel = 'cli' ORDER BY id");
    expect(kept.rows.map((r) => r.reason)).toEqual(['invalid_json', 'missing_event_id']);

    const human = await cli('ingest', path);
    expect(human.exitCode).toBe(4);
    expect(human.stdout).toContain(`${path}:3: invalid_json:`);
    expect(human.stdout).toContain(`${path}:5: missing_event_id:`);
    expect(human.stdout).toMatch(/0 events stored, 3 already stored, 2 rejected/);
  });

  it('exits 0 when every record is stored, and names a delivery file without a line', async () => {
    const [first] = stratusRecords();
    const clean = join(folder, 'delivery.json');
    writeFileSync(clean, JSON.stringify({ Records: [first!.record] }, null, 2));
    const ok = await cli('ingest', '--json', clean);
    expect(ok.exitCode).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ appended: 1, rejected: 0, rejections: [] });

    const broken = join(folder, 'broken-delivery.json');
    writeFileSync(broken, JSON.stringify({ Records: [{ ...first!.record, eventID: 'cli-e2e-2' }, { eventSource: 'iam.amazonaws.com' }] }));
    const run = await cli('ingest', '--json', broken);
    expect(run.exitCode).toBe(4);
    const result = JSON.parse(run.stdout) as { rejections: Array<Record<string, unknown>> };
    expect(result.rejections).toEqual([expect.objectContaining({ file: broken, line: null, record_index: 1, message: expect.stringMatching(/^Records\[1\]/) })]);
  });
});
