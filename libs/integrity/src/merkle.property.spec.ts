import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MerkleAccumulator,
  consistencyProof,
  inclusionProof,
  merkleRoot,
  verifyConsistency,
  verifyInclusion,
} from './merkle.js';
import { SubtreeCache } from './subtree-cache.js';

/**
 * Tamper evidence as properties: whatever one-leaf change is made to a log (changed,
 * swapped, inserted, deleted), proofs issued for the original never verify against it, and
 * honest proofs from the tampered log never link it to a checkpoint of the original.
 */

type Mutation =
  | { kind: 'change'; at: number; value: Uint8Array }
  | { kind: 'swap'; at: number; with: number }
  | { kind: 'insert'; at: number; value: Uint8Array }
  | { kind: 'delete'; at: number };

const leafArb = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((bytes) => Buffer.from(bytes));
// Distinct leaves: a swap of two equal leaves, or a change to the same value, is no change at all.
const logArb = fc.uniqueArray(leafArb, { minLength: 1, maxLength: 80, selector: (leaf) => leaf.toString('hex') });

const scenarioArb = logArb.chain((leaves) =>
  fc.record({
    leaves: fc.constant(leaves),
    index: fc.nat(leaves.length - 1),
    mutation: fc.oneof(
      fc.record({ kind: fc.constant('change' as const), at: fc.nat(leaves.length - 1), value: leafArb }),
      fc.record({ kind: fc.constant('swap' as const), at: fc.nat(leaves.length - 1), with: fc.nat(leaves.length - 1) }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(leaves.length), value: leafArb }),
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat(leaves.length - 1) }),
    ) as fc.Arbitrary<Mutation>,
  }),
);

function mutate(leaves: readonly Buffer[], mutation: Mutation): Buffer[] | null {
  const out = leaves.slice();
  switch (mutation.kind) {
    case 'change':
      if (Buffer.from(mutation.value).equals(out[mutation.at])) return null;
      out[mutation.at] = Buffer.from(mutation.value);
      return out;
    case 'swap':
      if (mutation.at === mutation.with) return null;
      [out[mutation.at], out[mutation.with]] = [out[mutation.with], out[mutation.at]];
      return out;
    case 'insert':
      out.splice(mutation.at, 0, Buffer.from(mutation.value));
      return out;
    case 'delete':
      if (out.length === 1) return null;
      out.splice(mutation.at, 1);
      return out;
  }
}

/** The lowest index at which the mutation changes the sequence. */
function firstTouched(mutation: Mutation): number {
  return mutation.kind === 'swap' ? Math.min(mutation.at, mutation.with) : mutation.at;
}

describe('tamper evidence (properties)', () => {
  it('an inclusion proof for a log never verifies against the log with one leaf changed, swapped, inserted or deleted', () => {
    fc.assert(
      fc.property(scenarioArb, ({ leaves, index, mutation }) => {
        const tampered = mutate(leaves, mutation);
        fc.pre(tampered !== null);
        const proof = inclusionProof(index, leaves.length, leaves);
        expect(verifyInclusion(leaves[index], index, leaves.length, proof, merkleRoot(leaves))).toBe(true);
        const tamperedRoot = merkleRoot(tampered!);
        expect(verifyInclusion(leaves[index], index, tampered!.length, proof, tamperedRoot)).toBe(false);
        expect(verifyInclusion(leaves[index], index, leaves.length, proof, tamperedRoot)).toBe(false);
      }),
      { numRuns: 400 },
    );
  });

  it('a consistency proof from an earlier checkpoint never verifies against a tampered log', () => {
    fc.assert(
      fc.property(scenarioArb, fc.nat(), ({ leaves, mutation }, seed) => {
        const tampered = mutate(leaves, mutation);
        fc.pre(tampered !== null);
        const n = leaves.length;
        const m = seed % (n + 1);
        const proof = consistencyProof(m, n, leaves);
        const oldRoot = merkleRoot(leaves.slice(0, m));
        expect(verifyConsistency(m, n, oldRoot, merkleRoot(leaves), proof)).toBe(true);
        // The original proof does not link the old checkpoint to the tampered head (except from
        // the empty tree, which every tree extends)...
        expect(verifyConsistency(m, tampered!.length, oldRoot, merkleRoot(tampered!), proof)).toBe(m === 0);
        // ...and when the tampering touched the part the old checkpoint covers, no honest
        // proof computed from the tampered log does either.
        if (m > 0 && firstTouched(mutation) < m && m <= tampered!.length) {
          const forged = consistencyProof(m, tampered!.length, tampered!);
          expect(verifyConsistency(m, tampered!.length, oldRoot, merkleRoot(tampered!), forged)).toBe(false);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('a leaf proven at one index never verifies at another', () => {
    fc.assert(
      fc.property(logArb, fc.nat(), fc.nat(), (leaves, a, b) => {
        const n = leaves.length;
        fc.pre(n > 1 && a % n !== b % n);
        const proof = inclusionProof(a % n, n, leaves);
        expect(verifyInclusion(leaves[a % n], b % n, n, proof, merkleRoot(leaves))).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('any single-bit change to a proof hash makes it fail', () => {
    fc.assert(
      fc.property(logArb, fc.nat(), fc.nat(), fc.nat(255), (leaves, i, which, bit) => {
        const n = leaves.length;
        const proof = inclusionProof(i % n, n, leaves);
        fc.pre(proof.length > 0);
        const altered = proof.map((p) => Buffer.from(p));
        altered[which % proof.length][bit >> 3] ^= 1 << (bit & 7);
        expect(verifyInclusion(leaves[i % n], i % n, n, altered, merkleRoot(leaves))).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

describe('implementations agree (properties)', () => {
  it('accumulator, tiled cache and in-memory leaves give the same roots and proofs', () => {
    fc.assert(
      fc.property(logArb, fc.integer({ min: 1, max: 5 }), fc.nat(), (leaves, tileHeight, seed) => {
        const cache = SubtreeCache.fromLeaves(leaves, { tileHeight });
        const accumulator = new MerkleAccumulator();
        leaves.forEach((leaf) => accumulator.append(leaf));
        const n = leaves.length;
        expect(accumulator.root().equals(merkleRoot(leaves))).toBe(true);
        expect(cache.root().equals(merkleRoot(leaves))).toBe(true);
        const index = seed % n;
        expect(inclusionProof(index, n, cache)).toEqual(inclusionProof(index, n, leaves));
        expect(consistencyProof(index, n, cache)).toEqual(consistencyProof(index, n, Buffer.concat(leaves)));
      }),
      { numRuns: 200 },
    );
  });
});
