-- 0006: anomalies (DESIGN 7). Anomalies and their triage are ledger events
-- (`accountability.anomaly.raised`, `accountability.anomaly.triaged`); these tables are
-- derived from them.

-- The current state of every anomaly (GET /v1/anomalies), kept by the `anomalies` projection.
CREATE TABLE projection_anomalies (
  id              text        PRIMARY KEY,
  type            text        NOT NULL,
  severity        text        NOT NULL,
  subject         text        NOT NULL,
  time            timestamptz NOT NULL,
  late            boolean     NOT NULL,
  evidence        jsonb       NOT NULL,
  facts           jsonb       NOT NULL,
  details         jsonb       NOT NULL,
  status          text        NOT NULL,
  history         jsonb       NOT NULL,
  raised_position bigint      NOT NULL,
  updated_at      timestamptz NOT NULL
);
CREATE INDEX projection_anomalies_time_idx ON projection_anomalies (time, id);
CREATE INDEX projection_anomalies_subject_idx ON projection_anomalies (subject, time, id);

-- The detector's baseline state as of a ledger position, so a restart resumes instead of
-- replaying everything. Replaying from a snapshot is harmless: anomaly events are
-- deterministic and their append is idempotent.
CREATE TABLE detection_snapshots (
  reader     text        PRIMARY KEY,
  position   bigint      NOT NULL,
  state      text        NOT NULL,
  saved_at   timestamptz NOT NULL DEFAULT now()
);

GRANT SELECT, INSERT, UPDATE, DELETE ON projection_anomalies, detection_snapshots TO ledger_service;
