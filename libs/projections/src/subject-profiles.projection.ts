import { storableJson } from './projection-runner.js';
import type { PoolClient, StoredEvent } from '#event-store';
import { canonicalIamArn, iamAccountOf, iamNameOf, isIamUserArn, isRoleArn, isRootArn } from './iam-names.js';
import { identityFactsOf, type AccessKeyStatus, type PolicyHolderType } from './identity-facts.js';
import { earliest, isLater, latest, type Stamp } from './ledger-order.js';
import type { Projection } from './projection.js';
import * as sql from './subject-profiles.sql.js';
import { isJsonObject, stringAt } from './source-record.js';

/**
 * The accountability profile's read model (DESIGN 8 `GET /v1/subjects/{subject}`). Two kinds
 * of facts, kept apart on purpose:
 * - what a subject DID, under the subject the event is attributed to: sign-ins and MFA,
 *   factors, roles acted through, root use, last activity;
 * - what was done TO an identity, under that identity (the target): group memberships,
 *   policies attached to users, groups and roles (each under its own holder, so privileges
 *   through a group are derived when the profile is read), access keys, IAM user lifecycle
 *   and MFA devices.
 */
export interface ActivityDelta {
  subject: string;
  /** Latest event attributed to the subject, failed sign-ins aside (someone trying is not the account in use). */
  lastActiveAt: string | null;
  rootEvents: number;
  lastRootAt: string | null;
  logins: number;
  /** Successful sign-ins with MFA `true` or `delegated` (done by the federating IdP). */
  mfaLogins: number;
  lastLogin: (Stamp & { mfa: string }) | null;
  failedLogins: number;
  lastFailedLoginAt: string | null;
  factorTypes: string[];
  factorMethods: string[];
}

export interface RoleUseDelta {
  subject: string;
  role: string;
  roleName: string;
  /** May be negative: an event re-attributed to another subject takes its use along. */
  uses: number;
  firstUsed: string | null;
  lastUsed: string | null;
}

export interface MembershipChange extends Stamp {
  member: string;
  group: string;
  groupName: string;
  active: boolean;
}

export interface PolicyChange extends Stamp {
  holder: string;
  holderType: PolicyHolderType;
  account: string;
  policy: string;
  policyType: 'managed' | 'inline';
  attached: boolean;
}

export interface AccessKeyChange {
  keyId: string;
  owner: string | null;
  account: string | null;
  createdAt: string | null;
  status: (Stamp & { value: AccessKeyStatus }) | null;
  lastUsedAt: string | null;
}

export type MfaSource = 'device_enabled' | 'device_deactivated' | 'used';

export interface UserChange {
  user: string;
  account: string;
  lifecycle: (Stamp & { state: 'created' | 'deleted' }) | null;
  /** The latest MFA evidence: a device enabled or deactivated, or a successful call made with MFA. */
  mfa: (Stamp & { state: 'enabled' | 'disabled'; source: MfaSource }) | null;
  /** Latest successful call signed by the user's own credentials. */
  activeAt: string | null;
}

export interface SubjectProfileChanges {
  activity: ActivityDelta[];
  roleUses: RoleUseDelta[];
  memberships: MembershipChange[];
  policies: PolicyChange[];
  accessKeys: AccessKeyChange[];
  users: UserChange[];
  /** Latest event time per source system: the reference for dormancy. */
  clocks: Array<{ system: string; lastEventAt: string }>;
}

export const ATTRIBUTION_RESOLVED = 'identity.attribution.resolved';
const ANOMALY_RAISED = 'accountability.anomaly.raised';
const LOGIN = 'authentication.login';
const ROLE_ASSUMED = 'authorization.role.assumed';

/** Long-term access keys; temporary (`ASIA`) keys live for hours and are not the user's credentials. */
const LONG_TERM_KEY = /^AKIA[A-Z0-9]+$/;

