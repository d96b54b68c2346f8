import { AttributionParticipant } from '#attribution';
import { EventStoreRepository, type Pool } from '#event-store';

/**
 * The event store as every writer must use it (service, CLI, tests): with the attribution
 * participant, so that credential chains, late re-attribution and the identity map are
 * applied whichever way an event arrives.
 */
export function createLedgerEventStore(pool: Pool): EventStoreRepository {
  return new EventStoreRepository(pool, [new AttributionParticipant()]);
}
