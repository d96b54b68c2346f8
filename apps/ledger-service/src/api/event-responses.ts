import type { EventPage, StoredEvent } from '#event-store';
import { encodeCursor } from './query-parameters.js';

export function toEventResponse(stored: StoredEvent) {
  return { ...stored.event, ledger: { position: stored.position, id_collision: stored.idCollision } };
}

export function toPageResponse(page: EventPage) {
  return { items: page.items.map(toEventResponse), next_cursor: encodeCursor(page.next) };
}