/** Pure: what a batch of events (in ledger order) changes in the profile read model. */
export function evolveSubjectProfiles(events: readonly StoredEvent[]): SubjectProfileChanges {
  const activity = new Map<string, ActivityDelta>();
  const roleUses = new Map<string, RoleUseDelta>();
  const memberships = new Map<string, MembershipChange>();
  const policies = new Map<string, PolicyChange>();
  const accessKeys = new Map<string, AccessKeyChange>();
  const users = new Map<string, UserChange>();
  const clocks = new Map<string, string>();

  const activityOf = (subject: string): ActivityDelta => {
    let delta = activity.get(subject);
    if (!delta) {
      delta = { subject, lastActiveAt: null, rootEvents: 0, lastRootAt: null, logins: 0, mfaLogins: 0, lastLogin: null, failedLogins: 0, lastFailedLoginAt: null, factorTypes: [], factorMethods: [] };
      activity.set(subject, delta);
    }
    return delta;
  };
  const useRole = (subject: string, roleArn: string, uses: number, time: string | null) => {
    const role = canonicalIamArn(roleArn);
    const key = `${subject}\u0000${role}`;
    let delta = roleUses.get(key);
    if (!delta) {
      delta = { subject, role, roleName: iamNameOf(role) ?? role, uses: 0, firstUsed: null, lastUsed: null };
      roleUses.set(key, delta);
    }
    delta.uses += uses;
    delta.firstUsed = earliest(delta.firstUsed, time);
    delta.lastUsed = latest(delta.lastUsed, time);
  };
  const keyOf = (keyId: string): AccessKeyChange => {
    let change = accessKeys.get(keyId);
    if (!change) {
      change = { keyId, owner: null, account: null, createdAt: null, status: null, lastUsedAt: null };
      accessKeys.set(keyId, change);
    }
    return change;
  };
  const userOf = (user: string, account: string): UserChange => {
    let change = users.get(user);
    if (!change) {
      change = { user, account, lifecycle: null, mfa: null, activeAt: null };
      users.set(user, change);
    }
    return change;
  };

  for (const { event, position } of events) {
    const time = event.time;
    clocks.set(event.origin.system, latest(clocks.get(event.origin.system) ?? null, time)!);
    // The detector's record speaks about a subject; the subject did nothing.
    if (event.type === ANOMALY_RAISED && event.origin.system === 'ledger') continue;

    if (event.type === ATTRIBUTION_RESOLVED && event.origin.system === 'ledger') {
      // The earlier event's role use leaves the subject it was stored under; the record
      // itself (resolved actor, original time) then counts for the resolved subject below.
      const moved = movedFrom(event.raw);
      if (moved !== null && isRoleArn(moved.via)) useRole(moved.subject, moved.via, -1, null);
    }

    // --- what the actor did ---
    const actor = event.actor;
    const delta = activityOf(actor.subject);
    const login = event.type === LOGIN;
    if (!(login && event.outcome === 'failure')) delta.lastActiveAt = latest(delta.lastActiveAt, time);
    if (actor.kind === 'root') {
      delta.rootEvents++;
      delta.lastRootAt = latest(delta.lastRootAt, time);
    }
    if (login && event.outcome === 'success') {
      const mfa = event.authentication?.mfa ?? 'unknown';
      delta.logins++;
      if (mfa === true || mfa === 'delegated') delta.mfaLogins++;
      const stamp = { at: time, position };
      if (isLater(stamp, delta.lastLogin)) delta.lastLogin = { ...stamp, mfa: String(mfa) };
    } else if (login && event.outcome === 'failure') {
      delta.failedLogins++;
      delta.lastFailedLoginAt = latest(delta.lastFailedLoginAt, time);
    }
    if (event.outcome === 'success' && event.authentication) {
      for (const factor of event.authentication.factors) {
        if (!delta.factorTypes.includes(factor.type)) delta.factorTypes.push(factor.type);
        if (!delta.factorMethods.includes(factor.method)) delta.factorMethods.push(factor.method);
      }
    }
    if (isRoleArn(actor.via)) useRole(actor.subject, actor.via, 1, time);
    if (event.type === ROLE_ASSUMED && event.outcome === 'success' && isRoleArn(event.target?.id)) useRole(actor.subject, event.target!.id, 1, time);

    // --- the credentials the actor used ---
    const credential = actor.credential_id ?? null;
    if (credential !== null && LONG_TERM_KEY.test(credential) && event.origin.system === 'aws-cloudtrail') {
      const key = keyOf(credential);
      const owner = isIamUserArn(actor.principal) || isRootArn(actor.principal) ? canonicalIamArn(actor.principal) : null;
      key.owner ??= owner;
      key.account ??= (owner && iamAccountOf(owner)) ?? event.origin.account;
      key.lastUsedAt = latest(key.lastUsedAt, time);
    }
    if (event.origin.system === 'aws-cloudtrail' && isIamUserArn(actor.principal) && event.outcome === 'success') {
      const user = canonicalIamArn(actor.principal);
      const change = userOf(user, iamAccountOf(user) ?? event.origin.account ?? '');
      change.activeAt = latest(change.activeAt, time);
      const stamp = { at: time, position };
      if (event.authentication?.mfa === true && isLater(stamp, change.mfa)) change.mfa = { ...stamp, state: 'enabled', source: 'used' };
    }

    // --- what was done to the target ---
    for (const fact of identityFactsOf(event)) {
      const stamp = { at: time, position };
      switch (fact.kind) {
        case 'membership': {
          const key = `${fact.member}\u0000${fact.group}`;
          if (isLater(stamp, memberships.get(key))) memberships.set(key, { ...stamp, member: fact.member, group: fact.group, groupName: fact.groupName, active: fact.active });
          break;
        }
        case 'policy': {
          const key = `${fact.holder}\u0000${fact.policyType}\u0000${fact.policy}`;
          if (isLater(stamp, policies.get(key))) policies.set(key, { ...stamp, holder: fact.holder, holderType: fact.holderType, account: fact.account, policy: fact.policy, policyType: fact.policyType, attached: fact.attached });
          break;
        }
        case 'access_key': {
          const key = keyOf(fact.keyId);
          key.owner ??= fact.owner;
          key.account ??= (fact.owner && iamAccountOf(fact.owner)) ?? fact.account;
          if (fact.created) key.createdAt = earliest(key.createdAt, time);
          if (isLater(stamp, key.status)) key.status = { ...stamp, value: fact.status };
          break;
        }
        case 'user': {
          const change = userOf(fact.user, fact.account);
          if (isLater(stamp, change.lifecycle)) change.lifecycle = { ...stamp, state: fact.state };
          break;
        }
        case 'mfa_device': {
          const change = userOf(fact.user, fact.account);
          const source: MfaSource = fact.state === 'enabled' ? 'device_enabled' : 'device_deactivated';
          if (isLater(stamp, change.mfa)) change.mfa = { ...stamp, state: fact.state, source };
          break;
        }
        case 'password_policy':
          break; // the account posture projection keeps it
      }
    }
  }

  return {
    activity: [...activity.values()].map((d) => ({ ...d, factorTypes: d.factorTypes.sort(), factorMethods: d.factorMethods.sort() })),
    roleUses: [...roleUses.values()],
    memberships: [...memberships.values()],
    policies: [...policies.values()],
    accessKeys: [...accessKeys.values()],
    users: [...users.values()],
    clocks: [...clocks].map(([system, lastEventAt]) => ({ system, lastEventAt })),
  };
}

