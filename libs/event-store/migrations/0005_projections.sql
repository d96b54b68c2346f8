-- 0005: read-model projections (DESIGN 11.4), driven from the store by checkpointed,
-- gap-safe readers (ledger_reader_checkpoints, 0001). Projection tables are derived data:
-- `ledger rebuild` empties them and replays the ledger from position 0.

-- Every accountable subject with its activity summary (GET /v1/subjects).
CREATE TABLE projection_subjects (
  subject        text        PRIMARY KEY,
  kinds          text[]      NOT NULL,
  events         bigint      NOT NULL,
  failures       bigint      NOT NULL,
  first_seen     timestamptz NOT NULL,
  last_seen      timestamptz NOT NULL,
  last_action    text        NOT NULL,
  root_events    bigint      NOT NULL
);
CREATE INDEX projection_subjects_last_seen_idx ON projection_subjects (last_seen DESC, subject);

GRANT SELECT, INSERT, UPDATE, DELETE ON projection_subjects TO ledger_service;
