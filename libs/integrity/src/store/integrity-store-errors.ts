import { DomainError } from '#domain';

/** Why the Merkle log cannot be extended or read as asked. Stable strings. */
export type IntegrityStoreFailure =
  /** No usable signing key file. */
  | 'no_signing_key'
  /** The key file holds a key the keyring already calls retired: an unfinished rotation. */
  | 'retired_signing_key'
  /** The ledger's current key (in the database) is not this instance's: instances must share the key file. */
  | 'another_signing_key'
  /** The stored Merkle data does not match the latest signed checkpoint, or events are missing: run `ledger verify`. */
  | 'merkle_store_inconsistent';

/**
 * The integrity machinery refuses to go on: extending or proving from inconsistent data
 * would sign or serve a lie. Mapped to 500 `integrity_violation` by the API.
 */
export class IntegrityStoreError extends DomainError {
  constructor(
    readonly reason: IntegrityStoreFailure,
    message: string,
  ) {
    super('integrity_violation', message, { reason });
  }
}

/** The event exists but no checkpoint covers it yet. */
export class NotYetCheckpointedError extends DomainError {
  constructor(position: number, treeSize: number) {
    super(
      'conflict',
      `the event at position ${position} is not covered by the latest checkpoint (tree size ${treeSize}) yet; ` +
        'retry after the next checkpoint, or make one with POST /v1/integrity/checkpoints',
      { position, tree_size: treeSize },
    );
  }
}
