// SQL of the event store's write side, run only by EventStoreRepository.

export const LOCK_HEAD = 'SELECT next_position FROM ledger_head FOR UPDATE';

export const ADVANCE_HEAD = 'UPDATE ledger_head SET next_position = $1';

export const LOOKUP_KEYS = `
  SELECT k.origin_system, k.event_id, k.content_hash, k.position
  FROM ledger_event_keys k
  JOIN unnest($1::text[], $2::text[]) AS wanted(origin_system, event_id)
    ON k.origin_system = wanted.origin_system AND k.event_id = wanted.event_id`;

export const ENSURE_PARTITION = 'SELECT ledger_ensure_partition($1::date)';

// Bulk inserts go through binary COPY (see binary-copy.ts); the column lists fix the order
// in which EventStoreRepository writes each row's fields.
export const COPY_EVENTS = `
  COPY ledger_events (
    position, time, received_at, event_id, origin_system, category, type,
    actor_subject, actor_principal, actor_kind, action, target_id, outcome, source_ip,
    kafka_topic, kafka_partition, kafka_offset, id_collision, content_hash, leaf_hash, document)
  FROM STDIN (FORMAT binary)`;

export const COPY_KEYS = `
  COPY ledger_event_keys (origin_system, event_id, content_hash, position) FROM STDIN (FORMAT binary)`;

export const INSERT_DUPLICATE_RECEIPTS = `
  INSERT INTO ledger_duplicate_receipts (position, received_at, kafka_topic, kafka_partition, kafka_offset)
  SELECT * FROM unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::integer[], $5::bigint[])`;

export const INSERT_REJECTIONS = `
  INSERT INTO ledger_rejections (received_at, channel, reason, message, record_index,
                                 kafka_topic, kafka_partition, kafka_offset, headers, raw)
  SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::integer[],
                       $6::text[], $7::integer[], $8::bigint[], $9::jsonb[], $10::bytea[])`;

export const UPSERT_OFFSET = `
  INSERT INTO ledger_consumer_offsets (group_id, topic, partition, next_offset)
  VALUES ($1, $2, $3, $4)
  ON CONFLICT (group_id, topic, partition)
  DO UPDATE SET next_offset = GREATEST(ledger_consumer_offsets.next_offset, EXCLUDED.next_offset), updated_at = now()`;

export const SELECT_OFFSETS = `
  SELECT topic, partition, next_offset FROM ledger_consumer_offsets WHERE group_id = $1`;

export const SELECT_OFFSET = `
  SELECT next_offset FROM ledger_consumer_offsets WHERE group_id = $1 AND topic = $2 AND partition = $3`;

export const SAVE_READER_CHECKPOINT = `
  INSERT INTO ledger_reader_checkpoints (reader, position) VALUES ($1, $2)
  ON CONFLICT (reader) DO UPDATE SET position = EXCLUDED.position, updated_at = now()`;

// Every append that stored something tells listeners in other processes (e.g. the service's
// readers while ingest workers append): delivered at commit, never for a rolled-back append.
export const APPENDED_CHANNEL = 'ledger_appended';

export const NOTIFY_APPENDED = `SELECT pg_notify('${APPENDED_CHANNEL}', $1)`;

export const LISTEN_APPENDED = `LISTEN ${APPENDED_CHANNEL}`;
