import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '#config';
import { createPool, MerkleLogRepository, prepareEvent, quoteIdentifier, type PoolClient } from '#event-store';
import { generateSigningKey, LedgerIntegrity, signCheckpoint, type VerificationReport } from '#integrity';
import { createLogger } from '#logging';
import { startLedger } from '#service';
import { appendSyntheticEvents, createTestDatabase, syntheticEvent, testKeyFiles, withDatabase } from '#test-support';

/**
 * DESIGN 6 / issue #4 item 5: every form of tampering, done the way a database superuser
 * would (triggers disabled), is detected by both GET /v1/integrity/verify and
 * `ledger verify`, which name the first bad position and the kind; an untouched ledger
 * verifies clean.
 *
 * One ledger is built once (1005 events, checkpoints of 600 and 1000, five newer events),
 * then each case works on its own copy of that database.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = resolve(ROOT, 'dist/apps/ledger-cli/src/main.js');
const ORIGIN = 'ledger.test/tampering';

interface Verdicts {
  api: VerificationReport;
  cli: VerificationReport;
  cliExitCode: number;
}

describe('tampering is detected by the API and the CLI', () => {
  const serverUrl = inject('databaseUrl');
  const keys = testKeyFiles('tampering');
  let template: string;
  let copies = 0;
  const heldCheckpoint = join(keys.dir, 'held-checkpoint.json');

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first (npm test does)`);
    const base = await createTestDatabase(serverUrl, 'tamper_base');
    template = base.name;
    const integrity = new LedgerIntegrity(new MerkleLogRepository(base.pool), {
      origin: ORIGIN,
      signingKeyFile: keys.LEDGER_SIGNING_KEY_FILE,
      verifierKeysFile: keys.LEDGER_VERIFIER_KEYS_FILE,
    });
    await appendSyntheticEvents(base.pool, 0, 600);
    await integrity.checkpointer.checkpointNow();
    await appendSyntheticEvents(base.pool, 600, 400);
    await integrity.checkpointer.checkpointNow();
    await appendSyntheticEvents(base.pool, 1000, 5);
    // What an auditor keeps from an earlier visit: the latest checkpoint, as the API served it.
    const { rows } = await base.pool.query('SELECT note FROM ledger_checkpoints WHERE tree_size = 1000');
    writeFileSync(heldCheckpoint, JSON.stringify({ tree_size: 1000, checkpoint: rows[0].note }));
    // A template database must have no open connections when it is copied.
    await base.pool.end();
  });

  afterAll(async () => {
    if (template) await dropDatabase(serverUrl, template);
  });

  /** Copies the ledger, lets `tamper` work on it as a superuser with triggers off, and verifies it both ways. */
  async function verdicts(tamper: (client: PoolClient) => Promise<void>, cliArgs: string[] = []): Promise<Verdicts> {
    const name = `${template}_c${++copies}`;
    const admin = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${quoteIdentifier(name)} TEMPLATE ${quoteIdentifier(template)}`);
    await admin.end();
    const url = withDatabase(serverUrl, name);
    try {
      const pool = createPool(url, 1);
      const client = await pool.connect();
      try {
        // What a superuser can do: switch off the append-only triggers for the session.
        await client.query('SET session_replication_role = replica');
        await tamper(client);
      } finally {
        client.release();
        await pool.end();
      }
      const env = {
        DATABASE_URL: url,
        LEDGER_LOG_ORIGIN: ORIGIN,
        LEDGER_SIGNING_KEY_FILE: keys.LEDGER_SIGNING_KEY_FILE,
        LEDGER_VERIFIER_KEYS_FILE: keys.LEDGER_VERIFIER_KEYS_FILE,
      };
      // The CLI runs while the service answers: two independent verifications of one copy.
      const cliRun = runCli(['verify', '--json', ...cliArgs], env);
      const ledger = await startLedger(
        loadConfig({ ...env, PORT: '0', HOST: '127.0.0.1', LEDGER_AUTH_DISABLED: 'true', LEDGER_CHECKPOINT_INTERVAL_MS: '0' }),
        createLogger('silent', 'tampering-test'),
        { workers: false },
      );
      let api: VerificationReport;
      try {
        const response = await fetch(`${ledger.url}/v1/integrity/verify`);
        expect(response.status).toBe(200);
        api = (await response.json()) as VerificationReport;
      } finally {
        await ledger.close();
      }
      const cli = await cliRun;
      return { api, cli: JSON.parse(cli.stdout) as VerificationReport, cliExitCode: cli.code };
    } finally {
      await dropDatabase(serverUrl, name);
    }
  }

  /** Both interfaces found tampering, and agree on the first bad position and the kind. */
  function expectDetected(v: Verdicts, expected: { kind: string; position: number | null }) {
    for (const [via, report] of [['api', v.api], ['cli', v.cli]] as const) {
      expect(report.ok, via).toBe(false);
      expect(report.findings[0], `${via}: ${JSON.stringify(report.findings)}`).toMatchObject(expected);
      expect(report.first_bad_position, via).toBe(expected.position);
    }
    expect(v.cliExitCode).toBe(3);
  }

  it('an untouched ledger verifies clean', async () => {
    const v = await verdicts(async () => undefined);
    for (const report of [v.api, v.cli]) {
      expect(report).toMatchObject({ ok: true, findings: [], verified_through: 1000, unverified_tail: { from: 1000 } });
    }
    expect(v.cliExitCode).toBe(0);
  });

  it('an UPDATE of one field of an event', async () => {
    const v = await verdicts(async (db) => {
      await db.query(`UPDATE ledger_events SET document = replace(document, '"action":"iam:ListUsers"', '"action":"iam:DeleteUser"') WHERE position = 500`);
    });
    expectDetected(v, { kind: 'modified', position: 500 });
  });

  it('an UPDATE of one field that also recomputes the stored leaf hash', async () => {
    const v = await verdicts(async (db) => {
      await db.query(`
        UPDATE ledger_events SET document = replace(document, '"outcome":"success"', '"outcome":"failure"'),
                                 leaf_hash = sha256('\\x00'::bytea || convert_to(replace(document, '"outcome":"success"', '"outcome":"failure"'), 'UTF8'))
        WHERE position = 777`);
    });
    expectDetected(v, { kind: 'modified', position: 777 });
    expect(v.api.findings[0]!.evidence).toBe('signed_log');
  });

  it('an UPDATE of a searchable column behind the document', async () => {
    const v = await verdicts(async (db) => {
      await db.query(`UPDATE ledger_events SET actor_subject = 'arn:aws:iam::111122223333:user/mallory' WHERE position = 123`);
    });
    expectDetected(v, { kind: 'column_modified', position: 123 });
    expect(v.api.findings[0]!.detail).toContain('actor_subject');
  });

  it('a DELETE', async () => {
    const v = await verdicts(async (db) => {
      await db.query('DELETE FROM ledger_events WHERE position = 321');
    });
    expectDetected(v, { kind: 'deleted', position: 321 });
  });

  it('a DELETE that closes the gap by moving the later events up', async () => {
    const v = await verdicts(async (db) => {
      // Thorough: the idempotency keys follow, so the ledger keeps accepting appends.
      await db.query('DELETE FROM ledger_events WHERE position = 321');
      await db.query('DELETE FROM ledger_event_keys WHERE position = 321');
      await db.query('UPDATE ledger_events SET position = position - 1 WHERE position > 321');
      await db.query('UPDATE ledger_event_keys SET position = -position + 1 WHERE position > 321');
      await db.query('UPDATE ledger_event_keys SET position = -position WHERE position < 0');
      await db.query('UPDATE ledger_head SET next_position = next_position - 1');
    });
    expectDetected(v, { kind: 'deleted', position: 321 });
  });

  it('an INSERT in the middle, with the later positions shifted', async () => {
    const forged = prepareEvent(syntheticEvent(424_242, { actor: { subject: 'arn:aws:iam::111122223333:user/alibi', principal: 'arn:aws:iam::111122223333:user/alibi', kind: 'human', via: null, attribution: 'direct' } }));
    const v = await verdicts(async (db) => {
      await db.query('UPDATE ledger_events SET position = position + 1 WHERE position >= 500');
      // Through negatives: the unique index on key positions must not collide midway.
      await db.query('UPDATE ledger_event_keys SET position = -position - 1 WHERE position >= 500');
      await db.query('UPDATE ledger_event_keys SET position = -position WHERE position < 0');
      await db.query(`INSERT INTO ledger_event_keys (origin_system, event_id, content_hash, position) VALUES ('aws-cloudtrail', $1, $2, 500)`, [forged.event.id, forged.contentHash]);
      await db.query(
        `INSERT INTO ledger_events (position, time, received_at, event_id, origin_system, category, type, actor_subject, actor_principal,
                                    actor_kind, action, target_id, outcome, source_ip, content_hash, leaf_hash, document)
         VALUES (500, $1, $1, $2, 'aws-cloudtrail', 'activity', 'activity.api_call', $3, $3, 'human', $4, $5, 'success', $6, $7, $8, $9)`,
        [forged.event.time, forged.event.id, forged.event.actor.subject, forged.event.action, forged.event.target!.id, forged.event.source.ip, forged.contentHash, forged.leafHash, forged.document],
      );
      await db.query('UPDATE ledger_head SET next_position = next_position + 1');
    });
    expectDetected(v, { kind: 'inserted', position: 500 });
  });

  it('two rows swapped', async () => {
    const v = await verdicts(async (db) => {
      await db.query('UPDATE ledger_events SET position = CASE position WHEN 400 THEN 700 ELSE 400 END WHERE position IN (400, 700)');
    });
    expectDetected(v, { kind: 'reordered', position: 400 });
    expect(v.api.findings[0]!.positions).toEqual([400, 700]);
  });

  it('a checkpoint edited', async () => {
    const v = await verdicts(async (db) => {
      await db.query(`UPDATE ledger_checkpoints SET note = replace(note, E'\\n1000\\n', E'\\n999\\n') WHERE tree_size = 1000`);
    });
    expectDetected(v, { kind: 'checkpoint_edited', position: null });
    expect(v.api.findings[0]!.checkpoint).toMatchObject({ tree_size: 1000 });
  });

  it('a checkpoint signed with a wrong key', async () => {
    const v = await verdicts(async (db) => {
      const { rows } = await db.query('SELECT root_hash FROM ledger_checkpoints WHERE tree_size = 1000');
      const wrongKey = generateSigningKey(ORIGIN);
      const note = signCheckpoint({ origin: ORIGIN, treeSize: 1000, rootHash: rows[0].root_hash, time: new Date() }, wrongKey);
      await db.query(
        `INSERT INTO ledger_checkpoints (tree_size, root_hash, time, origin, key_name, key_id, note) VALUES (1000, $1, now(), $2, $3, $4, $5)`,
        [rows[0].root_hash, ORIGIN, wrongKey.name, wrongKey.keyId, note],
      );
      // Publishing the wrong key in the database does not make it trusted.
      await db.query(`INSERT INTO ledger_signing_keys (key_id, key_name, vkey, not_before) VALUES ($1, $2, $3, now() - interval '1 day')`, [
        wrongKey.keyId,
        wrongKey.name,
        wrongKey.vkey,
      ]);
    });
    expectDetected(v, { kind: 'checkpoint_unknown_key', position: null });
    expect(v.api.warnings.join('\n')).toContain('not among the trusted keys');
  });

  it('the checkpoints removed along with the change: a checkpoint the auditor kept still catches it', async () => {
    const v = await verdicts(async (db) => {
      await db.query(`
        UPDATE ledger_events SET document = replace(document, '"outcome":"success"', '"outcome":"failure"'),
                                 leaf_hash = sha256('\\x00'::bytea || convert_to(replace(document, '"outcome":"success"', '"outcome":"failure"'), 'UTF8')),
                                 outcome = 'failure'
        WHERE position = 250`);
      await db.query('DELETE FROM ledger_checkpoints');
    }, ['--checkpoint', heldCheckpoint]);
    // The ledger alone no longer proves anything, and says so...
    expect(v.api).toMatchObject({ ok: true, verified_through: 0, checkpoints: { total: 0 } });
    expect(v.api.warnings.join('\n')).toContain('no validly signed checkpoint');
    // ...but it must still match what was signed before.
    expect(v.cliExitCode).toBe(3);
    expect(v.cli.findings[0]).toMatchObject({ kind: 'modified', position: 250, evidence: 'signed_log' });
  });

  it('a file that is not a signed checkpoint is an input error (exit 1), not a tampering verdict (exit 3)', async () => {
    const garbage = join(keys.dir, 'not-a-checkpoint.txt');
    writeFileSync(garbage, 'garbage\n');
    const run = await runCli(['verify', '--json', '--checkpoint', garbage], { DATABASE_URL: withDatabase(serverUrl, template), LEDGER_LOG_ORIGIN: ORIGIN });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ error: { message: expect.stringContaining('not a signed checkpoint note') } });
  });

  it('the CLI trusts only the keys it is given', async () => {
    const stranger = generateSigningKey(ORIGIN).vkey;
    const v = await verdicts(async () => undefined, ['--public-key', stranger]);
    expect(v.api.ok).toBe(true);
    expect(v.cliExitCode).toBe(3);
    expect(v.cli.findings.map((f) => f.kind)).toEqual(['checkpoint_unknown_key', 'checkpoint_unknown_key']);
  });
});

async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

function runCli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolvePromise) => {
    execFile(process.execPath, [CLI, ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolvePromise({ code, stdout, stderr });
    });
  });
}
