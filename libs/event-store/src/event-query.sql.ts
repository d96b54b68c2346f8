// SQL of the event store's read side, run only by EventQueryRepository.

const EVENT_COLUMNS = `e.position, e.time, e.id_collision, e.document,
  r.subject AS r_subject, r.attribution AS r_attribution, r.kind AS r_kind, r.via AS r_via,
  r.claim_contradicted AS r_claim_contradicted, r.resolved_by_position AS r_resolved_by`;

/** `clauses` are built from fixed templates with numbered parameters only. */
export function searchEvents(clauses: string[], limitParameter: string): string {
  return `SELECT ${EVENT_COLUMNS}
          FROM ledger_events e LEFT JOIN ledger_reattributions r ON r.position = e.position
          ${clauses.length ? `WHERE ${clauses.join(' AND ')}` : ''}
          ORDER BY e.time, e.position LIMIT ${limitParameter}`;
}

/**
 * A subject's events: those still attributed as stored, and those re-attributed to the
 * subject later (found through the re-attribution index), each an index-ordered scan with
 * its own limit, merged in one statement so that a page costs one round trip.
 */
export function searchSubjects(clauses: string[], subjectsParameter: string, limitParameter: string): string {
  const asStored = [...clauses, `e.actor_subject = ANY(${subjectsParameter}::text[])`, 'r.position IS NULL'];
  const resolvedLater = [...clauses, `r.subject = ANY(${subjectsParameter}::text[])`];
  return `SELECT * FROM (
            (SELECT ${EVENT_COLUMNS}
             FROM ledger_events e LEFT JOIN ledger_reattributions r ON r.position = e.position
             WHERE ${asStored.join(' AND ')}
             ORDER BY e.time, e.position LIMIT ${limitParameter})
            UNION ALL
            (SELECT ${EVENT_COLUMNS}
             FROM ledger_reattributions r JOIN ledger_events e ON e.position = r.position AND e.time = r.time
             WHERE ${resolvedLater.join(' AND ')}
             ORDER BY e.time, e.position LIMIT ${limitParameter})
          ) AS page
          ORDER BY time, position LIMIT ${limitParameter}`;
}

export const FIND_BY_SOURCE_ID = `
  SELECT ${EVENT_COLUMNS}
  FROM ledger_event_keys k JOIN ledger_events e ON e.position = k.position
  LEFT JOIN ledger_reattributions r ON r.position = e.position
  WHERE k.event_id = $1
  ORDER BY e.position`;

export const FIND_BY_POSITION = `
  SELECT ${EVENT_COLUMNS}
  FROM ledger_events e LEFT JOIN ledger_reattributions r ON r.position = e.position
  WHERE e.position = $1`;

export const SUBJECT_EXISTS = `
  SELECT 1 WHERE EXISTS (SELECT 1 FROM ledger_events WHERE actor_subject = ANY($1::text[]))
              OR EXISTS (SELECT 1 FROM ledger_reattributions WHERE subject = ANY($1::text[]))`;

export const STATISTICS = `
  SELECT (SELECT next_position FROM ledger_head) AS events,
         (SELECT count(*) FROM ledger_rejections)::bigint AS rejections,
         (SELECT count(*) FROM ledger_duplicate_receipts)::bigint AS duplicates`;

// Ledger order, for readers: the head lock makes positions visible in order (0001), so
// reading `position > last` never skips an event that commits late.
export const READ_AFTER = `
  SELECT e.position, e.time, e.id_collision, e.document,
         NULL AS r_subject, NULL AS r_attribution, NULL AS r_kind, NULL AS r_via,
         NULL AS r_claim_contradicted, NULL AS r_resolved_by
  FROM ledger_events e
  WHERE e.position > $1
  ORDER BY e.position LIMIT $2`;
