import type { PoolClient, StoredEvent } from '#event-store';

/**
 * A read model kept from the ledger. `evolve` is pure (given events → changes, tested
 * without I/O); `write` is the thin SQL side that applies the changes, in the same
 * transaction as the reader's checkpoint, so a crash never applies a batch twice.
 */
export interface Projection<Changes> {
  name: string;
  /** Tables a rebuild empties before replaying from position 0. */
  tables: string[];
  evolve(events: readonly StoredEvent[]): Changes;
  write(client: PoolClient, changes: Changes): Promise<void>;
}
