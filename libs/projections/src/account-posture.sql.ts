// SQL of the account-posture projection (migration 0007). The password policy is replaced
// only by a later (event time, ledger position) change.

const POLICY_NEWER = `EXCLUDED.password_policy_state IS NOT NULL AND (p.password_policy_at IS NULL OR
  (EXCLUDED.password_policy_at, EXCLUDED.password_policy_position) > (p.password_policy_at, p.password_policy_position))`;

export const UPSERT_ACCOUNTS = `
  INSERT INTO projection_account_posture AS p (account, events, first_seen, last_seen, password_policy_state, password_policy,
    password_policy_at, password_policy_position, password_policy_event_id)
  SELECT d.account, d.events, d.first_seen, d.last_seen, d.state, d.policy::jsonb, d.at, d.position, d.event_id
  FROM unnest($1::text[], $2::bigint[], $3::timestamptz[], $4::timestamptz[], $5::text[], $6::text[], $7::timestamptz[], $8::bigint[], $9::text[])
    AS d(account, events, first_seen, last_seen, state, policy, at, position, event_id)
  ON CONFLICT (account) DO UPDATE SET
    events = p.events + EXCLUDED.events,
    first_seen = LEAST(p.first_seen, EXCLUDED.first_seen),
    last_seen = GREATEST(p.last_seen, EXCLUDED.last_seen),
    password_policy_state = CASE WHEN ${POLICY_NEWER} THEN EXCLUDED.password_policy_state ELSE p.password_policy_state END,
    password_policy = CASE WHEN ${POLICY_NEWER} THEN EXCLUDED.password_policy ELSE p.password_policy END,
    password_policy_at = CASE WHEN ${POLICY_NEWER} THEN EXCLUDED.password_policy_at ELSE p.password_policy_at END,
    password_policy_position = CASE WHEN ${POLICY_NEWER} THEN EXCLUDED.password_policy_position ELSE p.password_policy_position END,
    password_policy_event_id = CASE WHEN ${POLICY_NEWER} THEN EXCLUDED.password_policy_event_id ELSE p.password_policy_event_id END`;

export const ACCOUNT = `
  SELECT account, events, first_seen, last_seen, password_policy_state, password_policy, password_policy_at, password_policy_event_id
  FROM projection_account_posture WHERE account = $1`;
