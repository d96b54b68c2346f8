import type pg from 'pg';
import type { Pool } from './database.js';
import * as sql from './merkle-log.sql.js';

/** A stored leaf-hash row holds at most this many leaves (128 KiB). */
export const MAX_LEAVES_PER_ROW = 4096;
const HASH_SIZE = 32;

export interface CheckpointRow {
  id: number;
  treeSize: number;
  rootHash: Buffer;
  time: Date;
  origin: string;
  keyName: string;
  keyId: string;
  /** The signed note: the evidence. The other fields repeat what it says. */
  note: string;
}

export interface NewCheckpoint {
  treeSize: number;
  rootHash: Buffer;
  time: Date;
  origin: string;
  keyName: string;
  keyId: string;
  note: string;
}

export interface SubtreeRow {
  height: number;
  index: number;
  hash: Buffer;
}

export interface KeyRecordRow {
  keyId: string;
  keyName: string;
  vkey: string;
  notBefore: Date;
  notAfter: Date | null;
}

/** An event row as the verifier reads it. */
export interface VerificationEventRow {
  position: number;
  leafHash: Buffer;
  document: string;
  columns: StoredEventColumns;
}

/** The queryable columns of an event row, which must agree with its document. */
export interface StoredEventColumns {
  timeMs: number;
  receivedAtMs: number;
  eventId: string;
  originSystem: string;
  category: string;
  type: string;
  actorSubject: string;
  actorPrincipal: string;
  actorKind: string;
  action: string;
  targetId: string | null;
  outcome: string;
  sourceIp: string | null;
  kafkaTopic: string | null;
  kafkaPartition: number | null;
  kafkaOffset: string | null;
}

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

/**
 * The Merkle log's tables (migration 0002) and the reads of ledger_events that building and
 * verifying it need. Reads run on the pool, or on one transaction's connection inside
 * {@link MerkleLogRepository.withTreeLock} / {@link MerkleLogRepository.withSnapshot}.
 */
export class MerkleLogQueries {
  constructor(protected readonly db: Queryable) {}

  async headPosition(): Promise<number> {
    const { rows } = await this.db.query<{ next_position: number }>(sql.HEAD);
    return rows[0]?.next_position ?? 0;
  }

  async latestCheckpoint(): Promise<CheckpointRow | null> {
    const { rows } = await this.db.query<RawCheckpoint>(sql.LATEST_CHECKPOINT);
    return rows[0] ? toCheckpoint(rows[0]) : null;
  }

  async checkpointOfSize(treeSize: number): Promise<CheckpointRow | null> {
    const { rows } = await this.db.query<RawCheckpoint>(sql.CHECKPOINT_OF_SIZE, [treeSize]);
    return rows[0] ? toCheckpoint(rows[0]) : null;
  }

  /** Checkpoints in the order they were recorded, `limit` after the one with id `afterId`. */
  async checkpointsAfter(afterId: number, limit: number): Promise<CheckpointRow[]> {
    const { rows } = await this.db.query<RawCheckpoint>(sql.CHECKPOINTS_PAGE, [afterId, limit]);
    return rows.map(toCheckpoint);
  }

  /** Leaf hashes of the event rows at positions [from, to), with the positions found. */
  async eventLeafHashes(from: number, to: number): Promise<Array<{ position: number; leafHash: Buffer }>> {
    const { rows } = await this.db.query<{ position: number; leaf_hash: Buffer }>(sql.EVENT_LEAF_HASHES, [from, to]);
    return rows.map((row) => ({ position: row.position, leafHash: row.leaf_hash }));
  }

  /**
   * The stored leaf hashes [from, from + count) of each range, one Buffer per range, in
   * order. A range the stored rows do not fully cover comes back shorter.
   */
  async storedLeafRanges(ranges: ReadonlyArray<{ from: number; count: number }>): Promise<Buffer[]> {
    if (ranges.length === 0) return [];
    const { rows } = await this.db.query<{ first_position: number; leaf_hashes: Buffer; range_number: number }>(
      sql.LEAF_ROWS_OVERLAPPING,
      [ranges.map((r) => r.from), ranges.map((r) => r.from + r.count), MAX_LEAVES_PER_ROW],
    );
    return ranges.map((range, i) => {
      const mine = rows.filter((row) => Number(row.range_number) === i + 1);
      return sliceLeaves(mine, range.from, range.from + range.count);
    });
  }

