import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ProofVerificationError } from './integrity-errors.js';
import {
  type AsyncSubtreeHashSource,
  LeafHashArraySource,
  MerkleAccumulator,
  assertConsistency,
  assertInclusion,
  consistencyProof,
  consistencyProofAsync,
  consistencyProofRanges,
  emptyRoot,
  firstDifferingLeaf,
  inclusionProof,
  inclusionProofAsync,
  inclusionProofRanges,
  leafHash,
  merkleRoot,
  nodeHash,
  peakRanges,
  rootFromInclusionProof,
  rootFromSource,
  verifyConsistency,
  verifyInclusion,
} from './merkle.js';
import { SubtreeCache, subtreeReadPlan } from './subtree-cache.js';

// ---------------------------------------------------------------------------------------
// A naive reference written straight from RFC 9162 2.1.1, 2.1.3.1 and 2.1.4.1: recursion on
// slices of the leaf data, its own hashing, no code shared with the implementation.
// ---------------------------------------------------------------------------------------

const refHash = (...parts: Uint8Array[]): Buffer => {
  const h = createHash('sha256');
  for (const part of parts) h.update(part);
  return h.digest();
};
const refLeaf = (data: Buffer) => refHash(Buffer.from([0x00]), data);
const refNode = (l: Buffer, r: Buffer) => refHash(Buffer.from([0x01]), l, r);
const split = (n: number) => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};
function MTH(d: Buffer[]): Buffer {
  if (d.length === 0) return refHash();
  if (d.length === 1) return refLeaf(d[0]);
  const k = split(d.length);
  return refNode(MTH(d.slice(0, k)), MTH(d.slice(k)));
}
function PATH(m: number, d: Buffer[]): Buffer[] {
  if (d.length === 1) return [];
  const k = split(d.length);
  return m < k ? [...PATH(m, d.slice(0, k)), MTH(d.slice(k))] : [...PATH(m - k, d.slice(k)), MTH(d.slice(0, k))];
}
function PROOF(m: number, d: Buffer[]): Buffer[] {
  return SUBPROOF(m, d, true);
}
function SUBPROOF(m: number, d: Buffer[], b: boolean): Buffer[] {
  const n = d.length;
  if (m === n) return b ? [] : [MTH(d)];
  const k = split(n);
  return m <= k
    ? [...SUBPROOF(m, d.slice(0, k), b), MTH(d.slice(k))]
    : [...SUBPROOF(m - k, d.slice(k), false), MTH(d.slice(0, k))];
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const unhex = (s: string) => Buffer.from(s, 'hex');
const flipBit = (b: Uint8Array, bit = 0) => {
  const copy = Buffer.from(b);
  copy[bit >> 3] ^= 1 << (bit & 7);
  return copy;
};

// RFC 6962 test data used by certificate-transparency, Trillian and transparency-dev/merkle.
const RFC6962_LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(unhex);
const RFC6962_ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const EMPTY = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

describe('RFC 6962 test vectors', () => {
  const hashes = RFC6962_LEAVES.map(leafHash);

  it('hashes leaves and nodes with the 0x00 / 0x01 prefixes', () => {
    expect(hex(leafHash(Buffer.alloc(0)))).toBe('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
    expect(hex(leafHash(unhex('101112131415161718191a1b1c1d1e1f')))).toBe(
      '3bfb960453ebaebf33727da7a1f4db38acc051d381b6da20d6d4e88f0eabfd7a',
    );
    expect(
      hex(
        nodeHash(
          unhex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f'),
          unhex('202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f'),
        ),
      ),
    ).toBe('1a378704c17da31e2d05b6d121c2bb2c7d76f6ee6fa8f983e596c2d034963c57');
  });

  it('has the known roots for sizes 0..8, agreeing with the naive reference', () => {
    expect(hex(merkleRoot([]))).toBe(EMPTY);
    expect(hex(emptyRoot())).toBe(EMPTY);
    for (let n = 1; n <= 8; n++) {
      expect(hex(merkleRoot(hashes.slice(0, n))), `size ${n}`).toBe(RFC6962_ROOTS[n - 1]);
      expect(hex(MTH(RFC6962_LEAVES.slice(0, n))), `reference, size ${n}`).toBe(RFC6962_ROOTS[n - 1]);
    }
    expect(hex(merkleRoot(hashes))).toBe('5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328');
  });

  it('produces the published inclusion proofs in the 8-leaf tree', () => {
    expect(inclusionProof(0, 8, hashes).map(hex)).toEqual([
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ]);
    expect(inclusionProof(5, 8, hashes).map(hex)).toEqual([
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ]);
  });

  it('produces and verifies the published consistency proofs', () => {
    const vectors: [number, number, string[]][] = [
      [1, 1, []],
      [
        1,
        8,
        [
          '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
          '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
          '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
        ],
      ],
      [
        6,
        8,
        [
          '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
          'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
          'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
        ],
      ],
      [
        2,
        5,
        [
          '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
          'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
        ],
      ],
    ];
    for (const [m, n, proof] of vectors) {
      expect(consistencyProof(m, n, hashes).map(hex), `${m} -> ${n}`).toEqual(proof);
      const root1 = unhex(RFC6962_ROOTS[m - 1]);
      const root2 = unhex(RFC6962_ROOTS[n - 1]);
      expect(verifyConsistency(m, n, root1, root2, proof.map(unhex)), `${m} -> ${n}`).toBe(true);
    }
  });

  it('rejects the published bad consistency cases', () => {
    const proof = ['0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'].map(unhex);
    const root6 = unhex(RFC6962_ROOTS[5]);
    const root8 = unhex(RFC6962_ROOTS[7]);
    expect(() => assertConsistency(6, 8, root6, root8, proof.slice(0, 2))).toThrow(/too short/);
    expect(() => assertConsistency(6, 8, root6, flipBit(root8, 255), proof)).toThrow(ProofVerificationError);
    expect(() => assertConsistency(6, 8, flipBit(root6, 255), root8, proof)).toThrow(/size 6/);
    expect(() => assertConsistency(5, 8, unhex(RFC6962_ROOTS[4]), root8, proof)).toThrow(ProofVerificationError);
    expect(() => assertConsistency(8, 6, root8, root6, proof)).toThrow(/size1 <= size2/);
  });

  it('verifies an audit path taken from a real CT log (leaf 848049 of 3630887)', () => {
    const path = [
      '1a208aeebcd1b39fe2de247ee8db9454e1e93a312d206b87f6ca9cc6ec6f1ddd',
      '0a1b78b383f580856f433c01a5741e160d451c185910027f6cc9f828687a40c4',
      '3d1745789bc63f2da15850de1c12a5bf46ed81e1cc90f086148b1662e79aab3d',
      '9095b61e14d8990acf390905621e62b1714fb8e399fbb71de5510e0aef45affe',
      '0a332b91b8fab564e6afd1dd452449e04619b18accc0ff9aa8393cd4928451f2',
      '2336f0181d264aed6d8f3a6507ca14a8d3b3c3a23791ac263e845d208c1ee330',
      'b4ce56e300590500360c146c6452edbede25d4ed83919278749ee5dbe178e048',
      '933f6ddc848ea562e4f9c5cfb5f176941301dad0c6fdb9d1fbbe34fac1be6966',
      'b95a6222958a86f74c030be27c44f57dbe313e5e7c7f4ffb98bcbd3a03bb52f2',
      'daeeb3ce5923defd0faeb8e0c210b753b85b809445d7d3d3cd537a9aabaa9c45',
      '7fadd0a13e9138a2aa6c3fdec4e2275af233b94812784f66bcca9aa8e989f2bc',
      '1864e6ba3e32878610546539734fb5eeae2529991f130c575c73a7e25a2a7c56',
      '12842d1202b1dc6828a17ab253c02e7ce9409b5192430feba44189f39cc02d66',
      '29af64b16fa3053c13d02ac63aa75b23aa468506e44c3a2315edc85d2dc22b11',
      'b527b99934a0bd9edd154e449b0502e2c499bba783f3bc3dfe23364b6b532009',
      '4584db8ae8e351ace08e01f306378a92bfd43611714814f3d834a2842d69faa8',
      '86a9a41573b0d6e4292f01e93243d6cc65b30f06606fc6fa57390e7e90ed580f',
      'a88b98fbe84d4c6aae8db9d1605dfac059d9f03fe0fcb0d5dff1295dacba09e6',
      '06326dc617a6d1f7021dc536026dbfd5fffc6f7c5531d48ef6ccd1ed1569f2a1',
      'f41fe8fdc3a2e4e8345e30216e7ebecffee26ff266eeced208a6c2a3cf08f960',
      '40cf5bde8abb76983f3e98ba97aa36240402975674e120f234b3448911090f8d',
      'b3222dc8658538079883d980d7fdc2bef9285344ea34338968f736b04aeb387a',
    ].map(unhex);
    const leaf = unhex('7a395c866d5ecdb0cccb623e011dbc392cd348d1d1d72776174e127a24b09c78');
    const root = unhex('78316a05c9bcf14a3a4548f5b854a9adfcd46a4c034401b3ce7eb7ac2f1d0ecb');
    expect(verifyInclusion(leaf, 848049, 3630887, path, root)).toBe(true);
    expect(verifyInclusion(leaf, 848048, 3630887, path, root)).toBe(false);
    expect(verifyInclusion(leaf, 848049, 3630887, path, flipBit(root, 3))).toBe(false);
    expect(verifyInclusion(leaf, 848049, 3630887, path.slice(0, -1), root)).toBe(false);
    expect(verifyInclusion(flipBit(leaf), 848049, 3630887, path, root)).toBe(false);
  });
});

describe('proofs for every (index, size) and (size1, size2) up to 64 leaves', () => {
  const data = Array.from({ length: 64 }, (_, i) => Buffer.from(`leaf ${i}: ${'x'.repeat(i)}`));
  const hashes = data.map(leafHash);
  const contiguous = Buffer.concat(hashes);
  const roots = Array.from({ length: 65 }, (_, n) => MTH(data.slice(0, n)));
  const sources = {
    'leaf array': new LeafHashArraySource(hashes),
    'contiguous buffer': new LeafHashArraySource(contiguous),
    'tiles of height 1': SubtreeCache.fromLeaves(hashes, { tileHeight: 1 }),
    'tiles of height 2': SubtreeCache.fromLeaves(hashes, { tileHeight: 2 }),
    'tiles of height 3': SubtreeCache.fromLeaves(contiguous, { tileHeight: 3 }),
    'tiles of height 8': SubtreeCache.fromLeaves(hashes),
  };

  it('gives the roots of the reference at every size, streaming and from stored subtrees', () => {
    const accumulator = new MerkleAccumulator();
    for (let n = 0; n <= 64; n++) {
      expect(hex(accumulator.root()), `size ${n}`).toBe(hex(roots[n]));
      expect(hex(merkleRoot(hashes.slice(0, n)))).toBe(hex(roots[n]));
      for (const [name, source] of Object.entries(sources)) {
        expect(hex(rootFromSource(n, source)), `${name}, size ${n}`).toBe(hex(roots[n]));
      }
      if (n < 64) accumulator.append(hashes[n]);
    }
  });

  it('generates PATH exactly, and every path verifies (and fails when altered)', () => {
    for (let n = 1; n <= 64; n++) {
      for (let m = 0; m < n; m++) {
        const expected = PATH(m, data.slice(0, n)).map(hex);
        for (const [name, source] of Object.entries(sources)) {
          expect(inclusionProof(m, n, source).map(hex), `${name}: leaf ${m} of ${n}`).toEqual(expected);
        }
        const proof = inclusionProof(m, n, hashes);
        expect(verifyInclusion(hashes[m], m, n, proof, roots[n]), `leaf ${m} of ${n}`).toBe(true);
        expect(hex(rootFromInclusionProof(hashes[m], m, n, proof))).toBe(hex(roots[n]));

        expect(verifyInclusion(hashes[m], m, n, proof, roots[n - 1]), 'root of another size').toBe(false);
        if (n > 1) {
          expect(verifyInclusion(hashes[m], (m + 1) % n, n, proof, roots[n]), 'other index').toBe(false);
          expect(verifyInclusion(hashes[(m + 1) % n], m, n, proof, roots[n]), 'other leaf').toBe(false);
        }
        // Not "size n + 1 with root n": the root does not encode the size, so that can pass.
        // Sizes are bound to roots by the signed checkpoint, which is why verifiers take both from it.
        if (n < 64) expect(verifyInclusion(hashes[m], m, n + 1, proof, roots[n + 1]), 'tree one leaf larger').toBe(false);
        expect(verifyInclusion(hashes[m], m, n, [...proof, hashes[0]], roots[n]), 'extra hash').toBe(false);
        for (let i = 0; i < proof.length; i++) {
          const altered = proof.map((p, j) => (j === i ? flipBit(p, 77) : p));
          expect(verifyInclusion(hashes[m], m, n, altered, roots[n]), `hash ${i} altered`).toBe(false);
          expect(verifyInclusion(hashes[m], m, n, proof.filter((_, j) => j !== i), roots[n]), `hash ${i} dropped`).toBe(false);
        }
      }
    }
  }, 60_000);

  it('generates PROOF exactly, and every proof verifies (and fails when altered)', () => {
    for (let n = 1; n <= 64; n++) {
      for (let m = 0; m <= n; m++) {
        const expected = m === 0 ? [] : PROOF(m, data.slice(0, n)).map(hex);
        for (const [name, source] of Object.entries(sources)) {
          expect(consistencyProof(m, n, source).map(hex), `${name}: ${m} -> ${n}`).toEqual(expected);
        }
        const proof = consistencyProof(m, n, hashes);
        expect(verifyConsistency(m, n, roots[m], roots[n], proof), `${m} -> ${n}`).toBe(true);

        if (m > 0 && m < n) {
          expect(verifyConsistency(m, n, roots[m - 1], roots[n], proof), 'first root of another size').toBe(false);
          expect(verifyConsistency(m, n, roots[m], roots[n - 1], proof), 'second root of another size').toBe(false);
          expect(verifyConsistency(m, n, roots[m], roots[n], [...proof, hashes[0]]), 'extra hash').toBe(false);
          for (let i = 0; i < proof.length; i++) {
            const altered = proof.map((p, j) => (j === i ? flipBit(p, 200) : p));
            expect(verifyConsistency(m, n, roots[m], roots[n], altered), `hash ${i} altered`).toBe(false);
            expect(verifyConsistency(m, n, roots[m], roots[n], proof.filter((_, j) => j !== i)), `hash ${i} dropped`).toBe(false);
          }
        }
      }
    }
  }, 60_000);

  it('asks an async source once per proof, for the planned ranges only', async () => {
    const cache = sources['tiles of height 2'];
    const calls: number[] = [];
    const asyncSource: AsyncSubtreeHashSource = {
      hashRanges: async (ranges) => {
        calls.push(ranges.length);
        return ranges.map(({ start, end }) => cache.hashRange(start, end));
      },
    };
    for (const [m, n] of [
      [0, 1],
      [5, 8],
      [13, 64],
      [63, 64],
      [40, 41],
    ]) {
      expect((await inclusionProofAsync(m, n, asyncSource)).map(hex)).toEqual(PATH(m, data.slice(0, n)).map(hex));
      expect(inclusionProofRanges(m, n).every(({ start, end }) => (start % (end - start)) === 0)).toBe(true);
    }
    for (const [m, n] of [
      [3, 7],
      [6, 8],
      [1, 64],
      [33, 64],
      [0, 9],
      [9, 9],
    ]) {
      const expected = m === 0 ? [] : PROOF(m, data.slice(0, n)).map(hex);
      expect((await consistencyProofAsync(m, n, asyncSource)).map(hex)).toEqual(expected);
      expect(consistencyProofRanges(m, n).every(({ start, end }) => (start % (end - start)) === 0)).toBe(true);
    }
    expect(calls.length).toBe(11);
  });
});

describe('verification edge cases', () => {
  const hashes = Array.from({ length: 8 }, (_, i) => leafHash(Buffer.from([i])));
  const root = merkleRoot(hashes);

  it('says why a proof fails', () => {
    const proof = inclusionProof(2, 8, hashes);
    const reason = (check: () => void) => {
      try {
        check();
      } catch (error) {
        return (error as ProofVerificationError).reason;
      }
      return 'ok';
    };
    expect(reason(() => assertInclusion(hashes[2], 2, 8, proof, root))).toBe('ok');
    expect(reason(() => assertInclusion(hashes[2], 8, 8, proof, root))).toBe('invalid_arguments');
    expect(reason(() => assertInclusion(hashes[2], -1, 8, proof, root))).toBe('invalid_arguments');
    expect(reason(() => assertInclusion(hashes[2], 2, 8, proof.slice(1), root))).toBe('proof_too_short');
    expect(reason(() => assertInclusion(hashes[2], 2, 8, [...proof, root], root))).toBe('proof_too_long');
    expect(reason(() => assertInclusion(hashes[2], 2, 8, [proof[0].subarray(1), ...proof.slice(1)], root))).toBe('malformed_hash');
    expect(reason(() => assertInclusion(hashes[3], 2, 8, proof, root))).toBe('root_mismatch');
    expect(reason(() => assertConsistency(4, 8, root, root, []))).toBe('proof_too_short');
    expect(reason(() => assertConsistency(8, 8, root, root, [root]))).toBe('proof_too_long');
    expect(reason(() => assertConsistency(8, 8, root, flipBit(root), []))).toBe('root_mismatch');
    expect(reason(() => assertConsistency(0, 8, emptyRoot(), root, []))).toBe('ok');
    expect(reason(() => assertConsistency(0, 8, root, root, []))).toBe('first_root_mismatch');
    expect(reason(() => assertConsistency(0, 8, emptyRoot(), root, [root]))).toBe('proof_too_long');
  });

  it('accepts a single-leaf tree whose root is the leaf hash, with an empty proof', () => {
    expect(verifyInclusion(hashes[0], 0, 1, [], hashes[0])).toBe(true);
    expect(verifyInclusion(hashes[0], 0, 0, [], hashes[0])).toBe(false);
  });

  it('refuses to build proofs for positions outside the tree', () => {
    expect(() => inclusionProof(8, 8, hashes)).toThrow(/outside/);
    expect(() => inclusionProof(0, 9, hashes)).toThrow(/exceeds/);
    expect(() => consistencyProof(5, 4, hashes)).toThrow(/larger/);
  });
});

describe('MerkleAccumulator', () => {
  it('resumes from its saved state and from stored subtree hashes', () => {
    const hashes = Array.from({ length: 1000 }, (_, i) => leafHash(Buffer.from(String(i))));
    const cache = SubtreeCache.fromLeaves(hashes, { tileHeight: 4 });
    const first = new MerkleAccumulator();
    for (let i = 0; i < 613; i++) first.append(hashes[i]);
    const resumed = MerkleAccumulator.fromState(JSON.parse(JSON.stringify(first.state()), (_k, v) =>
      v && v.type === 'Buffer' ? Buffer.from(v.data) : v,
    ) as ReturnType<MerkleAccumulator['state']>);
    const fromStore = MerkleAccumulator.fromSource(613, cache);
    expect(fromStore.state().peaks.map(hex)).toEqual(first.state().peaks.map(hex));
    const clone = first.clone();
    for (let i = 613; i < 1000; i++) {
      first.append(hashes[i]);
      resumed.append(hashes[i]);
      fromStore.append(hashes[i]);
    }
    expect(hex(resumed.root())).toBe(hex(merkleRoot(hashes)));
    expect(hex(fromStore.root())).toBe(hex(merkleRoot(hashes)));
    expect(clone.size).toBe(613);
    expect(hex(clone.root())).toBe(hex(merkleRoot(hashes.slice(0, 613))));
    expect(peakRanges(613)).toEqual([
      { start: 0, end: 512 },
      { start: 512, end: 576 },
      { start: 576, end: 608 },
      { start: 608, end: 612 },
      { start: 612, end: 613 },
    ]);
  });

  it('rejects a state whose peaks do not fit its size, and leaf hashes of the wrong length', () => {
    expect(() => MerkleAccumulator.fromState({ size: 3, peaks: [emptyRoot()] })).toThrow(/peaks/);
    expect(() => new MerkleAccumulator().append(Buffer.alloc(31))).toThrow(/32 bytes/);
  });

  it('does not alias the caller’s buffers', () => {
    const leaf = leafHash(Buffer.from('a'));
    const accumulator = new MerkleAccumulator();
    accumulator.append(leaf);
    const before = hex(accumulator.root());
    leaf.fill(0);
    expect(hex(accumulator.root())).toBe(before);
  });
});

describe('SubtreeCache over a large log', () => {
  const n = 2 ** 17 + 1237;
  const leaves = randomBytes(n * 32);
  const cache = SubtreeCache.fromLeaves(leaves);
  const root = merkleRoot(leaves);

  it('stores about one subtree hash per 255 leaves and agrees with the full computation', () => {
    expect(cache.storedSubtreeCount).toBe(Math.floor(n / 256) + Math.floor(n / 65536));
    expect(hex(cache.root())).toBe(hex(root));
  });

  it('builds proofs from O(log n) reads of at most half a tile each', () => {
    const full = new LeafHashArraySource(leaves);
    const bound = 18 * 128; // at most one read per level of the tree, each under 2^(8-1) hashes
    for (const index of [0, 1, 255, 256, 70_000, n - 2, n - 1]) {
      cache.hashesRead = 0;
      const proof = inclusionProof(index, n, cache);
      expect(cache.hashesRead, `leaf ${index}`).toBeLessThanOrEqual(bound);
      expect(verifyInclusion(leaves.subarray(index * 32, index * 32 + 32), index, n, proof, root)).toBe(true);
    }
    cache.hashesRead = 0;
    const proof = consistencyProof(100_000, n, cache);
    expect(cache.hashesRead).toBeLessThanOrEqual(2 * bound);
    expect(proof.map(hex)).toEqual(consistencyProof(100_000, n, full).map(hex));
    expect(verifyConsistency(100_000, n, merkleRoot(leaves.subarray(0, 100_000 * 32)), root, proof)).toBe(true);
  });

  it('reports the subtrees each append completes, for a repository to persist', () => {
    const growing = new SubtreeCache({ tileHeight: 2 });
    const completed: string[] = [];
    for (let i = 0; i < 16; i++) {
      for (const s of growing.append(leafHash(Buffer.from([i])))) completed.push(`${s.height}:${s.index}@${i}`);
    }
    expect(completed).toEqual(['2:0@3', '2:1@7', '2:2@11', '2:3@15', '4:0@15']);
  });

  it('plans one read per subtree within a single tile', () => {
    expect(subtreeReadPlan(0, 1)).toEqual({ height: 0, from: 0, count: 1 });
    expect(subtreeReadPlan(256, 512)).toEqual({ height: 8, from: 1, count: 1 });
    expect(subtreeReadPlan(2 ** 20, 2 ** 21)).toEqual({ height: 16, from: 16, count: 16 });
    expect(subtreeReadPlan(384, 512)).toEqual({ height: 0, from: 384, count: 128 });
    expect(() => subtreeReadPlan(3, 5)).toThrow(/aligned/);
  });
});

describe('firstDifferingLeaf', () => {
  const a = Array.from({ length: 10_000 }, (_, i) => leafHash(Buffer.from(String(i))));

  it('finds the first differing index in arrays and contiguous buffers', () => {
    const b = a.slice();
    b[7777] = flipBit(a[7777]);
    b[9000] = flipBit(a[9000]);
    expect(firstDifferingLeaf(a, b)).toBe(7777);
    expect(firstDifferingLeaf(Buffer.concat(a), Buffer.concat(b))).toBe(7777);
    expect(firstDifferingLeaf(a, a.slice())).toBe(-1);
    expect(firstDifferingLeaf(Buffer.concat(a), Buffer.concat(a))).toBe(-1);
    expect(firstDifferingLeaf(a, a.slice(0, 5000))).toBe(5000);
    expect(firstDifferingLeaf(Buffer.concat(a.slice(0, 3)), a)).toBe(3);
  });
});
