import { existsSync, readFileSync } from 'node:fs';
import { InvalidArgumentError } from '#domain';
import { createPool, ensureDatabase, MerkleLogRepository, migrate, type Pool } from '#event-store';
import {
  LedgerIntegrity,
  parseNote,
  parseVerifierKeys,
  publishCheckpoint,
  SigningKeyFiles,
  type KeyWindow,
  type TamperFinding,
  type VerificationReport,
} from '#integrity';
import { printResult, type CliContext } from './cli-context.js';
import { createProgress } from './progress.js';

/** Exit code of `ledger verify` when tampering was found (1 is any other failure, 2 bad configuration). */
export const TAMPERING_EXIT_CODE = 3;

/**
 * `ledger verify`: recomputes the whole log from the database and checks every checkpoint
 * against keys the auditor trusts: --public-key (vkeys, or files of them) or else the
 * keyring file of this installation. Reads only; never creates or migrates anything.
 */
export async function verifyCommand(context: CliContext, options: { publicKey?: string[]; checkpoint?: string[] }): Promise<void> {
  const trusted = options.publicKey?.length ? options.publicKey.flatMap(readPublicKeys) : undefined;
  const heldCheckpoints = options.checkpoint?.map(readHeldCheckpoint);
  await withIntegrity(context, false, async (integrity) => {
    const keys = trusted ?? integrity.keys.trustedKeys();
    if (keys.length === 0) {
      throw new InvalidArgumentError(
        'public-key',
        `no trusted key: pass --public-key VKEY|FILE (the vkey the operator gave you), or set LEDGER_VERIFIER_KEYS_FILE (now ${integrity.keys.verifierKeysFile})`,
      );
    }
    const progress = createProgress(context.interactive, 'verifying', 0);
    let shown = 0;
    let report: VerificationReport;
    try {
      report = await integrity.verify({
        trustedKeys: keys,
        heldCheckpoints,
        onProgress: (read, head) => {
          progress.setTotal(Math.max(head, read));
          progress.increment(read - shown);
          shown = read;
        },
      });
    } finally {
      progress.stop();
    }
    printResult(context, report, () => describeReport(report));
    if (!report.ok) process.exit(TAMPERING_EXIT_CODE);
  });
}

/** `ledger checkpoint`: extends the tree to every committed event and signs a checkpoint now. */
export async function checkpointCommand(context: CliContext): Promise<void> {
  await withIntegrity(context, true, async (integrity) => {
    const checkpoint = publishCheckpoint(await integrity.checkpointer.checkpointNow());
    printResult(context, checkpoint, () => `signed checkpoint: ${checkpoint.tree_size} events, root ${checkpoint.root_hash}, key ${checkpoint.key_id}\n${checkpoint.checkpoint}`.trimEnd());
  });
}

/** `ledger signing-key rotate`: a new signing key from now on; the old one stays verifiable. */
export async function rotateSigningKeyCommand(context: CliContext): Promise<void> {
  await withIntegrity(context, true, async (integrity) => {
    const { retired, current, checkpoint } = await integrity.checkpointer.rotateKey();
    const result = { retired, current, checkpoint: publishCheckpoint(checkpoint), keyring: integrity.keys.verifierKeysFile };
    printResult(context, result, () =>
      [
        `retired   ${retired.vkey}  (valid ${retired.not_before} .. ${retired.not_after})`,
        `current   ${current.vkey}  (valid from ${current.not_before})`,
        `signed checkpoint ${checkpoint.treeSize} with the new key`,
        `give the new vkey to auditors out of band; the keyring ${integrity.keys.verifierKeysFile} lists both`,
      ].join('\n'),
    );
  });
}

/** `ledger signing-key show`: the public keys to hand to auditors (no database needed). */
export async function showSigningKeyCommand(context: CliContext): Promise<void> {
  const { origin, signingKeyFile, verifierKeysFile } = context.config.integrity;
  const files = new SigningKeyFiles({ signingKeyFile, verifierKeysFile, keyName: origin });
  const current = files.load();
  const keys = files.trustedKeys();
  printResult(context, { origin, current: current.vkey, keys, keyring: files.verifierKeysFile }, () =>
    [
      `current signing key (vkey): ${current.vkey}`,
      ...keys.map((k) => `  ${k.vkey}  valid ${k.not_before} .. ${k.not_after ?? 'now'}`),
      `keyring file: ${files.verifierKeysFile}`,
    ].join('\n'),
  );
}

