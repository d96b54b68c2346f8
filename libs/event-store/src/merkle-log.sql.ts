// SQL of the Merkle log (migration 0002), run only by MerkleLogRepository.

/** One key for "extending the tree": checkpointer passes, on-demand checkpoints, key rotation. */
export const TREE_LOCK_KEY = 7_302_915_002;

export const TRY_TREE_LOCK = 'SELECT pg_try_advisory_xact_lock($1) AS acquired';
export const WAIT_TREE_LOCK = 'SELECT pg_advisory_xact_lock($1)';

export const HEAD = 'SELECT next_position FROM ledger_head';

const CHECKPOINT_COLUMNS = 'id, tree_size, root_hash, time, origin, key_name, key_id, note';

export const LATEST_CHECKPOINT = `SELECT ${CHECKPOINT_COLUMNS} FROM ledger_checkpoints ORDER BY tree_size DESC, id DESC LIMIT 1`;

export const CHECKPOINT_OF_SIZE = `SELECT ${CHECKPOINT_COLUMNS} FROM ledger_checkpoints WHERE tree_size = $1 ORDER BY id DESC LIMIT 1`;

export const CHECKPOINTS_PAGE = `SELECT ${CHECKPOINT_COLUMNS} FROM ledger_checkpoints WHERE id > $1 ORDER BY id LIMIT $2`;

export const INSERT_CHECKPOINT = `
  INSERT INTO ledger_checkpoints (tree_size, root_hash, time, origin, key_name, key_id, note)
  VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`;

/** Leaf hashes as the event rows carry them, by position, for the checkpointer. */
export const EVENT_LEAF_HASHES = `
  SELECT position, leaf_hash FROM ledger_events WHERE position >= $1 AND position < $2 ORDER BY position`;

/** Stored leaf rows that overlap [lo, hi): a row holds at most MAX_LEAVES_PER_ROW leaves. */
export const LEAF_ROWS_OVERLAPPING = `
  SELECT l.first_position, l.leaf_hashes, r.n AS range_number
  FROM unnest($1::bigint[], $2::bigint[]) WITH ORDINALITY AS r(lo, hi, n)
  JOIN ledger_merkle_leaves l ON l.first_position < r.hi AND l.first_position > r.lo - $3::bigint
  ORDER BY r.n, l.first_position`;

export const LEAF_ROWS_PAGE = `
  SELECT first_position, leaf_hashes FROM ledger_merkle_leaves
  WHERE first_position >= $1 ORDER BY first_position LIMIT $2`;

export const STORED_LEAF_COUNT = `
  SELECT first_position + length(leaf_hashes) / 32 AS count
  FROM ledger_merkle_leaves ORDER BY first_position DESC LIMIT 1`;

export const INSERT_LEAF_ROWS = `
  INSERT INTO ledger_merkle_leaves (first_position, leaf_hashes)
  SELECT * FROM unnest($1::bigint[], $2::bytea[])`;

export const SUBTREE_RANGES = `
  SELECT s.height, s.index, s.hash, r.n AS range_number
  FROM unnest($1::smallint[], $2::bigint[], $3::bigint[]) WITH ORDINALITY AS r(height, lo, hi, n)
  JOIN ledger_merkle_subtrees s ON s.height = r.height AND s.index >= r.lo AND s.index < r.hi
  ORDER BY r.n, s.index`;

export const SUBTREES_AT = `
  SELECT s.height, s.index, s.hash
  FROM unnest($1::smallint[], $2::bigint[]) AS w(height, index)
  JOIN ledger_merkle_subtrees s ON s.height = w.height AND s.index = w.index`;

export const INSERT_SUBTREES = `
  INSERT INTO ledger_merkle_subtrees (height, index, hash)
  SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[])`;

/** The current window of each key: its row with the highest id. */
export const KEY_RECORDS = `
  SELECT DISTINCT ON (key_id) key_id, key_name, vkey, not_before, not_after
  FROM ledger_signing_keys ORDER BY key_id, id DESC`;

export const INSERT_KEY_RECORD = `
  INSERT INTO ledger_signing_keys (key_id, key_name, vkey, not_before, not_after) VALUES ($1, $2, $3, $4, $5)`;

export const EVENT_FOR_PROOF = `
  SELECT e.position, e.document
  FROM ledger_event_keys k JOIN ledger_events e ON e.position = k.position
  WHERE k.event_id = $1
  ORDER BY e.position LIMIT 1`;

/**
 * Everything the verifier checks about each event row, in position order. Timestamps come
 * as epoch milliseconds and the address as text so that comparing them with the document
 * does not depend on the session's time zone or on Date parsing.
 */
export const EVENTS_FOR_VERIFICATION = `
  SELECT position, leaf_hash, document,
         (extract(epoch FROM time) * 1000)::float8 AS time_ms,
         (extract(epoch FROM received_at) * 1000)::float8 AS received_at_ms,
         event_id, origin_system, category, type, actor_subject, actor_principal, actor_kind,
         action, target_id, outcome, host(source_ip) AS source_ip, kafka_topic, kafka_partition,
         kafka_offset::text AS kafka_offset
  FROM ledger_events WHERE position >= $1 AND position < $2
  ORDER BY position, event_id`;

export const NEXT_EVENT_POSITION = 'SELECT min(position) AS position FROM ledger_events WHERE position >= $1';

export const BEGIN_SNAPSHOT = 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY';
