import type { MfaSource } from './subject-profiles.projection.js';
import { IAM_DEFAULT_PASSWORD_POLICY, passwordPolicyGaps, type MfaStatus, type PasswordPolicyGap, type PasswordPolicySettings } from '#domain';

/**
 * Pure composition of what the profile and posture endpoints answer, from the projection
 * rows and two clocks: `now` (ages, at query time, never stored) and the ledger's latest
 * source event time (dormancy).
 */

// --- rows as the repositories read them ---

export interface ActivityRow {
  subject: string;
  lastActiveAt: string | null;
  rootEvents: number;
  lastRootAt: string | null;
  logins: number;
  mfaLogins: number;
  lastLoginAt: string | null;
  lastLoginMfa: string | null;
  failedLogins: number;
  lastFailedLoginAt: string | null;
  factorTypes: string[];
  factorMethods: string[];
}
export interface RoleRow {
  subject: string;
  role: string;
  roleName: string;
  uses: number;
  firstUsed: string | null;
  lastUsed: string | null;
}
export interface GroupRow {
  member: string;
  group: string;
  groupName: string;
  since: string;
}
export interface PolicyRow {
  holder: string;
  holderType: string;
  policyType: string;
  policy: string;
  since: string;
}
export interface AccessKeyRow {
  keyId: string;
  owner: string | null;
  createdAt: string | null;
  status: string | null;
  lastUsedAt: string | null;
}
export interface UserRow {
  subject: string;
  account: string;
  lifecycle: string | null;
  lifecycleAt: string | null;
  mfa: string | null;
  mfaSource: string | null;
  mfaAt: string | null;
  activeAt: string | null;
}

export interface ProfileRows {
  /** The keys the subject's facts are stored under (its aliases, path-less IAM ARNs). */
  keys: string[];
  activity: ActivityRow[];
  roles: RoleRow[];
  groups: GroupRow[];
  /** Policies held by the keys, by the groups and by the roles above. */
  policies: PolicyRow[];
  accessKeys: AccessKeyRow[];
  users: UserRow[];
}

// --- the profile ---

export const DORMANCY_DAYS = 90;
const DAY_MS = 86_400_000;

export interface AccessKeyView {
  accessKeyId: string;
  owner: string | null;
  /** `null`: no lifecycle event in the ledger (the key predates it, and is known from its use). */
  status: string | null;
  createdAt: string | null;
  lastUsedAt: string | null;
  /** Whole days since creation, against the query's `now`; null when deleted or the creation is unknown. */
  ageDays: number | null;
}

export interface SubjectProfileView {
  authentication: {
    factorTypes: string[];
    factorMethods: string[];
    logins: number;
    lastLoginAt: string | null;
    failedLogins: number;
    lastFailedLoginAt: string | null;
    mfa: {
      last: MfaStatus | null;
      lastAt: string | null;
      loginsWithMfa: number;
      coverage: number | null;
      device: 'enabled' | 'disabled' | null;
      deviceSource: MfaSource | null;
      deviceChangedAt: string | null;
    };
  };
  groups: Array<{ group: string; name: string; member: string; since: string }>;
  roles: Array<{ role: string; name: string; subject: string; uses: number; firstUsed: string | null; lastUsed: string | null }>;
  privileges: Array<{ policy: string; policyType: string; held: string; holder: string; since: string }>;
  rootUse: { events: number; lastAt: string | null };
  accessKeys: AccessKeyView[];
  dormancy: { lastActiveAt: string | null; referenceTime: string; idleDays: number | null; dormant: boolean | null; thresholdDays: number };
  /** Whether the projections know anything about the subject (else the API answers 404 unless events exist). */
  known: boolean;
}