async function withIntegrity(context: CliContext, prepare: boolean, work: (integrity: LedgerIntegrity) => Promise<void>): Promise<void> {
  if (prepare) await ensureDatabase(context.config.databaseUrl);
  const pool: Pool = createPool(context.config.databaseUrl, 2);
  try {
    if (prepare) await migrate(pool);
    await work(new LedgerIntegrity(new MerkleLogRepository(pool), context.config.integrity, context.logger));
  } finally {
    await pool.end();
  }
}

/** A vkey, a file of vkey lines, or a keyring file (the JSON of GET /v1/integrity/keys). */
function readPublicKeys(value: string): KeyWindow[] {
  if (existsSync(value)) return parseVerifierKeys(readFileSync(value, 'utf8'), value);
  return parseVerifierKeys(value, '--public-key');
}

/** A signed checkpoint kept from earlier: the note itself, or the JSON of GET /v1/integrity/checkpoints/... */
function readHeldCheckpoint(file: string): string {
  const text = readFileSync(file, 'utf8');
  let note = text;
  if (text.trimStart().startsWith('{')) {
    let held: unknown;
    try {
      held = (JSON.parse(text) as { checkpoint?: unknown }).checkpoint;
    } catch (error) {
      throw new InvalidArgumentError('checkpoint', `${file}: not JSON: ${(error as Error).message}`);
    }
    if (typeof held !== 'string') throw new InvalidArgumentError('checkpoint', `${file}: expected the JSON of a checkpoint, with its signed note in "checkpoint"`);
    note = held;
  }
  // A file that is not a signed note at all is a mistake in the command, not evidence about
  // the ledger: it must not be reported as tampering (exit 3). A note that parses but whose
  // signature or content does not verify is still judged against the ledger.
  try {
    parseNote(note);
  } catch (error) {
    throw new InvalidArgumentError('checkpoint', `${file}: not a signed checkpoint note: ${(error as Error).message}`);
  }
  return note;
}

export function describeReport(report: VerificationReport): string {
  const lines: string[] = [];
  const count = (n: number) => n.toLocaleString('en-US');
  const { checkpoints } = report;
  if (report.ok) {
    lines.push(
      `OK: ${count(report.events)} events, ${checkpoints.total} checkpoint(s), all valid; events [0, ${count(report.verified_through)}) ` +
        `recompute to the latest signed root (${count(report.events_per_second)} events/s).`,
    );
  } else {
    const first = report.findings[0]!;
    lines.push(
      `TAMPERING FOUND: ${report.first_bad_position === null ? first.kind : `first bad position ${report.first_bad_position} (${report.tampering})`}; ` +
        `${report.findings.length}${report.findings_truncated ? '+' : ''} finding(s):`,
    );
    for (const finding of report.findings) lines.push(`  - ${describeFinding(finding)}`);
    lines.push(`events read: ${count(report.events)}; checkpoints: ${checkpoints.valid} of ${checkpoints.total} valid; proven prefix: [0, ${count(report.verified_through)})`);
  }
  if (report.unverified_tail) {
    lines.push(`events [${count(report.unverified_tail.from)}, ${count(report.unverified_tail.to)}) are newer than the latest checkpoint: checked for internal consistency only.`);
  }
  for (const warning of report.warnings) lines.push(`warning: ${warning}`);
  return lines.join('\n');
}

function describeFinding(finding: TamperFinding): string {
  const where =
    finding.position !== null
      ? ` at ${finding.positions && finding.positions.length > 1 ? `positions ${finding.positions.join(' and ')}` : `position ${finding.position}`}`
      : finding.checkpoint
        ? ` (checkpoint id ${finding.checkpoint.id}, size ${finding.checkpoint.tree_size})`
        : '';
  return `${finding.kind}${where}: ${finding.detail} [${finding.evidence}]`;
}
