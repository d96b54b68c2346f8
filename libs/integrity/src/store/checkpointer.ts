import type { CheckpointRow, MerkleLogQueries, MerkleLogRepository, MerkleLogWriter } from '#event-store';
import type { Logger } from '#logging';
import { signCheckpoint, verifyCheckpoint } from '../checkpoint.js';
import { HASH_SIZE } from '../merkle.js';
import type { StoredSubtree } from '../subtree-cache.js';
import { TileFrontier } from '../tile-frontier.js';
import { IntegrityStoreError } from './integrity-store-errors.js';
import { type KeyWindow, type LoadedSigningKey, type SigningKeyFiles, toVerifierKeys } from './signing-key-files.js';

export interface CheckpointerOptions {
  /** The log's identity, the first line of every checkpoint. Fixed for the life of a log. */
  origin: string;
  /** Most leaves one pass (one transaction) takes in; a larger backlog takes several passes. */
  maxLeavesPerPass?: number;
  logger?: Logger;
}

export interface PassResult {
  /** The checkpoint this pass signed; null when it had nothing to do. */
  checkpoint: CheckpointRow | null;
  /** True when the tree now covers every event that was committed when the pass began. */
  caughtUp: boolean;
}

const READ_CHUNK = 16_384;

/**
 * Extends the Merkle log over ledger_events and signs checkpoints (DESIGN 6).
 *
 * One pass is one transaction under the tree lock (so one instance extends at a time, and a
 * crashed one leaves nothing half done): resume the tree's right edge at the latest
 * checkpoint, after checking that the stored Merkle data still leads to that checkpoint's
 * signed root; read the leaf hashes of the next positions, which appends hand out under the
 * ledger head lock, so every position below the head is committed and none is skipped; store
 * them with the subtrees they complete; sign and store a checkpoint of the new size.
 */
export class Checkpointer {
  readonly #maxLeaves: number;
  /** The right edge after this instance's last pass, reused when no one else has extended since. */
  #cache: { size: number; root: Buffer; frontier: TileFrontier } | null = null;

  constructor(
    private readonly repository: MerkleLogRepository,
    private readonly keys: SigningKeyFiles,
    private readonly options: CheckpointerOptions,
  ) {
    this.#maxLeaves = options.maxLeavesPerPass ?? 262_144;
  }

  /**
   * One pass. `periodic`: skipped when another instance holds the lock or the tree has not
   * grown. `forced`: waits for the lock and signs a fresh checkpoint even at the same size.
   */
  async pass(mode: 'periodic' | 'forced'): Promise<PassResult> {
    const outcome = await this.repository.withTreeLock(mode === 'forced', async (writer) => {
      const { key } = this.keys.ensure();
      await this.syncKeyRecords(writer);
      return this.extend(writer, key, mode === 'forced');
    });
    if (!outcome.acquired) return { checkpoint: null, caughtUp: false };
    return this.commit(outcome.value);
  }

  /** Brings the tree up to the head as of now and signs a checkpoint of it (at least one). */
  async checkpointNow(): Promise<CheckpointRow> {
    let result = await this.pass('forced');
    while (!result.caughtUp) result = await this.pass('forced');
    return result.checkpoint!;
  }

  /**
   * Rotates the signing key under the tree lock and signs a checkpoint with the new key at
   * once, so the latest checkpoint always carries the current key.
   */
  async rotateKey(): Promise<{ retired: KeyWindow; current: KeyWindow; checkpoint: CheckpointRow }> {
    const outcome = await this.repository.withTreeLock(true, async (writer) => {
      this.keys.ensure();
      await this.syncKeyRecords(writer);
      const rotated = this.keys.rotate();
      await this.syncKeyRecords(writer);
      const extended = await this.extend(writer, rotated.key, true);
      return { rotated, extended };
    });
    if (!outcome.acquired) throw new Error('unreachable: waiting for the tree lock always acquires it');
    const { checkpoint } = this.commit(outcome.value.extended);
    return { retired: outcome.value.rotated.retired, current: outcome.value.rotated.current, checkpoint: checkpoint! };
  }

  private commit(extended: Extension): PassResult {
    if (extended.checkpoint) this.#cache = { size: extended.frontier.size, root: extended.checkpoint.rootHash, frontier: extended.frontier };
    return { checkpoint: extended.checkpoint, caughtUp: extended.caughtUp };
  }