export function composeSubjectProfile(rows: ProfileRows, now: Date, sourcesLatest: string | null): SubjectProfileView {
  const a = rows.activity;
  const lastLogin = a.filter((r) => r.lastLoginAt !== null).sort((x, y) => Date.parse(y.lastLoginAt!) - Date.parse(x.lastLoginAt!))[0] ?? null;
  const logins = sum(a, (r) => r.logins);
  const loginsWithMfa = sum(a, (r) => r.mfaLogins);
  const device = rows.users.filter((u) => u.mfaAt !== null).sort((x, y) => Date.parse(y.mfaAt!) - Date.parse(x.mfaAt!))[0] ?? null;

  const groups = rows.groups.map((g) => ({ group: g.group, name: g.groupName, member: g.member, since: g.since }));
  const roles = rows.roles.map((r) => ({ role: r.role, name: r.roleName, subject: r.subject, uses: r.uses, firstUsed: r.firstUsed, lastUsed: r.lastUsed }));

  // A privilege is a policy on the subject itself, or on a group it belongs to, or on a role it acts through.
  const heldAs = new Map<string, string[]>();
  const addHolder = (holder: string, held: string) => heldAs.set(holder, [...(heldAs.get(holder) ?? []), held]);
  for (const key of rows.keys) addHolder(key, 'direct');
  for (const g of groups) addHolder(g.group, `via_group:${g.name}`);
  for (const r of roles) addHolder(r.role, `via_role:${r.name}`);
  const privileges = new Map<string, SubjectProfileView['privileges'][number]>();
  for (const p of rows.policies) {
    for (const held of new Set(heldAs.get(p.holder) ?? [])) {
      const key = `${held}\u0000${p.policyType}\u0000${p.policy}`;
      if (!privileges.has(key)) privileges.set(key, { policy: p.policy, policyType: p.policyType, held, holder: p.holder, since: p.since });
    }
  }

  const created = rows.users.map((u) => (u.lifecycle === 'created' ? u.lifecycleAt : null));
  const lastActiveAt = maxTime([...a.map((r) => r.lastActiveAt), ...rows.users.map((u) => u.activeAt)]);
  const reference = referenceTime(now, sourcesLatest);
  // Never active: idle since the account was created, when the ledger saw that.
  const idleSince = lastActiveAt ?? maxTime(created);
  const idleMs = idleSince === null ? null : Math.max(0, Date.parse(reference) - Date.parse(idleSince));

  return {
    authentication: {
      factorTypes: union(a.map((r) => r.factorTypes)),
      factorMethods: union(a.map((r) => r.factorMethods)),
      logins,
      lastLoginAt: lastLogin?.lastLoginAt ?? null,
      failedLogins: sum(a, (r) => r.failedLogins),
      lastFailedLoginAt: maxTime(a.map((r) => r.lastFailedLoginAt)),
      mfa: {
        last: lastLogin === null ? null : mfaStatus(lastLogin.lastLoginMfa),
        lastAt: lastLogin?.lastLoginAt ?? null,
        loginsWithMfa,
        coverage: logins === 0 ? null : loginsWithMfa / logins,
        device: device === null ? null : device.mfa === 'enabled' ? 'enabled' : 'disabled',
        deviceSource: (device?.mfaSource as MfaSource | undefined) ?? null,
        deviceChangedAt: device?.mfaAt ?? null,
      },
    },
    groups,
    roles,
    privileges: [...privileges.values()].sort((x, y) => compare(x.held, y.held) || compare(x.policy, y.policy)),
    rootUse: { events: sum(a, (r) => r.rootEvents), lastAt: maxTime(a.map((r) => r.lastRootAt)) },
    accessKeys: rows.accessKeys.map((k) => accessKeyView(k, now)),
    dormancy: {
      lastActiveAt,
      referenceTime: reference,
      idleDays: idleMs === null ? null : Math.floor(idleMs / DAY_MS),
      dormant: idleMs === null ? null : idleMs >= DORMANCY_DAYS * DAY_MS,
      thresholdDays: DORMANCY_DAYS,
    },
    known: a.length + rows.roles.length + rows.groups.length + rows.accessKeys.length + rows.users.length + rows.policies.length > 0,
  };
}

/**
 * Dormancy is measured against the latest event time the sources reported, not the wall
 * clock: a ledger loaded with last year's history must not call everyone dormant. It is
 * capped at `now`, so that one record stamped in the future cannot age everybody.
 */
export function referenceTime(now: Date, sourcesLatest: string | null): string {
  if (sourcesLatest === null || Date.parse(sourcesLatest) > now.getTime()) return now.toISOString();
  return new Date(sourcesLatest).toISOString();
}

