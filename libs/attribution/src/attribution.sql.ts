// SQL of the attribution projections (migration 0003), run only by the attribution repositories.

export const FIND_CREDENTIALS = `
  SELECT credential_id, subject, attribution, kind, via, session_name, issued_at, expires_at
  FROM ledger_credentials WHERE credential_id = ANY($1::text[])`;

export const INSERT_CREDENTIALS = `
  INSERT INTO ledger_credentials (credential_id, subject, attribution, kind, via, session_name, issued_position, issued_at, expires_at)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::timestamptz[], $9::timestamptz[])
  ON CONFLICT (credential_id) DO NOTHING`;

export const INSERT_UNRESOLVED = `
  INSERT INTO ledger_unresolved_credentials (credential_id, position)
  SELECT * FROM unnest($1::text[], $2::bigint[]) ON CONFLICT DO NOTHING`;

export const TAKE_UNRESOLVED = `
  DELETE FROM ledger_unresolved_credentials u
  WHERE u.credential_id = ANY($1::text[])
  RETURNING u.credential_id, u.position`;

export const EVENTS_AT = `SELECT position, document FROM ledger_events WHERE position = ANY($1::bigint[])`;

export const INSERT_REATTRIBUTION = `
  INSERT INTO ledger_reattributions (position, time, subject, attribution, kind, via, claim_contradicted, resolved_by_position)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
  ON CONFLICT (position) DO NOTHING`;

export const FIND_ALIASES = `SELECT alias, person FROM ledger_identity_aliases WHERE alias = ANY($1::text[])`;

export const LINK_ALIAS = `
  INSERT INTO ledger_identity_aliases (alias, person, linked_position) VALUES ($1, $2, $3)
  ON CONFLICT (alias) DO UPDATE SET person = EXCLUDED.person, linked_position = EXCLUDED.linked_position`;

export const UNLINK_ALIAS = `DELETE FROM ledger_identity_aliases WHERE alias = $1 AND person = $2`;

export const ALIASES_OF = `
  WITH person AS (SELECT person FROM ledger_identity_aliases WHERE alias = $1 OR person = $1 LIMIT 1)
  SELECT a.alias, a.person FROM ledger_identity_aliases a JOIN person p ON a.person = p.person ORDER BY a.alias`;