  private async extend(writer: MerkleLogWriter, key: LoadedSigningKey, force: boolean): Promise<Extension> {
    const latest = await writer.latestCheckpoint();
    const frontier = (await this.frontierAt(writer, latest)).clone();
    const start = frontier.size;
    const head = await writer.headPosition();
    if (head < start) {
      throw new IntegrityStoreError(
        'merkle_store_inconsistent',
        `the ledger head (${head}) is below the latest checkpoint's tree size (${start}): events were removed; run ledger verify`,
      );
    }
    const target = Math.min(head, start + this.#maxLeaves);
    if (target === start && !force) return { checkpoint: null, frontier, caughtUp: true };

    const subtrees: StoredSubtree[] = [];
    for (let from = start; from < target; from += READ_CHUNK) {
      const to = Math.min(target, from + READ_CHUNK);
      const rows = await writer.eventLeafHashes(from, to);
      const broken = firstBreak(rows, from, to);
      if (broken >= 0) {
        throw new IntegrityStoreError(
          'merkle_store_inconsistent',
          `ledger_events has no single event at position ${from + broken} below the head (${head}); refusing to sign; run ledger verify`,
        );
      }
      const leaves = Buffer.allocUnsafe((to - from) * HASH_SIZE);
      rows.forEach((row, i) => {
        if (row.leafHash.length !== HASH_SIZE) {
          throw new IntegrityStoreError('merkle_store_inconsistent', `the leaf hash at position ${row.position} is not ${HASH_SIZE} bytes`);
        }
        row.leafHash.copy(leaves, i * HASH_SIZE);
        for (const subtree of frontier.append(row.leafHash)) subtrees.push(subtree);
      });
      await writer.insertLeaves(from, leaves);
    }
    await writer.insertSubtrees(subtrees);

    const previous = latest?.time.getTime() ?? 0;
    // Checkpoint times never go backwards, even if this host's clock does.
    const time = new Date(Math.max(Date.now(), previous));
    const rootHash = frontier.root();
    const note = signCheckpoint({ origin: this.options.origin, treeSize: target, rootHash, time }, key);
    const record = { treeSize: target, rootHash, time, origin: this.options.origin, keyName: key.name, keyId: key.keyId, note };
    const id = await writer.insertCheckpoint(record);
    this.options.logger?.debug({ tree_size: target, key_id: key.keyId, new_leaves: target - start }, 'signed checkpoint');
    return { checkpoint: { id, ...record }, frontier, caughtUp: target === head };
  }

  /** The right edge of the tree at the latest checkpoint, checked against its signed root. */
  private async frontierAt(queries: MerkleLogQueries, latest: CheckpointRow | null): Promise<TileFrontier> {
    if (!latest) {
      if ((await queries.storedLeafCount()) > 0) {
        throw new IntegrityStoreError('merkle_store_inconsistent', 'Merkle leaves are stored but no checkpoint is: checkpoints were removed; run ledger verify');
      }
      return new TileFrontier();
    }
    const cache = this.#cache;
    if (cache && cache.size === latest.treeSize && cache.root.equals(latest.rootHash)) return cache.frontier;

    let signed;
    try {
      signed = verifyCheckpoint(latest.note, toVerifierKeys(this.keys.trustedKeys()), { origin: this.options.origin });
    } catch (error) {
      throw new IntegrityStoreError(
        'merkle_store_inconsistent',
        `the latest checkpoint (id ${latest.id}) does not verify: ${(error as Error).message}; refusing to extend it; run ledger verify`,
      );
    }
    if (signed.treeSize !== latest.treeSize || !signed.rootHash.equals(latest.rootHash)) {
      throw new IntegrityStoreError('merkle_store_inconsistent', `checkpoint id ${latest.id}: its columns disagree with its signed note; run ledger verify`);
    }
    const reads = TileFrontier.resumeReads(signed.treeSize);
    const leafReads = reads.filter((read) => read.height === 0);
    const subtreeReads = reads.filter((read) => read.height > 0);
    const [leaves, subtrees] = await Promise.all([queries.storedLeafRanges(leafReads), queries.subtreeRanges(subtreeReads)]);
    const byRead = new Map<object, Buffer[]>();
    leafReads.forEach((read, i) => byRead.set(read, splitHashes(leaves[i])));
    subtreeReads.forEach((read, i) => byRead.set(read, subtrees[i]));
    const pending = reads.map((read) => byRead.get(read)!);
    if (pending.some((hashes, i) => hashes.length !== reads[i].count)) {
      throw new IntegrityStoreError('merkle_store_inconsistent', `stored Merkle data up to ${signed.treeSize} is incomplete; run ledger verify`);
    }
    const frontier = TileFrontier.resume(signed.treeSize, pending);
    if (!frontier.root().equals(signed.rootHash)) {
      throw new IntegrityStoreError(
        'merkle_store_inconsistent',
        `the stored Merkle data does not lead to the signed root of checkpoint ${signed.treeSize}; refusing to extend; run ledger verify`,
      );
    }
    return frontier;
  }

  /**
   * Makes the published key records (ledger_signing_keys) say what the keyring says,
   * appending a row for each key whose window changed. An active key in the database that
   * this instance does not know means another instance signs with another key file.
   */
  private async syncKeyRecords(writer: MerkleLogWriter): Promise<void> {
    const ring = this.keys.trustedKeys();
    const records = await writer.keyRecords();
    const foreign = records.filter((r) => r.notAfter === null && !ring.some((k) => k.key_id === r.keyId));
    if (foreign.length > 0) {
      throw new IntegrityStoreError(
        'another_signing_key',
        `the ledger's current signing key is ${foreign[0]!.vkey}, which this instance's keyring (${this.keys.verifierKeysFile}) does not know: ` +
          'every instance must use the same key files (LEDGER_SIGNING_KEY_FILE, LEDGER_VERIFIER_KEYS_FILE)',
      );
    }
    for (const key of ring) {
      const record = records.find((r) => r.keyId === key.key_id);
      const notAfter = record?.notAfter ? record.notAfter.toISOString() : null;
      if (record && record.notBefore.toISOString() === key.not_before && notAfter === key.not_after) continue;
      await writer.insertKeyRecord({
        keyId: key.key_id,
        keyName: key.name,
        vkey: key.vkey,
        notBefore: new Date(key.not_before),
        notAfter: key.not_after === null ? null : new Date(key.not_after),
      });
    }
  }
}

interface Extension {
  checkpoint: CheckpointRow | null;
  frontier: TileFrontier;
  caughtUp: boolean;
}

/** Offset of the first position in [from, to) without exactly one row, or -1. */
function firstBreak(rows: ReadonlyArray<{ position: number }>, from: number, to: number): number {
  for (let i = 0; i < to - from; i++) if (rows[i]?.position !== from + i) return i;
  return rows.length === to - from ? -1 : to - from;
}

function splitHashes(buffer: Buffer): Buffer[] {
  const hashes: Buffer[] = [];
  for (let i = 0; i + HASH_SIZE <= buffer.length; i += HASH_SIZE) hashes.push(buffer.subarray(i, i + HASH_SIZE));
  return hashes;
}