  /** Stored leaf rows in position order from `firstPosition` on: the verifier's stream. */
  async storedLeafRows(firstPosition: number, limit: number): Promise<Array<{ firstPosition: number; leafHashes: Buffer }>> {
    const { rows } = await this.db.query<{ first_position: number; leaf_hashes: Buffer }>(sql.LEAF_ROWS_PAGE, [firstPosition, limit]);
    return rows.map((row) => ({ firstPosition: row.first_position, leafHashes: row.leaf_hashes }));
  }

  async storedLeafCount(): Promise<number> {
    const { rows } = await this.db.query<{ count: number }>(sql.STORED_LEAF_COUNT);
    return rows[0] ? Number(rows[0].count) : 0;
  }

  /** Stored subtree hashes of each range (height, indexes [from, from + count)), in order. */
  async subtreeRanges(ranges: ReadonlyArray<{ height: number; from: number; count: number }>): Promise<Buffer[][]> {
    if (ranges.length === 0) return [];
    const { rows } = await this.db.query<{ index: number; hash: Buffer; range_number: number }>(sql.SUBTREE_RANGES, [
      ranges.map((r) => r.height),
      ranges.map((r) => r.from),
      ranges.map((r) => r.from + r.count),
    ]);
    return ranges.map((range, i) => {
      const mine = rows.filter((row) => Number(row.range_number) === i + 1);
      // Only a gap-free run starting at `from` is usable; a shorter answer tells the caller.
      const run: Buffer[] = [];
      for (const row of mine) {
        if (row.index !== range.from + run.length) break;
        run.push(row.hash);
      }
      return run;
    });
  }

  async subtreesAt(wanted: ReadonlyArray<{ height: number; index: number }>): Promise<SubtreeRow[]> {
    if (wanted.length === 0) return [];
    const { rows } = await this.db.query<{ height: number; index: number; hash: Buffer }>(sql.SUBTREES_AT, [
      wanted.map((w) => w.height),
      wanted.map((w) => w.index),
    ]);
    return rows;
  }

  async keyRecords(): Promise<KeyRecordRow[]> {
    const { rows } = await this.db.query<{ key_id: string; key_name: string; vkey: string; not_before: Date; not_after: Date | null }>(
      sql.KEY_RECORDS,
    );
    return rows.map((row) => ({ keyId: row.key_id, keyName: row.key_name, vkey: row.vkey, notBefore: row.not_before, notAfter: row.not_after }));
  }

  async insertKeyRecord(record: KeyRecordRow): Promise<void> {
    await this.db.query(sql.INSERT_KEY_RECORD, [record.keyId, record.keyName, record.vkey, record.notBefore, record.notAfter]);
  }

  /** The first stored event of this source id, with its canonical document. */
  async eventForProof(eventId: string): Promise<{ position: number; document: string } | null> {
    const { rows } = await this.db.query<{ position: number; document: string }>(sql.EVENT_FOR_PROOF, [eventId]);
    return rows[0] ?? null;
  }

  /** Event rows with positions in [from, to), in position order (duplicates included). */
  async eventsForVerification(from: number, to: number): Promise<VerificationEventRow[]> {
    const { rows } = await this.db.query<RawVerificationRow>({ text: sql.EVENTS_FOR_VERIFICATION, values: [from, to], rowMode: 'array' });
    return rows.map((r) => ({
      position: r[0],
      leafHash: r[1],
      document: r[2],
      columns: {
        timeMs: r[3],
        receivedAtMs: r[4],
        eventId: r[5],
        originSystem: r[6],
        category: r[7],
        type: r[8],
        actorSubject: r[9],
        actorPrincipal: r[10],
        actorKind: r[11],
        action: r[12],
        targetId: r[13],
        outcome: r[14],
        sourceIp: r[15],
        kafkaTopic: r[16],
        kafkaPartition: r[17],
        kafkaOffset: r[18],
      },
    }));
  }

  /** The lowest position at or after `position` that an event row has, or null. */
  async nextEventPosition(position: number): Promise<number | null> {
    const { rows } = await this.db.query<{ position: number | null }>(sql.NEXT_EVENT_POSITION, [position]);
    return rows[0]?.position ?? null;
  }
}