/** From a re-attribution record: the subject the event was stored under, and the role it acted through. */
function movedFrom(raw: string): { subject: string; via: string | null } | null {
  let record: unknown;
  try {
    record = JSON.parse(raw);
  } catch {
    return null;
  }
  if (!isJsonObject(record)) return null;
  const previous = isJsonObject(record.previous) ? record.previous : null;
  const resolved = isJsonObject(record.resolved) ? record.resolved : null;
  const from = stringAt(previous, 'subject');
  const to = stringAt(resolved, 'subject');
  if (from === null || from === to) return null;
  return { subject: from, via: stringAt(resolved, 'via') };
}

export const subjectProfilesProjection: Projection<SubjectProfileChanges> = {
  name: 'subject-profiles',
  tables: [
    'projection_profile_activity',
    'projection_profile_roles',
    'projection_profile_memberships',
    'projection_profile_policies',
    'projection_profile_access_keys',
    'projection_profile_users',
    'projection_profile_clocks',
  ],
  evolve: evolveSubjectProfiles,
  async write(client: PoolClient, changes: SubjectProfileChanges) {
    const { activity, roleUses, memberships, policies, accessKeys, users, clocks } = changes;
    if (activity.length) {
      await client.query(sql.UPSERT_ACTIVITY, [
        activity.map((d) => d.subject),
        activity.map((d) => d.lastActiveAt),
        activity.map((d) => d.rootEvents),
        activity.map((d) => d.lastRootAt),
        activity.map((d) => d.logins),
        activity.map((d) => d.mfaLogins),
        activity.map((d) => d.lastLogin?.at ?? null),
        activity.map((d) => d.lastLogin?.position ?? null),
        activity.map((d) => d.lastLogin?.mfa ?? null),
        activity.map((d) => d.failedLogins),
        activity.map((d) => d.lastFailedLoginAt),
        activity.map((d) => storableJson(d.factorTypes)),
        activity.map((d) => storableJson(d.factorMethods)),
      ]);
    }
    if (roleUses.length) {
      await client.query(sql.UPSERT_ROLE_USES, [
        roleUses.map((r) => r.subject),
        roleUses.map((r) => r.role),
        roleUses.map((r) => r.roleName),
        roleUses.map((r) => r.uses),
        roleUses.map((r) => r.firstUsed),
        roleUses.map((r) => r.lastUsed),
      ]);
    }
    if (memberships.length) {
      await client.query(sql.UPSERT_MEMBERSHIPS, [
        memberships.map((m) => m.member),
        memberships.map((m) => m.group),
        memberships.map((m) => m.groupName),
        memberships.map((m) => m.active),
        memberships.map((m) => m.at),
        memberships.map((m) => m.position),
      ]);
    }
    if (policies.length) {
      await client.query(sql.UPSERT_POLICIES, [
        policies.map((p) => p.holder),
        policies.map((p) => p.policyType),
        policies.map((p) => p.policy),
        policies.map((p) => p.holderType),
        policies.map((p) => p.account),
        policies.map((p) => p.attached),
        policies.map((p) => p.at),
        policies.map((p) => p.position),
      ]);
    }
    if (accessKeys.length) {
      await client.query(sql.UPSERT_ACCESS_KEYS, [
        accessKeys.map((k) => k.keyId),
        accessKeys.map((k) => k.owner),
        accessKeys.map((k) => k.account),
        accessKeys.map((k) => k.createdAt),
        accessKeys.map((k) => k.status?.value ?? null),
        accessKeys.map((k) => k.status?.at ?? null),
        accessKeys.map((k) => k.status?.position ?? null),
        accessKeys.map((k) => k.lastUsedAt),
      ]);
    }
    if (users.length) {
      await client.query(sql.UPSERT_USERS, [
        users.map((u) => u.user),
        users.map((u) => u.account),
        users.map((u) => u.lifecycle?.state ?? null),
        users.map((u) => u.lifecycle?.at ?? null),
        users.map((u) => u.lifecycle?.position ?? null),
        users.map((u) => u.mfa?.state ?? null),
        users.map((u) => u.mfa?.source ?? null),
        users.map((u) => u.mfa?.at ?? null),
        users.map((u) => u.mfa?.position ?? null),
        users.map((u) => u.activeAt),
      ]);
    }
    if (clocks.length) {
      await client.query(sql.UPSERT_CLOCKS, [clocks.map((c) => c.system), clocks.map((c) => c.lastEventAt)]);
    }
  },
};
