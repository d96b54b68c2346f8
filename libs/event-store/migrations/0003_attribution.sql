-- 0003: attribution beyond the single record (DESIGN 4, 5.1): credential chains, late
-- re-attribution and the identity map. These are projections kept in step with the ledger
-- inside the append transaction; the ledger itself is never updated. Every re-attribution
-- is also appended to the ledger as an `identity.attribution.resolved` event.

-- Temporary credentials issued by STS (AssumeRole*, GetFederationToken, GetSessionToken):
-- later events signed with the key are attributed to whoever obtained it.
CREATE TABLE ledger_credentials (
  credential_id   text        PRIMARY KEY,
  subject         text        NOT NULL,
  attribution     text        NOT NULL,
  kind            text        NOT NULL,
  via             text,
  session_name    text,
  issued_position bigint      NOT NULL,
  issued_at       timestamptz NOT NULL,
  expires_at      timestamptz
);

-- Stored events whose credential was not known yet: resolved when its issuing event arrives.
CREATE TABLE ledger_unresolved_credentials (
  credential_id text   NOT NULL,
  position      bigint NOT NULL,
  PRIMARY KEY (credential_id, position)
);

-- The accountable subject of a stored event as later resolved (overrides actor_subject in queries).
CREATE TABLE ledger_reattributions (
  position             bigint      PRIMARY KEY,
  time                 timestamptz NOT NULL,
  subject              text        NOT NULL,
  attribution          text        NOT NULL,
  kind                 text        NOT NULL,
  via                  text,
  claim_contradicted   boolean     NOT NULL DEFAULT false,
  resolved_by_position bigint      NOT NULL
);
CREATE INDEX ledger_reattributions_subject_idx ON ledger_reattributions (subject, time, position);

-- Aliases of one person across systems, from the configured identity map and from
-- `identity.alias.linked` / `identity.alias.unlinked` events.
CREATE TABLE ledger_identity_aliases (
  alias           text   PRIMARY KEY,
  person          text   NOT NULL,
  linked_position bigint NOT NULL
);
CREATE INDEX ledger_identity_aliases_person_idx ON ledger_identity_aliases (person);

GRANT SELECT, INSERT, UPDATE, DELETE ON ledger_credentials, ledger_unresolved_credentials,
  ledger_reattributions, ledger_identity_aliases TO ledger_service;
