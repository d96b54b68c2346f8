import { describe, expect, it } from 'vitest';
import { canonicalBytes } from './canonical-json.js';
import { parseCheckpoint, signCheckpoint, verifyCheckpoint } from './checkpoint.js';
import { ProofFormatError, ProofVerificationError } from './integrity-errors.js';
import { consistencyProof, inclusionProof, leafHash, merkleRoot } from './merkle.js';
import {
  parseInclusionProofJson,
  toConsistencyProofJson,
  toInclusionProofJson,
  verifyConsistencyProofJson,
  verifyInclusionProofJson,
} from './proof-json.js';
import { generateSigningKey, verifierKeyFromVkey } from './signed-note.js';

const ORIGIN = 'ledger.example.com/test';

function failureReason(action: () => unknown): string {
  try {
    action();
    return 'ok';
  } catch (error) {
    return (error as { reason?: string; field?: string }).reason ?? `format:${(error as ProofFormatError).field}`;
  }
}

describe('proof documents', () => {
  const key = generateSigningKey(ORIGIN);
  const keys = [verifierKeyFromVkey(key.vkey)];
  const events = Array.from({ length: 11 }, (_, i) => ({
    id: `evt-${i}`,
    actor: { subject: `okta:user${i}@example.com`, kind: 'human' },
    action: i % 2 ? 'ConsoleLogin' : 'sudo',
    time: `2025-01-01T00:00:${String(i).padStart(2, '0')}.000Z`,
  }));
  const leaves = events.map((event) => leafHash(canonicalBytes(event)));
  const checkpointAt = (size: number, time: string) =>
    signCheckpoint({ origin: ORIGIN, treeSize: size, rootHash: merkleRoot(leaves.slice(0, size)), time }, key);
  const checkpoint = checkpointAt(11, '2025-01-01T01:00:00.000Z');
  const proofFor = (index: number) =>
    toInclusionProofJson({
      leafIndex: index,
      treeSize: 11,
      leafHash: leaves[index],
      hashes: inclusionProof(index, 11, leaves),
      checkpoint,
    });

  it('has the documented shape, lower-case hex, and survives JSON', () => {
    const document = JSON.parse(JSON.stringify(proofFor(6))) as Record<string, unknown>;
    expect(Object.keys(document).sort()).toEqual(['checkpoint', 'hashes', 'leaf_hash', 'leaf_index', 'tree_size']);
    expect(document.leaf_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(parseInclusionProofJson(document).hashes.length).toBe(4);
  });

  it('verifies an event end to end: signature, size, leaf hash, audit path', () => {
    for (let i = 0; i < events.length; i++) {
      const verified = verifyInclusionProofJson(proofFor(i), keys, { origin: ORIGIN, event: events[i] });
      expect(verified.leafIndex).toBe(i);
      expect(verified.checkpoint.treeSize).toBe(11);
    }
  });

  it('says which step fails', () => {
    const good = proofFor(3);
    expect(failureReason(() => verifyInclusionProofJson(good, keys, { event: events[4] }))).toBe('leaf_hash_mismatch');
    expect(failureReason(() => verifyInclusionProofJson(good, keys, { event: { ...events[3], action: 'x' } }))).toBe(
      'leaf_hash_mismatch',
    );
    expect(failureReason(() => verifyInclusionProofJson({ ...good, tree_size: 12 }, keys))).toBe('tree_size_mismatch');
    expect(failureReason(() => verifyInclusionProofJson({ ...good, leaf_index: 4 }, keys))).toBe('root_mismatch');
    expect(failureReason(() => verifyInclusionProofJson({ ...good, hashes: good.hashes.slice(1) }, keys))).toBe(
      'proof_too_short',
    );
    expect(failureReason(() => verifyInclusionProofJson({ ...good, checkpoint: good.checkpoint.replace('\n11\n', '\n12\n') }, keys))).toBe(
      'bad_signature',
    );
    expect(failureReason(() => verifyInclusionProofJson(good, [verifierKeyFromVkey(generateSigningKey(ORIGIN).vkey)]))).toBe(
      'unknown_key',
    );
    expect(failureReason(() => verifyInclusionProofJson({ ...good, leaf_hash: good.leaf_hash.toUpperCase() }, keys))).toBe(
      'format:leaf_hash',
    );
    expect(failureReason(() => verifyInclusionProofJson({ ...good, hashes: [...good.hashes, 'zz'] }, keys))).toBe(
      `format:hashes[${good.hashes.length}]`,
    );
    expect(failureReason(() => verifyInclusionProofJson({ ...good, leaf_index: -1 }, keys))).toBe('format:leaf_index');
    expect(failureReason(() => verifyInclusionProofJson({ ...good, leaf_index: '3' }, keys))).toBe('format:leaf_index');
    expect(failureReason(() => verifyInclusionProofJson([], keys))).toBe('format:');
  });

  it('links two checkpoints with a consistency proof document', () => {
    const older = verifyCheckpoint(checkpointAt(6, '2025-01-01T00:30:00.000Z'), keys);
    const newer = verifyCheckpoint(checkpoint, keys);
    const document = JSON.parse(
      JSON.stringify(toConsistencyProofJson({ firstSize: 6, secondSize: 11, hashes: consistencyProof(6, 11, leaves) })),
    ) as Record<string, unknown>;
    expect(Object.keys(document).sort()).toEqual(['first_size', 'hashes', 'second_size']);
    expect(() => verifyConsistencyProofJson(document, older, newer)).not.toThrow();

    expect(failureReason(() => verifyConsistencyProofJson({ ...document, first_size: 5 }, older, newer))).toBe('tree_size_mismatch');
    // A forked log: same size as the old checkpoint, one event rewritten.
    const forkedLeaves = leaves.slice();
    forkedLeaves[2] = leafHash(canonicalBytes({ ...events[2], action: 'nothing to see' }));
    const forked = parseCheckpoint(
      signCheckpoint({ origin: ORIGIN, treeSize: 11, rootHash: merkleRoot(forkedLeaves), time: '2025-01-01T02:00:00.000Z' }, key),
    );
    const forkProof = toConsistencyProofJson({ firstSize: 6, secondSize: 11, hashes: consistencyProof(6, 11, forkedLeaves) });
    expect(failureReason(() => verifyConsistencyProofJson(forkProof, older, forked))).toBe('first_root_mismatch');
    expect(() => verifyConsistencyProofJson(forkProof, older, forked)).toThrow(ProofVerificationError);
  });
});
