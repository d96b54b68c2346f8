// SQL of the subject-profiles projection (migration 0007). Counts add up; "latest" state
// (a membership, a key's status, the last sign-in) is replaced only by a later
// (event time, ledger position), so a batch applied in any split gives the same rows.

const NEWER = (table: string, at: string, position: string) =>
  `EXCLUDED.${at} IS NOT NULL AND (${table}.${at} IS NULL OR (EXCLUDED.${at}, EXCLUDED.${position}) > (${table}.${at}, ${table}.${position}))`;

const LOGIN_NEWER = NEWER('p', 'last_login_at', 'last_login_position');

export const UPSERT_ACTIVITY = `
  INSERT INTO projection_profile_activity AS p (subject, last_active_at, root_events, last_root_at, logins, mfa_logins,
    last_login_at, last_login_position, last_login_mfa, failed_logins, last_failed_login_at, factor_types, factor_methods)
  SELECT d.subject, d.last_active_at, d.root_events, d.last_root_at, d.logins, d.mfa_logins,
    d.last_login_at, d.last_login_position, d.last_login_mfa, d.failed_logins, d.last_failed_login_at,
    ARRAY(SELECT jsonb_array_elements_text(d.factor_types::jsonb)), ARRAY(SELECT jsonb_array_elements_text(d.factor_methods::jsonb))
  FROM unnest($1::text[], $2::timestamptz[], $3::bigint[], $4::timestamptz[], $5::bigint[], $6::bigint[],
    $7::timestamptz[], $8::bigint[], $9::text[], $10::bigint[], $11::timestamptz[], $12::text[], $13::text[])
    AS d(subject, last_active_at, root_events, last_root_at, logins, mfa_logins,
      last_login_at, last_login_position, last_login_mfa, failed_logins, last_failed_login_at, factor_types, factor_methods)
  ON CONFLICT (subject) DO UPDATE SET
    last_active_at = GREATEST(p.last_active_at, EXCLUDED.last_active_at),
    root_events = p.root_events + EXCLUDED.root_events,
    last_root_at = GREATEST(p.last_root_at, EXCLUDED.last_root_at),
    logins = p.logins + EXCLUDED.logins,
    mfa_logins = p.mfa_logins + EXCLUDED.mfa_logins,
    last_login_mfa = CASE WHEN ${LOGIN_NEWER} THEN EXCLUDED.last_login_mfa ELSE p.last_login_mfa END,
    last_login_at = CASE WHEN ${LOGIN_NEWER} THEN EXCLUDED.last_login_at ELSE p.last_login_at END,
    last_login_position = CASE WHEN ${LOGIN_NEWER} THEN EXCLUDED.last_login_position ELSE p.last_login_position END,
    failed_logins = p.failed_logins + EXCLUDED.failed_logins,
    last_failed_login_at = GREATEST(p.last_failed_login_at, EXCLUDED.last_failed_login_at),
    factor_types = ARRAY(SELECT DISTINCT f FROM unnest(p.factor_types || EXCLUDED.factor_types) AS f ORDER BY f),
    factor_methods = ARRAY(SELECT DISTINCT f FROM unnest(p.factor_methods || EXCLUDED.factor_methods) AS f ORDER BY f)`;

export const UPSERT_ROLE_USES = `
  INSERT INTO projection_profile_roles AS p (subject, role, role_name, uses, first_used, last_used)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::timestamptz[], $6::timestamptz[])
  ON CONFLICT (subject, role) DO UPDATE SET
    uses = p.uses + EXCLUDED.uses,
    first_used = LEAST(p.first_used, EXCLUDED.first_used),
    last_used = GREATEST(p.last_used, EXCLUDED.last_used)`;

export const UPSERT_MEMBERSHIPS = `
  INSERT INTO projection_profile_memberships AS p (member, group_id, group_name, active, changed_at, changed_position)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::boolean[], $5::timestamptz[], $6::bigint[])
  ON CONFLICT (member, group_id) DO UPDATE SET
    group_name = EXCLUDED.group_name, active = EXCLUDED.active,
    changed_at = EXCLUDED.changed_at, changed_position = EXCLUDED.changed_position
  WHERE (EXCLUDED.changed_at, EXCLUDED.changed_position) > (p.changed_at, p.changed_position)`;

export const UPSERT_POLICIES = `
  INSERT INTO projection_profile_policies AS p (holder, policy_type, policy, holder_type, account, attached, changed_at, changed_position)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::boolean[], $7::timestamptz[], $8::bigint[])
  ON CONFLICT (holder, policy_type, policy) DO UPDATE SET
    attached = EXCLUDED.attached, changed_at = EXCLUDED.changed_at, changed_position = EXCLUDED.changed_position
  WHERE (EXCLUDED.changed_at, EXCLUDED.changed_position) > (p.changed_at, p.changed_position)`;

const STATUS_NEWER = NEWER('p', 'status_changed_at', 'status_position');

