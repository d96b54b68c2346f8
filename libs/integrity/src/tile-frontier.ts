import { InvalidArgumentError } from '#domain';
import { HASH_SIZE, emptyRoot, nodeHash, perfectTreeRoot } from './merkle.js';
import { DEFAULT_TILE_HEIGHT, type StoredSubtree, type TileRead } from './subtree-cache.js';

/**
 * The right edge of a tiled Merkle log, in O(2^T · log n) memory: for each tile level, the
 * hashes of the tile that is still incomplete (fewer than 2^T of them). That is all a
 * writer needs to keep extending a log of any size: each append returns the complete
 * aligned subtrees (heights multiple of T) it finishes, which are exactly the rows that
 * {@link SubtreeCache} would store, and the tree head is available at any size.
 *
 * Unlike SubtreeCache it holds no leaves it no longer needs, so a long-running checkpointer
 * or a verifier streaming a billion events stays flat in memory. A frontier is resumed at
 * size n from stored data: the reads {@link TileFrontier.resumeReads} lists.
 */
export class TileFrontier {
  readonly tileHeight: number;
  readonly #width: number;
  /** #pending[L]: hashes of height L·T of the incomplete tile of level L, left to right. */
  #pending: Buffer[][] = [[]];
  #size = 0;

  constructor(options: { tileHeight?: number } = {}) {
    this.tileHeight = options.tileHeight ?? DEFAULT_TILE_HEIGHT;
    if (!Number.isInteger(this.tileHeight) || this.tileHeight < 1 || this.tileHeight > 16) {
      throw new InvalidArgumentError('tileHeight', `tile height must be an integer in [1, 16], got ${this.tileHeight}`);
    }
    this.#width = 2 ** this.tileHeight;
  }

  /**
   * What to read to resume at `size`: per level with pending hashes, the stored hashes of
   * height L·T (height 0 = leaf hashes) from index `from`, `count` of them. Levels without
   * pending hashes are left out.
   */
  static resumeReads(size: number, tileHeight = DEFAULT_TILE_HEIGHT): TileRead[] {
    assertSize(size);
    const width = 2 ** tileHeight;
    const reads: TileRead[] = [];
    for (let level = 0, stride = 1; stride <= size; level++, stride *= width) {
      const complete = Math.floor(size / stride);
      const count = complete % width;
      if (count > 0) reads.push({ height: level * tileHeight, from: complete - count, count });
    }
    return reads;
  }

  /** A frontier at `size`, given the hashes {@link resumeReads} asked for, in its order. */
  static resume(size: number, pending: readonly (readonly Uint8Array[])[], options: { tileHeight?: number } = {}): TileFrontier {
    const frontier = new TileFrontier(options);
    const reads = TileFrontier.resumeReads(size, frontier.tileHeight);
    if (pending.length !== reads.length) {
      throw new InvalidArgumentError('pending', `resuming at ${size} needs ${reads.length} lists of pending hashes, got ${pending.length}`);
    }
    const levels: Buffer[][] = [];
    const top = Math.max(0, ...reads.map((read) => read.height / frontier.tileHeight));
    for (let level = 0; level <= top; level++) levels.push([]);
    reads.forEach((read, i) => {
      const hashes = pending[i];
      if (hashes.length !== read.count || hashes.some((h) => h.length !== HASH_SIZE)) {
        throw new InvalidArgumentError('pending', `level of height ${read.height} needs ${read.count} hashes of ${HASH_SIZE} bytes`);
      }
      levels[read.height / frontier.tileHeight] = hashes.map((h) => Buffer.from(h));
    });
    frontier.#pending = levels;
    frontier.#size = size;
    return frontier;
  }

  get size(): number {
    return this.#size;
  }

  /** Appends one leaf hash; returns the subtrees (heights multiple of T) it completed, lowest first. */
  append(leafHashValue: Uint8Array): readonly StoredSubtree[] {
    if (leafHashValue.length !== HASH_SIZE) {
      throw new InvalidArgumentError('leafHash', `a leaf hash has ${HASH_SIZE} bytes, got ${leafHashValue.length}`);
    }
    this.#pending[0].push(Buffer.from(leafHashValue));
    this.#size += 1;
    let completed: StoredSubtree[] | null = null;
    for (let level = 0; this.#pending[level].length === this.#width; level++) {
      const root = perfectTreeRoot(this.#pending[level]);
      this.#pending[level] = [];
      const above = (this.#pending[level + 1] ??= []);
      above.push(root);
      const height = (level + 1) * this.tileHeight;
      (completed ??= []).push({ height, index: Math.floor(this.#size / 2 ** height) - 1, hash: Buffer.from(root) });
    }
    return completed ?? NONE;
  }

  /** MTH of the leaves appended so far. */
  root(): Buffer {
    // The pending hashes of the highest level cover the leftmost leaves. Each level's list
    // splits into perfect subtrees of decreasing size: together the peaks of the log.
    const peaks: Buffer[] = [];
    for (let level = this.#pending.length - 1; level >= 0; level--) {
      const hashes = this.#pending[level];
      let start = 0;
      while (start < hashes.length) {
        let width = 1;
        while (width * 2 <= hashes.length - start) width *= 2;
        peaks.push(perfectTreeRoot(hashes, start, start + width));
        start += width;
      }
    }
    if (peaks.length === 0) return emptyRoot();
    let root = peaks[peaks.length - 1];
    for (let i = peaks.length - 2; i >= 0; i--) root = nodeHash(peaks[i], root);
    return Buffer.from(root);
  }

  clone(): TileFrontier {
    const copy = new TileFrontier({ tileHeight: this.tileHeight });
    copy.#pending = this.#pending.map((level) => level.slice());
    copy.#size = this.#size;
    return copy;
  }
}

const NONE: readonly StoredSubtree[] = Object.freeze([]);

function assertSize(size: number): void {
  if (!Number.isSafeInteger(size) || size < 0) throw new InvalidArgumentError('size', `size must be a non-negative safe integer, got ${size}`);
}
