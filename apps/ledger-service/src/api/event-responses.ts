import type { EventPage, StoredEvent } from '#event-store';
import { JsonText } from './json-text.js';
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

/**
 * A page of events as response text. An event as stored is sent as its stored canonical JSON
 * with the `ledger` member spliced in before the closing brace, the same JSON as
 * `toEventResponse` would give but without parsing and re-serializing kilobytes per event:
 * who-did-what pages are the API's hottest path (DESIGN 10).
 */
export function toPageResponse(page: EventPage): JsonText {
  const items = page.items.map((stored) =>
    stored.document !== undefined && stored.reattribution === null && !stored.document.includes('"ledger":')
      ? `${stored.document.slice(0, -1)},"ledger":{"position":${stored.position},"id_collision":${stored.idCollision}}}`
      : JSON.stringify(toEventResponse(stored)),
  );
  return new JsonText(`{"items":[${items.join(',')}],"next_cursor":${JSON.stringify(encodeCursor(page.next))}}`);
}
