import { InvalidArgumentError } from '#domain';
import {
  HASH_SIZE,
  type LeafHashes,
  type SubtreeHashSource,
  isPowerOfTwo,
  perfectTreeRoot,
  rootFromSource,
} from './merkle.js';

/**
 * Tiled storage of subtree hashes, in the spirit of C2SP tlog-tiles: besides the leaf hashes,
 * keep the hash of every complete aligned subtree whose height is a multiple of the tile
 * height T (default 8, i.e. subtrees of 256, 65 536, 16 777 216 ... leaves). That costs
 * about one stored hash per 255 leaves, and any complete aligned subtree of height h is then
 * the perfect-tree root of at most 2^(T-1) stored hashes of one level, inside one tile. A
 * proof over millions of leaves touches O(log n) such reads instead of every leaf.
 */

export const DEFAULT_TILE_HEIGHT = 8;

/** The complete subtree covering leaves [index * 2^height, (index + 1) * 2^height). */
export interface StoredSubtree {
  height: number;
  index: number;
  hash: Buffer;
}

/**
 * What to read to compute one complete aligned subtree hash: `count` consecutive stored
 * hashes of subtrees of height `height` (0 = leaf hashes), starting at index `from`.
 */
export interface TileRead {
  height: number;
  from: number;
  count: number;
}

/**
 * The single read that yields the hash of the complete aligned subtree [start, end), given
 * that every complete subtree of a height that is a multiple of `tileHeight` is stored.
 * A repository answering {@link AsyncSubtreeHashSource} plans its reads with this, fetches
 * them in one query, and folds each with {@link perfectTreeRoot}.
 */
export function subtreeReadPlan(start: number, end: number, tileHeight = DEFAULT_TILE_HEIGHT): TileRead {
  assertTileHeight(tileHeight);
  const width = end - start;
  if (!Number.isSafeInteger(start) || start < 0 || !isPowerOfTwo(width) || start % width !== 0) {
    throw new InvalidArgumentError('range', `[${start}, ${end}) is not a complete aligned subtree`);
  }
  const height = Math.round(Math.log2(width));
  const storedHeight = height - (height % tileHeight);
  const stride = 2 ** storedHeight;
  return { height: storedHeight, from: start / stride, count: width / stride };
}

/** Reads stored hashes; the storage layout behind it is the caller's (memory, a table, files). */
export interface TileReader {
  read(height: number, from: number, count: number): LeafHashes;
}

/** A {@link SubtreeHashSource} over tiled storage read synchronously. */
export class TiledSubtreeSource implements SubtreeHashSource {
  constructor(
    private readonly reader: TileReader,
    readonly tileHeight = DEFAULT_TILE_HEIGHT,
  ) {
    assertTileHeight(tileHeight);
  }

  hashRange(start: number, end: number): Buffer {
    const plan = subtreeReadPlan(start, end, this.tileHeight);
    const hashes = this.reader.read(plan.height, plan.from, plan.count);
    const got = Buffer.isBuffer(hashes) ? hashes.length / HASH_SIZE : hashes.length;
    if (got !== plan.count) {
      throw new InvalidArgumentError('read', `expected ${plan.count} hashes at height ${plan.height}, got ${got}`);
    }
    return perfectTreeRoot(hashes);
  }
}

/**
 * An in-memory log that keeps its leaf hashes and the tiled subtree hashes, computed as leaves
 * are appended (amortized one extra hash per leaf). `append` returns the subtrees it just
 * completed so that a repository can persist exactly those rows next to the leaves.
 */
export class SubtreeCache implements SubtreeHashSource {
  readonly tileHeight: number;
  readonly #tileWidth: number;
  #leaves: Buffer = Buffer.alloc(0);
  #size = 0;
  /** #levels[j] holds the hashes of complete subtrees of height (j + 1) * tileHeight. */
  readonly #levels: Buffer[][] = [];
  readonly #source: TiledSubtreeSource;
  /** Stored hashes read to answer `hashRange` so far: lets callers check proof cost. */
  hashesRead = 0;

