// SQL of the API key table (migration 0004), run only by ApiKeyRepository.

export const INSERT_KEY = `
  INSERT INTO ledger_api_keys (id, owner_subject, scopes, key_hash, created_at, created_by)
  VALUES ($1, $2, $3::text[], $4, $5::timestamptz, $6)`;

export const FIND_KEY = `
  SELECT id, owner_subject, scopes, key_hash, created_at, created_by, revoked_at, revoked_by, last_used_at
  FROM ledger_api_keys WHERE id = $1`;

export const LIST_KEYS = `
  SELECT id, owner_subject, scopes, key_hash, created_at, created_by, revoked_at, revoked_by, last_used_at
  FROM ledger_api_keys ORDER BY created_at, id`;

/** Only a key not yet revoked changes; the first revocation's time and author are kept. */
export const REVOKE_KEY = `
  UPDATE ledger_api_keys SET revoked_at = $2::timestamptz, revoked_by = $3
  WHERE id = $1 AND revoked_at IS NULL`;

export const TOUCH_KEYS = `
  UPDATE ledger_api_keys AS k SET last_used_at = u.used_at
  FROM unnest($1::text[], $2::timestamptz[]) AS u(id, used_at)
  WHERE k.id = u.id AND (k.last_used_at IS NULL OR k.last_used_at < u.used_at)`;
