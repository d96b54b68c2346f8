-- 0001: the append-only event store (DESIGN 6).
--
-- ledger_events holds every accepted event once, in one global order (`position`, which is
-- also the event's leaf index in the Merkle log). Positions are handed out by the single
-- row of ledger_head, locked for the whole append transaction: appends are serialized from
-- position assignment to commit, so a reader that sees position N has already been able to
-- see every position below it (gap-safe readers without xmin tricks), and positions stay
-- contiguous (a rolled-back append gives its positions back).

CREATE TABLE ledger_head (
  singleton     boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  next_position bigint  NOT NULL
);
INSERT INTO ledger_head (next_position) VALUES (0);

CREATE TABLE ledger_events (
  position        bigint      NOT NULL,
  time            timestamptz NOT NULL,
  received_at     timestamptz NOT NULL,
  event_id        text        NOT NULL,
  origin_system   text        NOT NULL,
  category        text        NOT NULL,
  type            text        NOT NULL,
  actor_subject   text        NOT NULL,
  actor_principal text        NOT NULL,
  actor_kind      text        NOT NULL,
  action          text        NOT NULL,
  target_id       text,
  outcome         text        NOT NULL,
  source_ip       inet,
  kafka_topic     text,
  kafka_partition integer,
  kafka_offset    bigint,
  -- Another, different record already used this source event id (DESIGN 5.7): kept, flagged.
  id_collision    boolean     NOT NULL DEFAULT false,
  content_hash    bytea       NOT NULL,
  leaf_hash       bytea       NOT NULL,
  -- The whole event in its canonical JSON form; leaf_hash = SHA-256(0x00 || document).
  document        text        NOT NULL
) PARTITION BY RANGE (time);

-- Indexes declared on the parent are created on every partition.
CREATE INDEX ledger_events_position_idx ON ledger_events (position);
CREATE INDEX ledger_events_time_idx ON ledger_events (time, position);
CREATE INDEX ledger_events_subject_idx ON ledger_events (actor_subject, time, position);
CREATE INDEX ledger_events_principal_idx ON ledger_events (actor_principal, time, position);
CREATE INDEX ledger_events_target_idx ON ledger_events (target_id, time, position) WHERE target_id IS NOT NULL;

-- Source identity + content hash of every stored event: the idempotency key (DESIGN 5.7).
-- Unpartitioned so that a lookup is one index probe whatever the number of partitions.
CREATE TABLE ledger_event_keys (
  origin_system text   NOT NULL,
  event_id      text   NOT NULL,
  content_hash  bytea  NOT NULL,
  position      bigint NOT NULL,
  PRIMARY KEY (origin_system, event_id, content_hash)
);
CREATE UNIQUE INDEX ledger_event_keys_position_idx ON ledger_event_keys (position);

-- Each re-delivery of an already stored record is counted here, never stored again.
CREATE TABLE ledger_duplicate_receipts (
  position        bigint      NOT NULL,
  received_at     timestamptz NOT NULL,
  kafka_topic     text,
  kafka_partition integer,
  kafka_offset    bigint
);

-- Kafka offsets consumed, written in the same transaction as the events they produced, so
-- that the store itself knows exactly what it has ingested (at-least-once into idempotent append).
CREATE TABLE ledger_consumer_offsets (
  group_id    text    NOT NULL,
  topic       text    NOT NULL,
  partition   integer NOT NULL,
  next_offset bigint  NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (group_id, topic, partition)
);

-- Records that could not become events, with their original bytes. Also the outbox from
-- which the dead-letter topic is published, so that no rejection is lost on a crash.
CREATE TABLE ledger_rejections (
  id              bigserial   PRIMARY KEY,
  received_at     timestamptz NOT NULL,
  channel         text        NOT NULL,
  reason          text        NOT NULL,
  message         text        NOT NULL,
  record_index    integer,
  kafka_topic     text,
  kafka_partition integer,
  kafka_offset    bigint,
  headers         jsonb       NOT NULL DEFAULT '{}'::jsonb,
  raw             bytea       NOT NULL
);

-- How far each position-driven reader (DLQ relay, projections, anomaly output) has got.
CREATE TABLE ledger_reader_checkpoints (
  reader     text        PRIMARY KEY,
  position   bigint      NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Append-only in the database itself: any UPDATE, DELETE or TRUNCATE is refused, whoever
-- asks. Statement-level triggers refuse even a statement that matches no row; they do not
-- propagate to partitions, so ledger_ensure_partition() adds them to each new partition.
CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger is append-only: % on % refused', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE FUNCTION ledger_protect_table(table_name regclass) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format(
    'CREATE TRIGGER ledger_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON %s '
    'FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change()', table_name);
END;
$$;

SELECT ledger_protect_table('ledger_events');
SELECT ledger_protect_table('ledger_event_keys');
SELECT ledger_protect_table('ledger_duplicate_receipts');
SELECT ledger_protect_table('ledger_rejections');

-- SECURITY DEFINER: the service role may create a month's partition but not other tables.
CREATE FUNCTION ledger_ensure_partition(month_start date) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
  partition_name text := 'ledger_events_' || to_char(month_start, 'YYYY_MM');
BEGIN
  IF to_regclass(partition_name) IS NOT NULL THEN
    RETURN;
  END IF;
  EXECUTE format('CREATE TABLE %I PARTITION OF ledger_events FOR VALUES FROM (%L) TO (%L)',
                 partition_name, month_start, (month_start + interval '1 month')::date);
  PERFORM ledger_protect_table(partition_name::regclass);
END;
$$;

-- The role a production deployment should run the service as: it may read and append,
-- nothing else. (The triggers above hold even for the owner and for superusers, short of
-- disabling triggers, which the integrity verifier detects.)
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ledger_service') THEN
    CREATE ROLE ledger_service NOLOGIN;
  END IF;
END;
$$;
GRANT SELECT, INSERT ON ledger_events, ledger_event_keys, ledger_duplicate_receipts, ledger_rejections TO ledger_service;
GRANT SELECT, INSERT, UPDATE ON ledger_head, ledger_consumer_offsets, ledger_reader_checkpoints TO ledger_service;
GRANT USAGE ON SEQUENCE ledger_rejections_id_seq TO ledger_service;
GRANT EXECUTE ON FUNCTION ledger_ensure_partition(date) TO ledger_service;
