-- 0004: API keys (DESIGN 8, PCI DSS 7 and 8).
--
-- An operational table, not a ledger table: revoking a key and noting when it was last used
-- are updates here. Every creation and revocation is ALSO appended to the ledger as an
-- identity event (identity.api_key.created / identity.api_key.revoked), so the ledger itself
-- records who could read it; this table is only what the service checks a key against.
--
-- The key itself is never stored. key_hash is SHA-256 of the whole key: the secret part is
-- 32 random bytes, so there is nothing to guess and a slow, salted password hash would only
-- make every request dearer (see libs/access/src/api-key-format.ts).

CREATE TABLE ledger_api_keys (
  id            text        PRIMARY KEY CHECK (id ~ '^[0-9a-f]{16}$'),
  -- The accountable person the key acts for; reads with the key are attributed to them.
  owner_subject text        NOT NULL CHECK (length(owner_subject) BETWEEN 1 AND 1024),
  scopes        text[]      NOT NULL CHECK (cardinality(scopes) > 0),
  key_hash      bytea       NOT NULL UNIQUE CHECK (length(key_hash) = 32),
  created_at    timestamptz NOT NULL,
  created_by    text        NOT NULL,
  revoked_at    timestamptz,
  revoked_by    text,
  -- Refreshed in batches by the service (not per request), so it may lag by seconds.
  last_used_at  timestamptz,
  CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);

-- A key is never widened, handed to someone else, re-keyed or un-revoked: such a change
-- would make the identity events in the ledger lie about who could read it. Issue a new key
-- instead. Keys are never deleted either, so that old audit events keep their meaning.
CREATE FUNCTION ledger_api_keys_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'API keys are revoked, never deleted' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NEW.id IS DISTINCT FROM OLD.id OR NEW.owner_subject IS DISTINCT FROM OLD.owner_subject
     OR NEW.scopes IS DISTINCT FROM OLD.scopes OR NEW.key_hash IS DISTINCT FROM OLD.key_hash
     OR NEW.created_at IS DISTINCT FROM OLD.created_at OR NEW.created_by IS DISTINCT FROM OLD.created_by THEN
    RAISE EXCEPTION 'an API key''s identity, owner and scopes never change; issue a new key'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF OLD.revoked_at IS NOT NULL AND (NEW.revoked_at IS DISTINCT FROM OLD.revoked_at OR NEW.revoked_by IS DISTINCT FROM OLD.revoked_by) THEN
    RAISE EXCEPTION 'a revoked API key stays revoked' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER ledger_api_keys_guard BEFORE UPDATE OR DELETE ON ledger_api_keys
  FOR EACH ROW EXECUTE FUNCTION ledger_api_keys_guard();
CREATE TRIGGER ledger_api_keys_no_truncate BEFORE TRUNCATE ON ledger_api_keys
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();

-- The service checks keys and notes their use; creating and revoking keys is the operator's
-- CLI (`ledger keys ...`), which runs with the owner's rights, not the service role's.
GRANT SELECT ON ledger_api_keys TO ledger_service;
GRANT UPDATE (last_used_at) ON ledger_api_keys TO ledger_service;
