import { canonicalBytes } from './canonical-json.js';
import { type VerifiedCheckpoint, type VerifyCheckpointOptions, type Checkpoint, verifyCheckpoint } from './checkpoint.js';
import { ProofFormatError, ProofVerificationError } from './integrity-errors.js';
import { assertConsistency, assertInclusion, leafHash } from './merkle.js';
import type { VerifierKey } from './signed-note.js';

/**
 * The exchange forms of proofs (docs/integrity.md, "Proof formats"): what the API returns and
 * what an audit bundle contains. Hashes are lower-case hex; sizes and indexes JSON integers.
 * Unknown fields are ignored so that later versions can add some.
 */

export interface InclusionProofJson {
  leaf_index: number;
  tree_size: number;
  leaf_hash: string;
  /** The audit path, deepest node first. */
  hashes: string[];
  /** The signed checkpoint (note text) whose root the path leads to. */
  checkpoint: string;
}

export interface ConsistencyProofJson {
  first_size: number;
  second_size: number;
  hashes: string[];
}

export interface InclusionProof {
  leafIndex: number;
  treeSize: number;
  leafHash: Buffer;
  hashes: Buffer[];
  checkpoint: string;
}

export interface ConsistencyProof {
  firstSize: number;
  secondSize: number;
  hashes: Buffer[];
}

export function toInclusionProofJson(proof: {
  leafIndex: number;
  treeSize: number;
  leafHash: Uint8Array;
  hashes: readonly Uint8Array[];
  checkpoint: string;
}): InclusionProofJson {
  return {
    leaf_index: proof.leafIndex,
    tree_size: proof.treeSize,
    leaf_hash: hex(proof.leafHash),
    hashes: proof.hashes.map(hex),
    checkpoint: proof.checkpoint,
  };
}

export function toConsistencyProofJson(proof: {
  firstSize: number;
  secondSize: number;
  hashes: readonly Uint8Array[];
}): ConsistencyProofJson {
  return { first_size: proof.firstSize, second_size: proof.secondSize, hashes: proof.hashes.map(hex) };
}

/** Validates the shape of an inclusion proof document; does not verify it. */
export function parseInclusionProofJson(value: unknown): InclusionProof {
  const object = asObject(value, 'inclusion proof');
  if (typeof object.checkpoint !== 'string') throw new ProofFormatError('checkpoint', 'checkpoint must be the signed note text');
  return {
    leafIndex: integer(object.leaf_index, 'leaf_index'),
    treeSize: integer(object.tree_size, 'tree_size'),
    leafHash: hash(object.leaf_hash, 'leaf_hash'),
    hashes: hashList(object.hashes),
    checkpoint: object.checkpoint,
  };
}

export function parseConsistencyProofJson(value: unknown): ConsistencyProof {
  const object = asObject(value, 'consistency proof');
  return {
    firstSize: integer(object.first_size, 'first_size'),
    secondSize: integer(object.second_size, 'second_size'),
    hashes: hashList(object.hashes),
  };
}

export interface VerifiedInclusion {
  leafIndex: number;
  leafHash: Buffer;
  checkpoint: VerifiedCheckpoint;
}

/**
 * Verifies an inclusion proof document end to end: the checkpoint's signature, that the proof
 * is for the checkpoint's tree size, that `event` (when given) hashes to the leaf hash, and
 * the audit path up to the checkpoint's root. Throws a typed error naming the failed step.
 */
export function verifyInclusionProofJson(
  value: unknown,
  keys: readonly VerifierKey[],
  options: VerifyCheckpointOptions & { event?: unknown } = {},
): VerifiedInclusion {
  const proof = parseInclusionProofJson(value);
  const checkpoint = verifyCheckpoint(proof.checkpoint, keys, options);
  if (proof.treeSize !== checkpoint.treeSize) {
    throw new ProofVerificationError(
      'tree_size_mismatch',
      `the proof is for a tree of ${proof.treeSize} leaves but the checkpoint is for ${checkpoint.treeSize}`,
    );
  }
  if ('event' in options) {
    const expected = leafHash(canonicalBytes(options.event));
    if (!expected.equals(proof.leafHash)) {
      throw new ProofVerificationError(
        'leaf_hash_mismatch',
        `the event hashes to leaf ${expected.toString('hex')}, the proof is about ${proof.leafHash.toString('hex')}`,
      );
    }
  }
  assertInclusion(proof.leafHash, proof.leafIndex, proof.treeSize, proof.hashes, checkpoint.rootHash);
  return { leafIndex: proof.leafIndex, leafHash: proof.leafHash, checkpoint };
}

/**
 * Verifies that `second` extends `first` (both already signature-checked) with a consistency
 * proof document. Throws a typed error naming the failed step.
 */
export function verifyConsistencyProofJson(value: unknown, first: Checkpoint, second: Checkpoint): void {
  const proof = parseConsistencyProofJson(value);
  if (first.origin !== second.origin) {
    throw new ProofVerificationError('invalid_arguments', `checkpoints of different logs: ${first.origin} and ${second.origin}`);
  }
  if (proof.firstSize !== first.treeSize || proof.secondSize !== second.treeSize) {
    throw new ProofVerificationError(
      'tree_size_mismatch',
      `the proof links sizes ${proof.firstSize} -> ${proof.secondSize}, the checkpoints are ${first.treeSize} and ${second.treeSize}`,
    );
  }
  assertConsistency(proof.firstSize, proof.secondSize, first.rootHash, second.rootHash, proof.hashes);
}

const HEX_HASH = /^[0-9a-f]{64}$/;

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

function asObject(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ProofFormatError('', `${what} must be a JSON object`);
  return value as Record<string, unknown>;
}

function integer(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new ProofFormatError(field, `${field} must be a non-negative integer`);
  }
  return value;
}

function hash(value: unknown, field: string): Buffer {
  if (typeof value !== 'string' || !HEX_HASH.test(value)) {
    throw new ProofFormatError(field, `${field} must be 64 lower-case hex digits`);
  }
  return Buffer.from(value, 'hex');
}

function hashList(value: unknown): Buffer[] {
  if (!Array.isArray(value)) throw new ProofFormatError('hashes', 'hashes must be an array of hex hashes');
  return value.map((item, i) => hash(item, `hashes[${i}]`));
}
