// SQL of the event store's read side, run only by EventQueryRepository.

/** `where` is built from fixed clause templates with numbered parameters only. */
export function searchEvents(where: string, limitParameter: number): string {
  return `SELECT position, id_collision, document FROM ledger_events ${where}
          ORDER BY time, position LIMIT $${limitParameter}`;
}

export const FIND_BY_SOURCE_ID = `
  SELECT e.position, e.id_collision, e.document
  FROM ledger_event_keys k JOIN ledger_events e ON e.position = k.position
  WHERE k.event_id = $1
  ORDER BY e.position`;

export const FIND_BY_POSITION = 'SELECT position, id_collision, document FROM ledger_events WHERE position = $1';

export const SUBJECT_EXISTS = 'SELECT 1 FROM ledger_events WHERE actor_subject = $1 LIMIT 1';

export const STATISTICS = `
  SELECT (SELECT next_position FROM ledger_head) AS events,
         (SELECT count(*) FROM ledger_rejections)::bigint AS rejections,
         (SELECT count(*) FROM ledger_duplicate_receipts)::bigint AS duplicates`;
