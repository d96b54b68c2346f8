import { CheckpointError, SignedNoteError } from './integrity-errors.js';
import { HASH_SIZE, emptyRoot } from './merkle.js';
import { type NoteSignature, type SigningKey, type VerifierKey, parseNote, signNote, verifyNote } from './signed-note.js';
import { decodeBase64 } from './strict-base64.js';

/**
 * Signed checkpoints (tree heads) in the C2SP tlog-checkpoint format
 * (https://c2sp.org/tlog-checkpoint), wrapped in a signed note:
 *
 *     <origin>\n
 *     <tree size, decimal>\n
 *     <base64 root hash>\n
 *     time <RFC 3339 UTC, milliseconds>\n      (our extension line)
 *     \n
 *     — <key name> <base64(key id || Ed25519 signature)>\n
 */

export interface CheckpointInput {
  /** Log identity, e.g. `ledger.example.com/prod`; SHOULD equal the signing key's name. */
  origin: string;
  treeSize: number;
  rootHash: Uint8Array;
  /** When the log signed this tree head. Written with millisecond precision, in UTC. */
  time: Date | string;
  /** Further extension lines, opaque to verifiers. Rarely needed. */
  extensions?: readonly string[];
}

export interface Checkpoint {
  origin: string;
  treeSize: number;
  rootHash: Buffer;
  /** From the `time` extension line; null when the checkpoint has none. */
  time: Date | null;
  /** Extension lines other than `time`, in order. */
  extensions: string[];
  /** The signed text (the note body), including its final newline. */
  body: string;
  signatures: NoteSignature[];
}

export interface VerifiedCheckpoint extends Checkpoint {
  verifiedBy: { name: string; keyId: string };
}

export interface VerifyCheckpointOptions {
  /** Reject checkpoints of any other log. */
  origin?: string;
  /** Reject checkpoints without a `time` line (default true: ours always have one). */
  requireTime?: boolean;
}

const TIME_PREFIX = 'time ';
const TIME_FORMAT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const DECIMAL = /^(?:0|[1-9][0-9]*)$/;

/** The note text (body) of a checkpoint, exactly as it is signed. */
export function formatCheckpointBody(input: CheckpointInput): string {
  const { origin, treeSize, rootHash } = input;
  if (typeof origin !== 'string' || origin.length === 0 || origin.includes('\n')) {
    throw malformed('the origin is a non-empty single line');
  }
  if (!Number.isSafeInteger(treeSize) || treeSize < 0) throw malformed(`tree size ${treeSize} is not a non-negative integer`);
  if (!(rootHash instanceof Uint8Array) || rootHash.length !== HASH_SIZE) throw malformed(`the root hash is ${HASH_SIZE} bytes`);
  const time = typeof input.time === 'string' ? new Date(input.time) : input.time;
  if (!(time instanceof Date) || Number.isNaN(time.getTime())) throw malformed('the checkpoint time is not a valid time');
  const timeText = time.toISOString();
  if (!TIME_FORMAT.test(timeText)) throw malformed('the checkpoint time must be within years 0000-9999');
  const lines = [origin, String(treeSize), Buffer.from(rootHash).toString('base64'), TIME_PREFIX + timeText];
  for (const extension of input.extensions ?? []) {
    if (extension.length === 0 || extension.includes('\n') || extension.startsWith(TIME_PREFIX)) {
      throw malformed('extension lines are non-empty single lines, and only one time line is written');
    }
    lines.push(extension);
  }
  return lines.join('\n') + '\n';
}

/** Formats and signs a checkpoint; returns the signed note text. */
export function signCheckpoint(input: CheckpointInput, key: SigningKey | readonly SigningKey[]): string {
  return asCheckpointError(() => signNote(formatCheckpointBody(input), Array.isArray(key) ? key : [key as SigningKey]));
}

/** Parses a signed checkpoint without verifying its signatures. */
export function parseCheckpoint(text: string): Checkpoint {
  const note = asCheckpointError(() => parseNote(text));
  const lines = note.text.slice(0, -1).split('\n');
  if (lines.length < 3) throw malformed('a checkpoint body has at least three lines: origin, tree size, root hash');
  const [origin, sizeText, rootText, ...rest] = lines;
  if (origin.length === 0) throw malformed('the origin line is empty');
  if (!DECIMAL.test(sizeText)) throw malformed(`the tree size line ${JSON.stringify(sizeText)} is not a decimal number`);
  const treeSize = Number(sizeText);
  if (!Number.isSafeInteger(treeSize)) throw malformed(`the tree size ${sizeText} is too large`);
  const rootHash = asCheckpointError(() => decodeBase64(rootText, 'the root hash line'));
  if (rootHash.length !== HASH_SIZE) throw malformed(`the root hash is ${rootHash.length} bytes, not ${HASH_SIZE}`);
  if (treeSize === 0 && !rootHash.equals(emptyRoot())) throw malformed('a tree of size 0 must have the empty-tree root hash');

  let time: Date | null = null;
  const extensions: string[] = [];
  for (const line of rest) {
    if (line.length === 0) throw malformed('extension lines must be non-empty');
    if (line.startsWith(TIME_PREFIX)) {
      if (time) throw malformed('more than one time line');
      time = parseTime(line.slice(TIME_PREFIX.length));
    } else {
      extensions.push(line);
    }
  }
  return { origin, treeSize, rootHash, time, extensions, body: note.text, signatures: note.signatures };
}

/**
 * Parses and verifies a signed checkpoint against trusted keys (see {@link verifyNote} for
 * the rules). Throws {@link CheckpointError} whose `reason` says what is wrong: `malformed`,
 * `unknown_key`, `bad_signature`, `key_not_valid_at_time`, `missing_time`, `origin_mismatch`.
 */
export function verifyCheckpoint(
  text: string,
  keys: readonly VerifierKey[],
  options: VerifyCheckpointOptions = {},
): VerifiedCheckpoint {
  const checkpoint = parseCheckpoint(text);
  if (options.origin !== undefined && checkpoint.origin !== options.origin) {
    throw new CheckpointError(
      'origin_mismatch',
      `the checkpoint is from log ${JSON.stringify(checkpoint.origin)}, expected ${JSON.stringify(options.origin)}`,
    );
  }
  if ((options.requireTime ?? true) && !checkpoint.time) {
    throw new CheckpointError('missing_time', 'the checkpoint has no time line');
  }
  const verified = asCheckpointError(() => verifyNote(text, keys, { at: checkpoint.time }));
  return { ...checkpoint, verifiedBy: verified.verifiedBy };
}

function parseTime(text: string): Date {
  const time = new Date(text);
  if (!TIME_FORMAT.test(text) || Number.isNaN(time.getTime()) || time.toISOString() !== text) {
    throw malformed(`the time ${JSON.stringify(text)} is not RFC 3339 UTC with milliseconds (YYYY-MM-DDTHH:MM:SS.sssZ)`);
  }
  return time;
}

function asCheckpointError<T>(action: () => T): T {
  try {
    return action();
  } catch (error) {
    if (error instanceof SignedNoteError && !(error instanceof CheckpointError)) {
      throw new CheckpointError(error.reason, error.message, error.details);
    }
    throw error;
  }
}

function malformed(message: string): CheckpointError {
  return new CheckpointError('malformed', message);
}
