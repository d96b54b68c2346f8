import type { EventPage, StoredEvent } from '#event-store';
import { encodeCursor } from './query-parameters.js';

export function toEventResponse(stored: StoredEvent) {
  const reattributed = stored.reattribution
    ? {
        reattributed_from: {
          subject: stored.reattribution.previousSubject,
          attribution: stored.reattribution.previousAttribution,
          resolved_by_position: stored.reattribution.resolvedByPosition,
        },
      }
    : {};
  return { ...stored.event, ledger: { position: stored.position, id_collision: stored.idCollision, ...reattributed } };
}

export function toPageResponse(page: EventPage) {
  return { items: page.items.map(toEventResponse), next_cursor: encodeCursor(page.next) };
}
