import type { Pool } from '#event-store';
import type { AccessKeyRow, AccountRow, ActivityRow, GroupRow, PolicyRow, PostureRows, ProfileRows, RoleRow, UserRow } from './accountability-views.js';
import * as postureSql from './account-posture.sql.js';
import { profileKeysOf, rootArnOf } from './iam-names.js';
import type { PasswordPolicySettings } from '#domain';
import * as sql from './subject-profiles.sql.js';

const iso = (value: unknown): string | null => (value instanceof Date ? value.toISOString() : null);

/** Reads the subject-profiles and account-posture projections for the API. */
export class AccountabilityRepository {
  constructor(private readonly pool: Pool) {}

  /** Every fact stored under any of these subjects (aliases of one person), and what they hold through groups and roles. */
  async profileRows(subjects: readonly string[]): Promise<ProfileRows> {
    const keys = profileKeysOf(subjects);
    const [activity, roles, groups, accessKeys, users] = await Promise.all([
      this.pool.query(sql.ACTIVITY_OF, [keys]),
      this.pool.query(sql.ROLES_OF, [keys]),
      this.pool.query(sql.GROUPS_OF, [keys]),
      this.pool.query(sql.ACCESS_KEYS_OF, [keys]),
      this.pool.query(sql.USERS_NAMED, [keys]),
    ]);
    const roleRows: RoleRow[] = roles.rows.map((r) => ({
      subject: r.subject,
      role: r.role,
      roleName: r.role_name,
      uses: Number(r.uses),
      firstUsed: iso(r.first_used),
      lastUsed: iso(r.last_used),
    }));
    const groupRows: GroupRow[] = groups.rows.map((g) => ({ member: g.member, group: g.group_id, groupName: g.group_name, since: iso(g.changed_at)! }));
    const holders = [...new Set([...keys, ...groupRows.map((g) => g.group), ...roleRows.map((r) => r.role)])];
    const policies = await this.pool.query(sql.POLICIES_HELD_BY, [holders]);
    return {
      keys,
      activity: activity.rows.map(toActivityRow),
      roles: roleRows,
      groups: groupRows,
      policies: policies.rows.map(toPolicyRow),
      accessKeys: accessKeys.rows.map(toAccessKeyRow),
      users: users.rows.map(toUserRow),
    };
  }

  /** The latest event time any source reported (the ledger's own records aside); null on an empty ledger. */
  async sourcesLatest(): Promise<string | null> {
    const { rows } = await this.pool.query(sql.SOURCES_CLOCK);
    return iso(rows[0]?.latest);
  }

  /** null when the ledger has no event from this account. */
  async postureRows(account: string): Promise<PostureRows | null> {
    const found = await this.pool.query(postureSql.ACCOUNT, [account]);
    const row = found.rows[0];
    if (!row) return null;
    const roots = ['aws', 'aws-cn', 'aws-us-gov'].map((partition) => rootArnOf(partition, account));
    const [rootKeys, users, direct] = await Promise.all([
      this.pool.query(sql.ROOT_KEYS_OF_ACCOUNT, [roots]),
      this.pool.query(sql.USERS_OF_ACCOUNT, [account]),
      this.pool.query(sql.DIRECT_USER_POLICIES_OF_ACCOUNT, [account]),
    ]);
    const accountRow: AccountRow = {
      account: row.account,
      events: Number(row.events),
      firstSeen: iso(row.first_seen)!,
      lastSeen: iso(row.last_seen)!,
      passwordPolicyState: row.password_policy_state,
      passwordPolicy: (row.password_policy as PasswordPolicySettings | null) ?? null,
      passwordPolicyAt: iso(row.password_policy_at),
      passwordPolicyEventId: row.password_policy_event_id,
    };
    return { account: accountRow, rootKeys: rootKeys.rows.map(toAccessKeyRow), users: users.rows.map(toUserRow), directPolicies: direct.rows.map(toPolicyRow) };
  }
}

function toActivityRow(r: Record<string, unknown>): ActivityRow {
  return {
    subject: r.subject as string,
    lastActiveAt: iso(r.last_active_at),
    rootEvents: Number(r.root_events),
    lastRootAt: iso(r.last_root_at),
    logins: Number(r.logins),
    mfaLogins: Number(r.mfa_logins),
    lastLoginAt: iso(r.last_login_at),
    lastLoginMfa: (r.last_login_mfa as string | null) ?? null,
    failedLogins: Number(r.failed_logins),
    lastFailedLoginAt: iso(r.last_failed_login_at),
    factorTypes: r.factor_types as string[],
    factorMethods: r.factor_methods as string[],
  };
}

function toPolicyRow(r: Record<string, unknown>): PolicyRow {
  return { holder: r.holder as string, holderType: r.holder_type as string, policyType: r.policy_type as string, policy: r.policy as string, since: iso(r.changed_at)! };
}

function toAccessKeyRow(r: Record<string, unknown>): AccessKeyRow {
  return { keyId: r.key_id as string, owner: (r.owner as string | null) ?? null, createdAt: iso(r.created_at), status: (r.status as string | null) ?? null, lastUsedAt: iso(r.last_used_at) };
}

function toUserRow(r: Record<string, unknown>): UserRow {
  return {
    subject: r.subject as string,
    account: r.account as string,
    lifecycle: (r.lifecycle as string | null) ?? null,
    lifecycleAt: iso(r.lifecycle_at),
    mfa: (r.mfa as string | null) ?? null,
    mfaSource: (r.mfa_source as string | null) ?? null,
    mfaAt: iso(r.mfa_at),
    activeAt: iso(r.active_at),
  };
}
