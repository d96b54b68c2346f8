-- 0007: the accountability profile (GET /v1/subjects/{subject}) and the account posture
-- (GET /v1/accounts/{account}/posture), DESIGN 7 and 8. Derived data like 0005: the
-- `subject-profiles` and `account-posture` projections keep these tables and
-- `ledger rebuild` empties and replays them.

-- What each subject did: sign-ins and MFA, factors, root use, last activity.
CREATE TABLE projection_profile_activity (
  subject               text        PRIMARY KEY,
  last_active_at        timestamptz,
  root_events           bigint      NOT NULL,
  last_root_at          timestamptz,
  logins                bigint      NOT NULL,
  mfa_logins            bigint      NOT NULL,
  last_login_at         timestamptz,
  last_login_position   bigint,
  last_login_mfa        text,
  failed_logins         bigint      NOT NULL,
  last_failed_login_at  timestamptz,
  factor_types          text[]      NOT NULL,
  factor_methods        text[]      NOT NULL
);

-- Roles each subject acted through or assumed (uses drop when an event is re-attributed).
CREATE TABLE projection_profile_roles (
  subject     text        NOT NULL,
  role        text        NOT NULL,
  role_name   text        NOT NULL,
  uses        bigint      NOT NULL,
  first_used  timestamptz,
  last_used   timestamptz,
  PRIMARY KEY (subject, role)
);

-- Group memberships, under the member (latest add/remove wins).
CREATE TABLE projection_profile_memberships (
  member            text        NOT NULL,
  group_id          text        NOT NULL,
  group_name        text        NOT NULL,
  active            boolean     NOT NULL,
  changed_at        timestamptz NOT NULL,
  changed_position  bigint      NOT NULL,
  PRIMARY KEY (member, group_id)
);

-- Managed and inline policies, each under the user, group or role that holds it.
CREATE TABLE projection_profile_policies (
  holder            text        NOT NULL,
  policy_type       text        NOT NULL,
  policy            text        NOT NULL,
  holder_type       text        NOT NULL,
  account           text        NOT NULL,
  attached          boolean     NOT NULL,
  changed_at        timestamptz NOT NULL,
  changed_position  bigint      NOT NULL,
  PRIMARY KEY (holder, policy_type, policy)
);
CREATE INDEX projection_profile_policies_account_idx ON projection_profile_policies (account, holder_type) WHERE attached;

-- Long-term access keys: lifecycle from IAM calls, last use from the events they signed.
CREATE TABLE projection_profile_access_keys (
  key_id             text        PRIMARY KEY,
  owner              text,
  account            text,
  created_at         timestamptz,
  status             text,
  status_changed_at  timestamptz,
  status_position    bigint,
  last_used_at       timestamptz
);
CREATE INDEX projection_profile_access_keys_owner_idx ON projection_profile_access_keys (owner);

-- IAM users seen created or active, with their latest MFA evidence.
CREATE TABLE projection_profile_users (
  subject             text        PRIMARY KEY,
  account             text        NOT NULL,
  lifecycle           text,
  lifecycle_at        timestamptz,
  lifecycle_position  bigint,
  mfa                 text,
  mfa_source          text,
  mfa_at              timestamptz,
  mfa_position        bigint,
  active_at           timestamptz
);
CREATE INDEX projection_profile_users_account_idx ON projection_profile_users (account);

-- Latest event time per source system: the reference time for dormancy.
CREATE TABLE projection_profile_clocks (
  system         text        PRIMARY KEY,
  last_event_at  timestamptz NOT NULL
);

-- Per AWS account: activity span and the password policy in force.
CREATE TABLE projection_account_posture (
  account                   text        PRIMARY KEY,
  events                    bigint      NOT NULL,
  first_seen                timestamptz NOT NULL,
  last_seen                 timestamptz NOT NULL,
  password_policy_state     text,
  password_policy           jsonb,
  password_policy_at        timestamptz,
  password_policy_position  bigint,
  password_policy_event_id  text
);

GRANT SELECT, INSERT, UPDATE, DELETE ON projection_profile_activity, projection_profile_roles, projection_profile_memberships,
  projection_profile_policies, projection_profile_access_keys, projection_profile_users, projection_profile_clocks,
  projection_account_posture TO ledger_service;
