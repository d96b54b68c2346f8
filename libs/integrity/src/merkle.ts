import { hash } from 'node:crypto';
import { InvalidArgumentError } from '#domain';
import { ProofVerificationError } from './integrity-errors.js';

/**
 * The Merkle tree of RFC 9162 section 2.1 (identical to RFC 6962 section 2.1) over SHA-256:
 * hashes, the tree head, a streaming accumulator, and proof verification.
 *
 * Leaf indexes and tree sizes are JavaScript numbers limited to safe integers (2^53 - 1);
 * the arithmetic deliberately avoids 32-bit bitwise operators so logs beyond 2^31 leaves work.
 */

export const HASH_SIZE = 32;

/** A list of 32-byte leaf hashes, or one Buffer holding them back to back. */
export type LeafHashes = readonly Uint8Array[] | Buffer;

const EMPTY_ROOT = hash('sha256', new Uint8Array(0), 'buffer');

/** MTH({}) = SHA-256(""), the root of the empty tree. A fresh copy: callers may mutate it. */
export function emptyRoot(): Buffer {
  return Buffer.from(EMPTY_ROOT);
}

/** SHA-256(0x00 || data): the 0x00 prefix keeps a leaf from ever passing for an inner node. */
export function leafHash(data: Uint8Array): Buffer {
  const prefixed = Buffer.allocUnsafe(data.length + 1);
  prefixed[0] = 0x00;
  prefixed.set(data, 1);
  return hash('sha256', prefixed, 'buffer');
}

// nodeHash is the hot loop of every root and proof computation: one reusable input buffer
// instead of an allocation per call. crypto.hash is synchronous, so sharing it is safe.
const nodeInput = Buffer.alloc(1 + 2 * HASH_SIZE);
nodeInput[0] = 0x01;

/** SHA-256(0x01 || left || right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  if (left.length !== HASH_SIZE || right.length !== HASH_SIZE) {
    throw new InvalidArgumentError('hash', `node children must be ${HASH_SIZE}-byte hashes`);
  }
  nodeInput.set(left, 1);
  nodeInput.set(right, 1 + HASH_SIZE);
  return hash('sha256', nodeInput, 'buffer');
}

/** MTH(D[n]) over leaf hashes, computed streaming (O(log n) memory). */
export function merkleRoot(leafHashes: LeafHashes): Buffer {
  const accumulator = new MerkleAccumulator();
  const count = leafCount(leafHashes);
  for (let i = 0; i < count; i++) accumulator.append(leafAt(leafHashes, i));
  return accumulator.root();
}

/** Serializable state of a {@link MerkleAccumulator}: enough to resume it elsewhere. */
export interface AccumulatorState {
  size: number;
  /** Roots of the complete subtrees that make up [0, size), largest (leftmost) first. */
  peaks: Buffer[];
}

/**
 * Appends leaf hashes one at a time and gives the tree head at the current size, keeping
 * only the roots of the maximal complete subtrees (one per set bit of the size). This is
 * what lets a verifier stream a 10M-leaf log from the database in constant memory.
 */
export class MerkleAccumulator {
  #size = 0;
  #peaks: Buffer[] = [];

  /** Resumes from a saved state, e.g. the one stored with the last verified checkpoint. */
  static fromState(state: AccumulatorState): MerkleAccumulator {
    assertSize(state.size, 'size');
    const expected = peakRanges(state.size).length;
    if (state.peaks.length !== expected || state.peaks.some((peak) => peak.length !== HASH_SIZE)) {
      throw new InvalidArgumentError('peaks', `a tree of size ${state.size} has ${expected} peaks of ${HASH_SIZE} bytes`);
    }
    const accumulator = new MerkleAccumulator();
    accumulator.#size = state.size;
    accumulator.#peaks = state.peaks.map((peak) => Buffer.from(peak));
    return accumulator;
  }

  /** Resumes at `size` from a source of stored subtree hashes (O(log n) lookups). */
  static fromSource(size: number, source: SubtreeHashSource): MerkleAccumulator {
    assertSize(size, 'size');
    return MerkleAccumulator.fromState({
      size,
      peaks: peakRanges(size).map(({ start, end }) => source.hashRange(start, end)),
    });
  }

