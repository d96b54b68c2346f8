-- 0002: tamper evidence (DESIGN 6; the algorithm is in docs/integrity.md).
--
-- The Merkle log over ledger_events (leaf i = leaf_hash of the event at position i) is
-- extended by one checkpointer at a time (transaction-scoped advisory lock) which, in one
-- transaction per pass, copies the new leaf hashes, stores the complete subtrees they
-- finish and appends a signed checkpoint of the new tree size. Every table here is
-- append-only like the ledger itself, and nothing here is trusted on its own word: each row
-- is authenticated by a checkpoint signature whose private key is never in the database.

-- A second, position-indexed copy of the leaf hashes, packed (at most 4096 per row, 32 bytes
-- each, rows contiguous from position 0). Proofs are built from it, and the verifier checks
-- it against the signed roots: once authenticated it says exactly which event was changed,
-- removed, inserted or moved, whatever was done to the ledger_events rows.
CREATE TABLE ledger_merkle_leaves (
  first_position bigint PRIMARY KEY CHECK (first_position >= 0),
  leaf_hashes    bytea  NOT NULL CHECK (length(leaf_hashes) BETWEEN 32 AND 131072 AND length(leaf_hashes) % 32 = 0)
);

-- The hash of every complete, aligned subtree whose height is a multiple of 8 (256, 65 536,
-- ... leaves): subtree `index` of height `height` covers leaves
-- [index * 2^height, (index + 1) * 2^height). With them a proof reads O(log n) rows.
CREATE TABLE ledger_merkle_subtrees (
  height smallint NOT NULL CHECK (height > 0 AND height % 8 = 0),
  index  bigint   NOT NULL CHECK (index >= 0),
  hash   bytea    NOT NULL CHECK (length(hash) = 32),
  PRIMARY KEY (height, index)
);

-- Signed checkpoints. `note` (a C2SP signed note) is the evidence; the other columns repeat
-- what it says so it can be queried, and the verifier checks that they agree with it.
CREATE TABLE ledger_checkpoints (
  id          bigserial   PRIMARY KEY,
  tree_size   bigint      NOT NULL CHECK (tree_size >= 0),
  root_hash   bytea       NOT NULL CHECK (length(root_hash) = 32),
  time        timestamptz NOT NULL,
  origin      text        NOT NULL,
  key_name    text        NOT NULL,
  key_id      text        NOT NULL,
  note        text        NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ledger_checkpoints_size_idx ON ledger_checkpoints (tree_size, id);

-- Public signing keys and their validity windows, as published at /v1/integrity/keys. A
-- rotation appends rows (the old key again with its not_after, the new key); the row with
-- the highest id per key_id is that key's current window. Auditors take the keys from the
-- operator out of band, not from here: this copy is for convenience and cross-checking.
CREATE TABLE ledger_signing_keys (
  id          bigserial   PRIMARY KEY,
  key_id      text        NOT NULL CHECK (key_id ~ '^[0-9a-f]{8}$'),
  key_name    text        NOT NULL,
  vkey        text        NOT NULL,
  not_before  timestamptz NOT NULL,
  not_after   timestamptz CHECK (not_after IS NULL OR not_after >= not_before),
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ledger_signing_keys_key_idx ON ledger_signing_keys (key_id, id);

-- Proofs are asked for by source event id (GET /v1/events/{id}/proof), as events are
-- (GET /v1/events/{id}): without this, each such lookup scans every key.
CREATE INDEX ledger_event_keys_event_id_idx ON ledger_event_keys (event_id);

SELECT ledger_protect_table('ledger_merkle_leaves');
SELECT ledger_protect_table('ledger_merkle_subtrees');
SELECT ledger_protect_table('ledger_checkpoints');
SELECT ledger_protect_table('ledger_signing_keys');

GRANT SELECT, INSERT ON ledger_merkle_leaves, ledger_merkle_subtrees, ledger_checkpoints, ledger_signing_keys TO ledger_service;
GRANT USAGE ON SEQUENCE ledger_checkpoints_id_seq, ledger_signing_keys_id_seq TO ledger_service;