export function accessKeyView(k: AccessKeyRow, now: Date): AccessKeyView {
  const age = k.createdAt === null || k.status === 'Deleted' ? null : Math.max(0, Math.floor((now.getTime() - Date.parse(k.createdAt)) / DAY_MS));
  return { accessKeyId: k.keyId, owner: k.owner, status: k.status, createdAt: k.createdAt, lastUsedAt: k.lastUsedAt, ageDays: age };
}

function mfaStatus(value: string | null): MfaStatus | null {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (value === 'delegated' || value === 'unknown') return value;
  return null;
}

// --- the account posture ---

export interface AccountRow {
  account: string;
  events: number;
  firstSeen: string;
  lastSeen: string;
  passwordPolicyState: string | null;
  passwordPolicy: PasswordPolicySettings | null;
  passwordPolicyAt: string | null;
  passwordPolicyEventId: string | null;
}

export interface PostureRows {
  account: AccountRow;
  rootKeys: AccessKeyRow[];
  users: UserRow[];
  directPolicies: PolicyRow[];
}

export interface AccountPostureView {
  account: string;
  events: number;
  firstSeen: string;
  lastSeen: string;
  passwordPolicy: {
    /** `unknown`: the ledger has seen no change to it, so what is in force is not known. */
    state: 'set' | 'deleted' | 'unknown';
    /** In force: as set, or IAM's defaults once deleted. */
    settings: PasswordPolicySettings | null;
    changedAt: string | null;
    eventId: string | null;
    compliant: boolean | null;
    gaps: PasswordPolicyGap[] | null;
  };
  rootAccessKeys: AccessKeyView[];
  usersWithoutMfa: Array<{ subject: string; createdAt: string | null; lastActiveAt: string | null; mfa: 'disabled' | null; mfaChangedAt: string | null }>;
  directPrivileges: Array<{ subject: string; policy: string; policyType: string; since: string }>;
}

export function composeAccountPosture(rows: PostureRows, now: Date): AccountPostureView {
  const a = rows.account;
  const state = a.passwordPolicyState === 'set' ? 'set' : a.passwordPolicyState === 'deleted' ? 'deleted' : 'unknown';
  const settings = state === 'set' ? a.passwordPolicy : state === 'deleted' ? IAM_DEFAULT_PASSWORD_POLICY : null;
  const gaps = settings === null ? null : passwordPolicyGaps(settings);
  return {
    account: a.account,
    events: a.events,
    firstSeen: a.firstSeen,
    lastSeen: a.lastSeen,
    passwordPolicy: {
      state,
      settings,
      changedAt: a.passwordPolicyAt,
      eventId: a.passwordPolicyEventId,
      compliant: gaps === null ? null : gaps.length === 0,
      gaps,
    },
    rootAccessKeys: rows.rootKeys.filter((k) => k.status !== 'Deleted').map((k) => accessKeyView(k, now)),
    usersWithoutMfa: rows.users
      .filter((u) => u.lifecycle !== 'deleted' && (u.lifecycle === 'created' || u.activeAt !== null) && u.mfa !== 'enabled')
      .map((u) => ({
        subject: u.subject,
        createdAt: u.lifecycle === 'created' ? u.lifecycleAt : null,
        lastActiveAt: u.activeAt,
        mfa: u.mfa === 'disabled' ? ('disabled' as const) : null,
        mfaChangedAt: u.mfa === null ? null : u.mfaAt,
      })),
    directPrivileges: rows.directPolicies.map((p) => ({ subject: p.holder, policy: p.policy, policyType: p.policyType, since: p.since })),
  };
}

// --- helpers ---

function sum<T>(rows: readonly T[], of: (row: T) => number): number {
  return rows.reduce((total, row) => total + of(row), 0);
}

function maxTime(times: ReadonlyArray<string | null>): string | null {
  let best: string | null = null;
  for (const t of times) if (t !== null && (best === null || Date.parse(t) > Date.parse(best))) best = t;
  return best;
}

function union(lists: ReadonlyArray<readonly string[]>): string[] {
  return [...new Set(lists.flat())].sort();
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