  get size(): number {
    return this.#size;
  }

  append(leafHashValue: Uint8Array): void {
    if (leafHashValue.length !== HASH_SIZE) {
      throw new InvalidArgumentError('leafHash', `a leaf hash has ${HASH_SIZE} bytes, got ${leafHashValue.length}`);
    }
    // Each trailing 1 bit of the old size is a complete subtree of the same height as the
    // one being carried, so they merge, exactly like binary addition.
    let carried: Buffer = Buffer.from(leafHashValue);
    let remaining = this.#size;
    while (remaining % 2 === 1) {
      carried = nodeHash(this.#peaks.pop()!, carried);
      remaining = (remaining - 1) / 2;
    }
    this.#peaks.push(carried);
    this.#size += 1;
  }

  /** Hashes `data` as a leaf, appends it, and returns the leaf hash. */
  appendData(data: Uint8Array): Buffer {
    const hashed = leafHash(data);
    this.append(hashed);
    return hashed;
  }

  /** MTH of the leaves appended so far. */
  root(): Buffer {
    const peaks = this.#peaks;
    if (peaks.length === 0) return emptyRoot();
    let root = peaks[peaks.length - 1];
    for (let i = peaks.length - 2; i >= 0; i--) root = nodeHash(peaks[i], root);
    return Buffer.from(root);
  }

  state(): AccumulatorState {
    return { size: this.#size, peaks: this.#peaks.map((peak) => Buffer.from(peak)) };
  }

  clone(): MerkleAccumulator {
    return MerkleAccumulator.fromState(this.state());
  }
}

// ---------------------------------------------------------------------------------------
// Subtree sources: where proof generation gets the hashes of complete, aligned subtrees.
// ---------------------------------------------------------------------------------------

/** Leaves [start, end) of the log. */
export interface SubtreeRange {
  start: number;
  end: number;
}

/**
 * Gives the root hash of a complete, aligned subtree: `end - start` is a power of two and
 * `start` is a multiple of it. Proof generation asks only for such ranges (O(log n) of them),
 * so a repository can answer from stored hashes of complete subtrees instead of reading
 * every leaf; see {@link SubtreeCache}.
 */
export interface SubtreeHashSource {
  hashRange(start: number, end: number): Buffer;
}

/** The same, for sources that need I/O: all ranges of a proof are asked for in one call. */
export interface AsyncSubtreeHashSource {
  hashRanges(ranges: readonly SubtreeRange[]): Promise<Buffer[]>;
}

/** Computes subtree hashes from leaf hashes held in memory: O(end - start) per range. */
export class LeafHashArraySource implements SubtreeHashSource {
  readonly size: number;

  constructor(private readonly leaves: LeafHashes) {
    this.size = leafCount(leaves);
    if (!Buffer.isBuffer(leaves)) {
      for (let i = 0; i < leaves.length; i++) {
        if (leaves[i].length !== HASH_SIZE) {
          throw new InvalidArgumentError('leafHashes', `leaf hash ${i} has ${leaves[i].length} bytes, not ${HASH_SIZE}`);
        }
      }
    }
  }

  leaf(index: number): Buffer {
    if (!Number.isInteger(index) || index < 0 || index >= this.size) {
      throw new InvalidArgumentError('index', `leaf ${index} is outside [0, ${this.size})`);
    }
    return Buffer.from(leafAt(this.leaves, index));
  }

  hashRange(start: number, end: number): Buffer {
    assertAlignedRange(start, end, this.size);
    return perfectTreeRoot(this.leaves, start, end);
  }
}

/**
 * Root of the perfect tree over the hashes [start, end) of `level` (a power-of-two count),
 * computed bottom-up in a scratch array of half the width.
 */
export function perfectTreeRoot(level: LeafHashes, start = 0, end = leafCount(level)): Buffer {
  const width = end - start;
  if (width <= 0 || !isPowerOfTwo(width)) {
    throw new InvalidArgumentError('range', `a perfect tree needs a power-of-two number of hashes, got ${width}`);
  }
  if (width === 1) return Buffer.from(leafAt(level, start));
  const nodes: Buffer[] = new Array<Buffer>(width / 2);
  for (let i = 0; i < width / 2; i++) nodes[i] = nodeHash(leafAt(level, start + 2 * i), leafAt(level, start + 2 * i + 1));
  for (let n = width / 2; n > 1; n /= 2) {
    for (let i = 0; i < n / 2; i++) nodes[i] = nodeHash(nodes[2 * i], nodes[2 * i + 1]);
  }
  return nodes[0];
}

/** MTH(D[0:size]) from stored subtree hashes: one lookup per set bit of `size`. */
export function rootFromSource(size: number, source: SubtreeHashSource): Buffer {
  assertSize(size, 'size');
  return rangeHash(0, size, asSource(source));
}

/**
 * The complete aligned subtrees whose concatenation is [0, size), largest first: the
 * "peaks" of a log of that size. Their right-to-left fold is the tree head.
 */
export function peakRanges(size: number): SubtreeRange[] {
  return decompose(0, size);
}

// ---------------------------------------------------------------------------------------
// Proof generation (RFC 9162 2.1.3.1 PATH and 2.1.4.1 PROOF/SUBPROOF).
// ---------------------------------------------------------------------------------------

/**
 * The audit path for leaf `index` in the tree of `treeSize` leaves, deepest node first
 * (the order RFC 9162 verification consumes it in).
 */
export function inclusionProof(index: number, treeSize: number, source: SubtreeHashSource | LeafHashes): Buffer[] {
  return inclusionNodes(index, treeSize).map(({ start, end }) => rangeHash(start, end, asSource(source, treeSize)));
}

/** The consistency proof between the trees of `size1` and `size2` leaves (RFC 9162 2.1.4.1). */
export function consistencyProof(size1: number, size2: number, source: SubtreeHashSource | LeafHashes): Buffer[] {
  return consistencyNodes(size1, size2).map(({ start, end }) => rangeHash(start, end, asSource(source, size2)));
}

/** The complete aligned subtrees an inclusion proof is built from: what a repository must read. */
export function inclusionProofRanges(index: number, treeSize: number): SubtreeRange[] {
  return uniqueRanges(inclusionNodes(index, treeSize));
}

/** The complete aligned subtrees a consistency proof is built from. */
export function consistencyProofRanges(size1: number, size2: number): SubtreeRange[] {
  return uniqueRanges(consistencyNodes(size1, size2));
}

export async function inclusionProofAsync(index: number, treeSize: number, source: AsyncSubtreeHashSource): Promise<Buffer[]> {
  const nodes = inclusionNodes(index, treeSize);
  return resolveAsync(nodes, source);
}

export async function consistencyProofAsync(size1: number, size2: number, source: AsyncSubtreeHashSource): Promise<Buffer[]> {
  const nodes = consistencyNodes(size1, size2);
  return resolveAsync(nodes, source);
}

/**
 * The nodes of PATH(m, D[n]), each as the leaf range it covers. Walks from the root down,
 * so the list comes out shallowest first and is reversed at the end.
 */
function inclusionNodes(index: number, treeSize: number): SubtreeRange[] {
  assertSize(treeSize, 'treeSize');
  if (!Number.isSafeInteger(index) || index < 0 || index >= treeSize) {
    throw new InvalidArgumentError('index', `leaf index ${index} is outside a tree of size ${treeSize}`);
  }
  const nodes: SubtreeRange[] = [];
  let start = 0;
  let m = index;
  let n = treeSize;
  while (n > 1) {
    const k = largestPowerOfTwoBelow(n);
    if (m < k) {
      nodes.push({ start: start + k, end: start + n });
      n = k;
    } else {
      nodes.push({ start, end: start + k });
      start += k;
      m -= k;
      n -= k;
    }
  }
  return nodes.reverse();
}

/** The nodes of PROOF(m, D[n]) = SUBPROOF(m, D[n], true), deepest first. */
function consistencyNodes(size1: number, size2: number): SubtreeRange[] {
  assertSize(size1, 'size1');
  assertSize(size2, 'size2');
  if (size1 > size2) throw new InvalidArgumentError('size1', `size1 ${size1} is larger than size2 ${size2}`);
  // Every tree is consistent with the empty tree and with itself: nothing to prove.
  if (size1 === 0 || size1 === size2) return [];
  const nodes: SubtreeRange[] = [];
  let start = 0;
  let m = size1;
  let n = size2;
  let startsAtZero = true;
  while (m !== n) {
    const k = largestPowerOfTwoBelow(n);
    if (m <= k) {
      nodes.push({ start: start + k, end: start + n });
      n = k;
    } else {
      nodes.push({ start, end: start + k });
      start += k;
      m -= k;
      n -= k;
      startsAtZero = false;
    }
  }
  // SUBPROOF(m, D[m], false) = {MTH(D[m])}; with b = true the verifier already has it.
  if (!startsAtZero) nodes.push({ start, end: start + m });
  return nodes.reverse();
}

/**
 * MTH(D[start:end]) for a range that is a node of the tree: either complete and aligned, or
 * the right edge of a tree whose `start` is aligned to at least the largest power of two in
 * the width. Such a range splits into aligned complete subtrees of decreasing size, and
 * RFC 9162's recursive split folds them right to left.
 */
function rangeHash(start: number, end: number, source: SubtreeHashSource): Buffer {
  if (start === end) return emptyRoot();
  const pieces = decompose(start, end);
  let root = source.hashRange(pieces[pieces.length - 1].start, pieces[pieces.length - 1].end);
  for (let i = pieces.length - 2; i >= 0; i--) root = nodeHash(source.hashRange(pieces[i].start, pieces[i].end), root);
  return root;
}

/** [start, end) as complete subtrees of strictly decreasing size, left to right. */
function decompose(start: number, end: number): SubtreeRange[] {
  const pieces: SubtreeRange[] = [];
  let position = start;
  while (position < end) {
    let width = 1;
    while (width * 2 <= end - position) width *= 2;
    pieces.push({ start: position, end: position + width });
    position += width;
  }
  return pieces;
}

async function resolveAsync(nodes: readonly SubtreeRange[], source: AsyncSubtreeHashSource): Promise<Buffer[]> {
  const ranges = uniqueRanges(nodes);
  const hashes = await source.hashRanges(ranges);
  if (hashes.length !== ranges.length) {
    throw new InvalidArgumentError('hashRanges', `asked for ${ranges.length} subtree hashes, got ${hashes.length}`);
  }
  const byRange = new Map<string, Buffer>();
  ranges.forEach((range, i) => {
    if (hashes[i].length !== HASH_SIZE) {
      throw new InvalidArgumentError('hashRanges', `subtree [${range.start}, ${range.end}) hash has ${hashes[i].length} bytes`);
    }
    byRange.set(rangeKey(range), hashes[i]);
  });
  const lookup: SubtreeHashSource = { hashRange: (start, end) => byRange.get(rangeKey({ start, end }))! };
  return nodes.map(({ start, end }) => rangeHash(start, end, lookup));
}

function uniqueRanges(nodes: readonly SubtreeRange[]): SubtreeRange[] {
  const seen = new Map<string, SubtreeRange>();
  for (const node of nodes) {
    for (const piece of decompose(node.start, node.end)) seen.set(rangeKey(piece), piece);
  }
  return [...seen.values()];
}

function rangeKey({ start, end }: SubtreeRange): string {
  return `${start}:${end}`;
}

function asSource(source: SubtreeHashSource | LeafHashes, treeSize?: number): SubtreeHashSource {
  if (Buffer.isBuffer(source) || Array.isArray(source)) {
    const leaves = new LeafHashArraySource(source as LeafHashes);
    if (treeSize !== undefined && treeSize > leaves.size) {
      throw new InvalidArgumentError('treeSize', `tree size ${treeSize} exceeds the ${leaves.size} leaf hashes given`);
    }
    return leaves;
  }
  return source as SubtreeHashSource;
}

// ---------------------------------------------------------------------------------------
// Proof verification, step by step as RFC 9162 2.1.3.2 and 2.1.4.2 write it.
// ---------------------------------------------------------------------------------------

/**
 * Recomputes the root from a leaf hash and its audit path (RFC 9162 2.1.3.2 steps 1-4 and
 * the `sn == 0` check of step 5). Throws {@link ProofVerificationError} on a malformed proof.
 */
export function rootFromInclusionProof(
  leafHashValue: Uint8Array,
  index: number,
  treeSize: number,
  proof: readonly Uint8Array[],
): Buffer {
  if (!Number.isSafeInteger(treeSize) || treeSize < 0 || !Number.isSafeInteger(index) || index < 0) {
    throw new ProofVerificationError('invalid_arguments', `leaf index ${index} and tree size ${treeSize} must be non-negative integers`);
  }
  if (index >= treeSize) {
    throw new ProofVerificationError('invalid_arguments', `leaf index ${index} is not below tree size ${treeSize}`);
  }
  assertHash(leafHashValue, 'leaf hash');
  proof.forEach((p, i) => assertHash(p, `proof hash ${i}`));

  let fn = index;
  let sn = treeSize - 1;
  let r: Uint8Array = leafHashValue;
  for (const p of proof) {
    if (sn === 0) throw tooLong(proof.length);
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn /= 2;
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) {
    throw new ProofVerificationError('proof_too_short', `an inclusion proof of ${proof.length} hashes is too short for leaf ${index} of ${treeSize}`);
  }
  return Buffer.from(r);
}

/** Throws {@link ProofVerificationError} saying what is wrong unless the proof holds. */
export function assertInclusion(
  leafHashValue: Uint8Array,
  index: number,
  treeSize: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): void {
  assertHash(root, 'root hash');
  const computed = rootFromInclusionProof(leafHashValue, index, treeSize, proof);
  if (!computed.equals(root)) {
    throw new ProofVerificationError(
      'root_mismatch',
      `leaf ${index} with this proof leads to root ${computed.toString('hex')}, not ${Buffer.from(root).toString('hex')}`,
    );
  }
}

export function verifyInclusion(
  leafHashValue: Uint8Array,
  index: number,
  treeSize: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  return succeeds(() => assertInclusion(leafHashValue, index, treeSize, proof, root));
}

/**
 * RFC 9162 2.1.4.2 for 0 < size1 < size2. The two cases the RFC leaves out are defined
 * here: size1 == size2 needs an empty proof and equal roots; size1 == 0 needs an empty
 * proof and root1 equal to the empty-tree hash.
 */
export function assertConsistency(
  size1: number,
  size2: number,
  root1: Uint8Array,
  root2: Uint8Array,
  proof: readonly Uint8Array[],
): void {
  if (!Number.isSafeInteger(size1) || !Number.isSafeInteger(size2) || size1 < 0 || size2 < size1) {
    throw new ProofVerificationError('invalid_arguments', `sizes ${size1} and ${size2} must satisfy 0 <= size1 <= size2`);
  }
  assertHash(root1, 'first root hash');
  assertHash(root2, 'second root hash');
  proof.forEach((p, i) => assertHash(p, `proof hash ${i}`));

  if (size1 === size2 || size1 === 0) {
    if (proof.length > 0) throw tooLong(proof.length);
    if (size1 === 0 && !EMPTY_ROOT.equals(root1)) {
      throw new ProofVerificationError('first_root_mismatch', 'a tree of size 0 must have the empty-tree root');
    }
    if (size1 === size2 && !Buffer.from(root1).equals(root2)) {
      throw new ProofVerificationError('root_mismatch', `two trees of size ${size1} have different roots`);
    }
    return;
  }

  // 1. An empty proof cannot prove anything for 0 < size1 < size2.
  if (proof.length === 0) {
    throw new ProofVerificationError('proof_too_short', `an empty consistency proof cannot link size ${size1} to ${size2}`);
  }
  // 2. If size1 is a power of two, the first tree is itself a node of the second.
  const path: readonly Uint8Array[] = isPowerOfTwo(size1) ? [root1, ...proof] : proof;
  // 3.
  let fn = size1 - 1;
  let sn = size2 - 1;
  // 4.
  while (fn % 2 === 1) {
    fn = (fn - 1) / 2;
    sn = Math.floor(sn / 2);
  }
  // 5.
  let fr: Uint8Array = path[0];
  let sr: Uint8Array = path[0];
  // 6.
  for (let i = 1; i < path.length; i++) {
    const c = path[i];
    if (sn === 0) throw tooLong(proof.length);
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn /= 2;
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  // 7.
  if (sn !== 0) {
    throw new ProofVerificationError('proof_too_short', `a consistency proof of ${proof.length} hashes is too short for ${size1} -> ${size2}`);
  }
  if (!Buffer.from(fr).equals(root1)) {
    throw new ProofVerificationError('first_root_mismatch', `the proof does not lead to the root of the tree of size ${size1}`);
  }
  if (!Buffer.from(sr).equals(root2)) {
    throw new ProofVerificationError('second_root_mismatch', `the proof does not lead to the root of the tree of size ${size2}`);
  }
}

export function verifyConsistency(
  size1: number,
  size2: number,
  root1: Uint8Array,
  root2: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  return succeeds(() => assertConsistency(size1, size2, root1, root2, proof));
}

/**
 * The first index at which two leaf-hash sequences differ; the shorter length when one is a
 * prefix of the other; -1 when they are equal.
 */
export function firstDifferingLeaf(a: LeafHashes, b: LeafHashes): number {
  const lengthA = leafCount(a);
  const lengthB = leafCount(b);
  const common = Math.min(lengthA, lengthB);
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) {
    // Compare in large native slices and only narrow down inside the slice that differs.
    const chunk = 4096;
    for (let from = 0; from < common; from += chunk) {
      const to = Math.min(common, from + chunk);
      if (!a.subarray(from * HASH_SIZE, to * HASH_SIZE).equals(b.subarray(from * HASH_SIZE, to * HASH_SIZE))) {
        for (let i = from; i < to; i++) if (!leafAt(a, i).equals(leafAt(b, i))) return i;
      }
    }
  } else {
    for (let i = 0; i < common; i++) {
      if (!Buffer.from(leafAt(a, i)).equals(leafAt(b, i))) return i;
    }
  }
  return lengthA === lengthB ? -1 : common;
}

// ---------------------------------------------------------------------------------------

export function isPowerOfTwo(n: number): boolean {
  if (n < 1) return false;
  while (n % 2 === 0) n /= 2;
  return n === 1;
}

/** The largest power of two strictly below n (n >= 2): the split point k of RFC 9162. */
export function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function leafCount(leaves: LeafHashes): number {
  if (Buffer.isBuffer(leaves)) {
    if (leaves.length % HASH_SIZE !== 0) {
      throw new InvalidArgumentError('leafHashes', `a buffer of leaf hashes must be a multiple of ${HASH_SIZE} bytes`);
    }
    return leaves.length / HASH_SIZE;
  }
  return (leaves as readonly Uint8Array[]).length;
}

function leafAt(leaves: LeafHashes, index: number): Buffer {
  if (Buffer.isBuffer(leaves)) return leaves.subarray(index * HASH_SIZE, (index + 1) * HASH_SIZE);
  const leaf = (leaves as readonly Uint8Array[])[index];
  return Buffer.isBuffer(leaf) ? leaf : Buffer.from(leaf.buffer, leaf.byteOffset, leaf.byteLength);
}

function assertSize(size: number, field: string): void {
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new InvalidArgumentError(field, `${field} must be a non-negative safe integer, got ${size}`);
  }
}

function assertAlignedRange(start: number, end: number, size: number): void {
  const width = end - start;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end > size || !isPowerOfTwo(width) || start % width !== 0) {
    throw new InvalidArgumentError('range', `[${start}, ${end}) is not a complete aligned subtree of a tree of ${size} leaves`);
  }
}

function assertHash(value: Uint8Array, what: string): void {
  if (!(value instanceof Uint8Array) || value.length !== HASH_SIZE) {
    throw new ProofVerificationError('malformed_hash', `${what} must be ${HASH_SIZE} bytes`);
  }
}

function tooLong(length: number): ProofVerificationError {
  return new ProofVerificationError('proof_too_long', `the proof has more hashes (${length}) than the tree needs`);
}

function succeeds(check: () => void): boolean {
  try {
    check();
    return true;
  } catch (error) {
    if (error instanceof ProofVerificationError) return false;
    throw error;
  }
}
