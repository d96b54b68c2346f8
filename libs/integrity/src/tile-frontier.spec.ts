import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptyRoot, merkleRoot } from './merkle.js';
import { SubtreeCache } from './subtree-cache.js';
import { TileFrontier } from './tile-frontier.js';

const leaf = (i: number) => createHash('sha256').update(`leaf ${i}`).digest();
const leaves = (n: number, from = 0) => Array.from({ length: n }, (_, i) => leaf(from + i));

describe('TileFrontier', () => {
  it('gives the RFC 9162 root at every size and emits exactly the subtrees SubtreeCache stores', () => {
    for (const tileHeight of [1, 2, 3]) {
      const frontier = new TileFrontier({ tileHeight });
      const cache = new SubtreeCache({ tileHeight });
      const all = leaves(300);
      expect(frontier.root()).toEqual(emptyRoot());
      all.forEach((hash, i) => {
        expect(frontier.append(hash)).toEqual(cache.append(hash));
        expect(frontier.root(), `size ${i + 1}, tile height ${tileHeight}`).toEqual(merkleRoot(all.slice(0, i + 1)));
      });
    }
  });

  it('with the default tile height of 8, over several levels of tiles', () => {
    const all = leaves(70_000);
    const frontier = new TileFrontier();
    const completed = all.flatMap((hash) => [...frontier.append(hash)]);
    expect(frontier.root()).toEqual(merkleRoot(all));
    expect(completed.filter((s) => s.height === 8)).toHaveLength(Math.floor(70_000 / 256));
    expect(completed.filter((s) => s.height === 16)).toEqual([{ height: 16, index: 0, hash: merkleRoot(all.slice(0, 65_536)) }]);
  });

  it('resumes at any size from the stored hashes it names, and continues identically', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 3 }), (size, more, tileHeight) => {
        const all = leaves(size + more);
        const cache = SubtreeCache.fromLeaves(all.slice(0, size), { tileHeight });
        const reads = TileFrontier.resumeReads(size, tileHeight);
        const pending = reads.map((read) =>
          Array.from({ length: read.count }, (_, i) => {
            const start = (read.from + i) * 2 ** read.height;
            return read.height === 0 ? cache.leaf(start) : cache.hashRange(start, start + 2 ** read.height);
          }),
        );
        const resumed = TileFrontier.resume(size, pending, { tileHeight });
        expect(resumed.root()).toEqual(merkleRoot(all.slice(0, size)));
        const continuous = new TileFrontier({ tileHeight });
        all.slice(0, size).forEach((h) => continuous.append(h));
        for (const hash of all.slice(size)) expect(resumed.append(hash)).toEqual(continuous.append(hash));
        expect(resumed.root()).toEqual(merkleRoot(all));
      }),
      { numRuns: 150 },
    );
  });

  it('refuses pending lists that do not fit the size', () => {
    expect(() => TileFrontier.resume(5, [[leaf(0)]], { tileHeight: 2 })).toThrow(/needs/);
    expect(() => TileFrontier.resume(5, [[leaf(0)], []], { tileHeight: 2 })).toThrow(/needs 1 hashes/);
  });

  it('clones independently', () => {
    const frontier = new TileFrontier({ tileHeight: 2 });
    leaves(5).forEach((h) => frontier.append(h));
    const copy = frontier.clone();
    copy.append(leaf(99));
    expect(frontier.size).toBe(5);
    expect(frontier.root()).toEqual(merkleRoot(leaves(5)));
  });
});