export const UPSERT_ACCESS_KEYS = `
  INSERT INTO projection_profile_access_keys AS p (key_id, owner, account, created_at, status, status_changed_at, status_position, last_used_at)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::timestamptz[], $7::bigint[], $8::timestamptz[])
  ON CONFLICT (key_id) DO UPDATE SET
    owner = COALESCE(p.owner, EXCLUDED.owner),
    account = COALESCE(p.account, EXCLUDED.account),
    created_at = LEAST(p.created_at, EXCLUDED.created_at),
    status = CASE WHEN ${STATUS_NEWER} THEN EXCLUDED.status ELSE p.status END,
    status_changed_at = CASE WHEN ${STATUS_NEWER} THEN EXCLUDED.status_changed_at ELSE p.status_changed_at END,
    status_position = CASE WHEN ${STATUS_NEWER} THEN EXCLUDED.status_position ELSE p.status_position END,
    last_used_at = GREATEST(p.last_used_at, EXCLUDED.last_used_at)`;

const LIFECYCLE_NEWER = NEWER('p', 'lifecycle_at', 'lifecycle_position');
const MFA_NEWER = NEWER('p', 'mfa_at', 'mfa_position');

export const UPSERT_USERS = `
  INSERT INTO projection_profile_users AS p (subject, account, lifecycle, lifecycle_at, lifecycle_position, mfa, mfa_source, mfa_at, mfa_position, active_at)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::bigint[], $6::text[], $7::text[], $8::timestamptz[], $9::bigint[], $10::timestamptz[])
  ON CONFLICT (subject) DO UPDATE SET
    lifecycle = CASE WHEN ${LIFECYCLE_NEWER} THEN EXCLUDED.lifecycle ELSE p.lifecycle END,
    lifecycle_at = CASE WHEN ${LIFECYCLE_NEWER} THEN EXCLUDED.lifecycle_at ELSE p.lifecycle_at END,
    lifecycle_position = CASE WHEN ${LIFECYCLE_NEWER} THEN EXCLUDED.lifecycle_position ELSE p.lifecycle_position END,
    mfa = CASE WHEN ${MFA_NEWER} THEN EXCLUDED.mfa ELSE p.mfa END,
    mfa_source = CASE WHEN ${MFA_NEWER} THEN EXCLUDED.mfa_source ELSE p.mfa_source END,
    mfa_at = CASE WHEN ${MFA_NEWER} THEN EXCLUDED.mfa_at ELSE p.mfa_at END,
    mfa_position = CASE WHEN ${MFA_NEWER} THEN EXCLUDED.mfa_position ELSE p.mfa_position END,
    active_at = GREATEST(p.active_at, EXCLUDED.active_at)`;

export const UPSERT_CLOCKS = `
  INSERT INTO projection_profile_clocks AS p (system, last_event_at)
  SELECT * FROM unnest($1::text[], $2::timestamptz[])
  ON CONFLICT (system) DO UPDATE SET last_event_at = GREATEST(p.last_event_at, EXCLUDED.last_event_at)`;

// --- reads (SubjectProfilesRepository, AccountPostureRepository) ---

export const ACTIVITY_OF = `
  SELECT subject, last_active_at, root_events, last_root_at, logins, mfa_logins, last_login_at, last_login_mfa,
    failed_logins, last_failed_login_at, factor_types, factor_methods
  FROM projection_profile_activity WHERE subject = ANY($1::text[]) ORDER BY subject`;

export const ROLES_OF = `
  SELECT subject, role, role_name, uses, first_used, last_used
  FROM projection_profile_roles WHERE subject = ANY($1::text[]) AND uses > 0 ORDER BY role, subject`;

export const GROUPS_OF = `
  SELECT member, group_id, group_name, changed_at
  FROM projection_profile_memberships WHERE member = ANY($1::text[]) AND active ORDER BY group_id, member`;

export const POLICIES_HELD_BY = `
  SELECT holder, holder_type, policy_type, policy, changed_at
  FROM projection_profile_policies WHERE holder = ANY($1::text[]) AND attached ORDER BY holder, policy_type, policy`;

export const ACCESS_KEYS_OF = `
  SELECT key_id, owner, created_at, status, last_used_at
  FROM projection_profile_access_keys WHERE owner = ANY($1::text[]) ORDER BY key_id`;

export const USERS_NAMED = `
  SELECT subject, account, lifecycle, lifecycle_at, mfa, mfa_source, mfa_at, active_at
  FROM projection_profile_users WHERE subject = ANY($1::text[]) ORDER BY subject`;

/** The ledger's own records carry the wall clock at receipt: imported history would look idle next to them. */
export const SOURCES_CLOCK = `SELECT max(last_event_at) AS latest FROM projection_profile_clocks WHERE system <> 'ledger'`;

export const ROOT_KEYS_OF_ACCOUNT = `
  SELECT key_id, owner, created_at, status, last_used_at
  FROM projection_profile_access_keys
  WHERE owner = ANY($1::text[]) AND status IS DISTINCT FROM 'Deleted' ORDER BY key_id`;

export const USERS_OF_ACCOUNT = `
  SELECT subject, account, lifecycle, lifecycle_at, mfa, mfa_source, mfa_at, active_at
  FROM projection_profile_users WHERE account = $1 ORDER BY subject`;

export const DIRECT_USER_POLICIES_OF_ACCOUNT = `
  SELECT holder, holder_type, policy_type, policy, changed_at
  FROM projection_profile_policies WHERE account = $1 AND holder_type = 'user' AND attached ORDER BY holder, policy_type, policy`;