/** Writes, only inside the tree lock (one extender at a time). */
export class MerkleLogWriter extends MerkleLogQueries {
  /** Stores leaf hashes starting at `firstPosition`, split into rows of MAX_LEAVES_PER_ROW. */
  async insertLeaves(firstPosition: number, leafHashes: Buffer): Promise<void> {
    const count = leafHashes.length / HASH_SIZE;
    if (count === 0) return;
    const firsts: number[] = [];
    const chunks: Buffer[] = [];
    for (let i = 0; i < count; i += MAX_LEAVES_PER_ROW) {
      firsts.push(firstPosition + i);
      chunks.push(leafHashes.subarray(i * HASH_SIZE, Math.min(count, i + MAX_LEAVES_PER_ROW) * HASH_SIZE));
    }
    await this.db.query(sql.INSERT_LEAF_ROWS, [firsts, chunks]);
  }

  async insertSubtrees(subtrees: readonly SubtreeRow[]): Promise<void> {
    if (subtrees.length === 0) return;
    await this.db.query(sql.INSERT_SUBTREES, [subtrees.map((s) => s.height), subtrees.map((s) => s.index), subtrees.map((s) => s.hash)]);
  }

  async insertCheckpoint(checkpoint: NewCheckpoint): Promise<number> {
    const { rows } = await this.db.query<{ id: number }>(sql.INSERT_CHECKPOINT, [
      checkpoint.treeSize,
      checkpoint.rootHash,
      checkpoint.time,
      checkpoint.origin,
      checkpoint.keyName,
      checkpoint.keyId,
      checkpoint.note,
    ]);
    return rows[0]!.id;
  }
}

export class MerkleLogRepository extends MerkleLogQueries {
  constructor(private readonly pool: Pool) {
    super(pool);
  }

  /**
   * Runs `work` in one transaction holding the tree lock (a transaction-scoped advisory
   * lock, so a crashed holder releases it). With `wait: false` returns `{ acquired: false }`
   * at once when another process holds it.
   */
  async withTreeLock<T>(wait: boolean, work: (writer: MerkleLogWriter) => Promise<T>): Promise<{ acquired: true; value: T } | { acquired: false }> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      if (wait) {
        await client.query(sql.WAIT_TREE_LOCK, [sql.TREE_LOCK_KEY]);
      } else {
        const { rows } = await client.query<{ acquired: boolean }>(sql.TRY_TREE_LOCK, [sql.TREE_LOCK_KEY]);
        if (!rows[0]!.acquired) {
          await client.query('ROLLBACK');
          return { acquired: false };
        }
      }
      const value = await work(new MerkleLogWriter(client));
      await client.query('COMMIT');
      return { acquired: true, value };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** Runs `work` on one consistent, read-only snapshot of the whole database. */
  async withSnapshot<T>(work: (queries: MerkleLogQueries) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query(sql.BEGIN_SNAPSHOT);
      const value = await work(new MerkleLogQueries(client));
      await client.query('COMMIT');
      return value;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

interface RawCheckpoint {
  id: number;
  tree_size: number;
  root_hash: Buffer;
  time: Date;
  origin: string;
  key_name: string;
  key_id: string;
  note: string;
}

type RawVerificationRow = [
  number, Buffer, string, number, number, string, string, string, string, string, string, string,
  string, string | null, string, string | null, string | null, number | null, string | null,
];

function toCheckpoint(row: RawCheckpoint): CheckpointRow {
  return {
    id: row.id,
    treeSize: row.tree_size,
    rootHash: row.root_hash,
    time: row.time,
    origin: row.origin,
    keyName: row.key_name,
    keyId: row.key_id,
    note: row.note,
  };
}

function sliceLeaves(rows: ReadonlyArray<{ first_position: number; leaf_hashes: Buffer }>, from: number, to: number): Buffer {
  const parts: Buffer[] = [];
  let next = from;
  for (const row of rows) {
    const rowEnd = row.first_position + row.leaf_hashes.length / HASH_SIZE;
    if (row.first_position > next || rowEnd <= next) continue;
    const end = Math.min(rowEnd, to);
    parts.push(row.leaf_hashes.subarray((next - row.first_position) * HASH_SIZE, (end - row.first_position) * HASH_SIZE));
    next = end;
    if (next >= to) break;
  }
  return Buffer.concat(parts);
}