  constructor(options: { tileHeight?: number } = {}) {
    this.tileHeight = options.tileHeight ?? DEFAULT_TILE_HEIGHT;
    assertTileHeight(this.tileHeight);
    this.#tileWidth = 2 ** this.tileHeight;
    this.#source = new TiledSubtreeSource({ read: (height, from, count) => this.#read(height, from, count) }, this.tileHeight);
  }

  static fromLeaves(leaves: LeafHashes, options: { tileHeight?: number } = {}): SubtreeCache {
    const cache = new SubtreeCache(options);
    const count = Buffer.isBuffer(leaves) ? leaves.length / HASH_SIZE : leaves.length;
    cache.#reserve(count);
    for (let i = 0; i < count; i++) {
      cache.append(Buffer.isBuffer(leaves) ? leaves.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE) : leaves[i]);
    }
    return cache;
  }

  get size(): number {
    return this.#size;
  }

  /** Number of stored subtree hashes (all heights), i.e. the storage overhead beyond leaves. */
  get storedSubtreeCount(): number {
    return this.#levels.reduce((total, level) => total + level.length, 0);
  }

  append(leafHashValue: Uint8Array): StoredSubtree[] {
    if (leafHashValue.length !== HASH_SIZE) {
      throw new InvalidArgumentError('leafHash', `a leaf hash has ${HASH_SIZE} bytes, got ${leafHashValue.length}`);
    }
    this.#reserve(this.#size + 1);
    this.#leaves.set(leafHashValue, this.#size * HASH_SIZE);
    this.#size += 1;

    const completed: StoredSubtree[] = [];
    let levelCount = this.#size;
    let level = 0;
    while (levelCount % this.#tileWidth === 0) {
      const from = levelCount - this.#tileWidth;
      const tile =
        level === 0
          ? this.#leaves.subarray(from * HASH_SIZE, levelCount * HASH_SIZE)
          : this.#levels[level - 1].slice(from, levelCount);
      const root = perfectTreeRoot(tile);
      const above = (this.#levels[level] ??= []);
      above.push(root);
      completed.push({ height: (level + 1) * this.tileHeight, index: above.length - 1, hash: Buffer.from(root) });
      levelCount = above.length;
      level += 1;
    }
    return completed;
  }

  leaf(index: number): Buffer {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.#size) {
      throw new InvalidArgumentError('index', `leaf ${index} is outside [0, ${this.#size})`);
    }
    return Buffer.from(this.#leaves.subarray(index * HASH_SIZE, (index + 1) * HASH_SIZE));
  }

  hashRange(start: number, end: number): Buffer {
    if (end > this.#size) {
      throw new InvalidArgumentError('range', `[${start}, ${end}) extends beyond the ${this.#size} leaves held`);
    }
    return this.#source.hashRange(start, end);
  }

  /** MTH of the first `size` leaves (default: all of them). */
  root(size = this.#size): Buffer {
    if (size > this.#size) throw new InvalidArgumentError('size', `only ${this.#size} leaves are held`);
    return rootFromSource(size, this);
  }

  #read(height: number, from: number, count: number): LeafHashes {
    this.hashesRead += count;
    if (height === 0) return this.#leaves.subarray(from * HASH_SIZE, (from + count) * HASH_SIZE);
    const level = this.#levels[height / this.tileHeight - 1] ?? [];
    return level.slice(from, from + count);
  }

  #reserve(leaves: number): void {
    if (leaves * HASH_SIZE <= this.#leaves.length) return;
    const grown = Buffer.alloc(Math.max(leaves, 2 * (this.#leaves.length / HASH_SIZE), 1024) * HASH_SIZE);
    this.#leaves.copy(grown, 0, 0, this.#size * HASH_SIZE);
    this.#leaves = grown;
  }
}

function assertTileHeight(tileHeight: number): void {
  if (!Number.isInteger(tileHeight) || tileHeight < 1 || tileHeight > 16) {
    throw new InvalidArgumentError('tileHeight', `tile height must be an integer in [1, 16], got ${tileHeight}`);
  }
}
