import type { CheckpointRow, MerkleLogQueries } from '#event-store';
import { InvalidArgumentError, NotFoundError } from '#domain';
import {
  type AsyncSubtreeHashSource,
  type SubtreeRange,
  HASH_SIZE,
  consistencyProofAsync,
  inclusionProofAsync,
  leafHash,
  perfectTreeRoot,
} from '../merkle.js';
import { type ConsistencyProofJson, type InclusionProofJson, toConsistencyProofJson, toInclusionProofJson } from '../proof-json.js';
import { subtreeReadPlan } from '../subtree-cache.js';
import { IntegrityStoreError, NotYetCheckpointedError } from './integrity-store-errors.js';

/** A checkpoint as the API publishes it. */
export interface PublishedCheckpoint {
  tree_size: number;
  /** Lower-case hex. */
  root_hash: string;
  time: string;
  origin: string;
  key_name: string;
  key_id: string;
  /** The signed note: verify this, not the fields above. */
  checkpoint: string;
}

export interface EventInclusionProof extends InclusionProofJson {
  event_id: string;
  /** The event's canonical JSON: leaf_hash = SHA-256(0x00 || UTF-8 bytes of this). */
  document: string;
}

export interface CheckpointConsistencyProof extends ConsistencyProofJson {
  first_checkpoint: string;
  second_checkpoint: string;
}

/**
 * Inclusion and consistency proofs (RFC 9162) from the stored Merkle data: each proof node
 * is one complete aligned subtree, read as at most 128 stored hashes of one level (see
 * subtreeReadPlan), so a proof costs two queries whatever the size of the log.
 */
export class LedgerProofs implements AsyncSubtreeHashSource {
  constructor(private readonly queries: MerkleLogQueries) {}

  async latestCheckpoint(): Promise<PublishedCheckpoint | null> {
    const row = await this.queries.latestCheckpoint();
    return row ? publishCheckpoint(row) : null;
  }

  async checkpoint(treeSize: number): Promise<PublishedCheckpoint> {
    return publishCheckpoint(await this.checkpointRow(treeSize));
  }

  /** Inclusion of the first stored event with this source id, against the latest checkpoint or the one of `treeSize`. */
  async inclusionProof(eventId: string, treeSize?: number): Promise<EventInclusionProof> {
    const event = await this.queries.eventForProof(eventId);
    if (!event) throw new NotFoundError('event', eventId);
    const checkpoint = treeSize === undefined ? await this.queries.latestCheckpoint() : await this.checkpointRow(treeSize);
    if (!checkpoint || event.position >= checkpoint.treeSize) throw new NotYetCheckpointedError(event.position, checkpoint?.treeSize ?? 0);
    const hashes = await inclusionProofAsync(event.position, checkpoint.treeSize, this);
    return {
      ...toInclusionProofJson({
        leafIndex: event.position,
        treeSize: checkpoint.treeSize,
        leafHash: leafHash(Buffer.from(event.document, 'utf8')),
        hashes,
        checkpoint: checkpoint.note,
      }),
      event_id: eventId,
      document: event.document,
    };
  }

  /** Consistency between the checkpoints of sizes `from` and `to` (default: the latest). */
  async consistencyProof(from: number, to?: number): Promise<CheckpointConsistencyProof> {
    const second = to === undefined ? await this.queries.latestCheckpoint() : await this.checkpointRow(to);
    if (!second) throw new NotFoundError('checkpoint', 'latest');
    const first = await this.checkpointRow(from);
    if (first.treeSize > second.treeSize) {
      throw new InvalidArgumentError('from', `from (${from}) must not be larger than to (${second.treeSize})`);
    }
    const hashes = await consistencyProofAsync(first.treeSize, second.treeSize, this);
    return {
      ...toConsistencyProofJson({ firstSize: first.treeSize, secondSize: second.treeSize, hashes }),
      first_checkpoint: first.note,
      second_checkpoint: second.note,
    };
  }

  async hashRanges(ranges: readonly SubtreeRange[]): Promise<Buffer[]> {
    const plans = ranges.map((range) => subtreeReadPlan(range.start, range.end));
    const leafPlans = plans.filter((plan) => plan.height === 0);
    const subtreePlans = plans.filter((plan) => plan.height > 0);
    const [leafHashes, subtreeHashes] = await Promise.all([
      this.queries.storedLeafRanges(leafPlans),
      this.queries.subtreeRanges(subtreePlans),
    ]);
    let nextLeaf = 0;
    let nextSubtree = 0;
    return plans.map((plan, i) => {
      const hashes = plan.height === 0 ? leafHashes[nextLeaf++] : Buffer.concat(subtreeHashes[nextSubtree++]);
      if (hashes.length !== plan.count * HASH_SIZE) {
        throw new IntegrityStoreError(
          'merkle_store_inconsistent',
          `stored Merkle data for leaves [${ranges[i].start}, ${ranges[i].end}) is incomplete; run ledger verify`,
        );
      }
      return perfectTreeRoot(hashes);
    });
  }

  private async checkpointRow(treeSize: number): Promise<CheckpointRow> {
    const row = await this.queries.checkpointOfSize(treeSize);
    if (!row) throw new NotFoundError('checkpoint of tree size', String(treeSize));
    return row;
  }
}

export function publishCheckpoint(row: CheckpointRow): PublishedCheckpoint {
  return {
    tree_size: row.treeSize,
    root_hash: row.rootHash.toString('hex'),
    time: row.time.toISOString(),
    origin: row.origin,
    key_name: row.keyName,
    key_id: row.keyId,
    checkpoint: row.note,
  };
}
