import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { NormalizedEvent } from '#domain';
import { createLogger } from '#logging';
import { accountPostureProjection, ProjectionRunner, subjectProfilesProjection } from '#projections';
import { normalizeMessage } from '#sources';
import { generateWorkload, type WorkloadSubject } from '#workload';
import { startTestLedger, type TestLedger } from '#test-support';

/**
 * The accountability profile, the account posture, every subject's timeline and every
 * target's history, field by field, on a ledger built from generated CloudTrail traffic (plus
 * hand-made records for the facts the generator does not produce), against an independent
 * computation: a plain fold over the same records, as the sources normalize them, written
 * here without the projection or query code. Then a rebuild from position 0 must give the
 * very rows the live projections kept.
 */

type Json = Record<string, any>;
const A = '111122223333';
const B = '444455556666';
const DAY_MS = 86_400_000;
const WORKLOAD = { seed: 11, subjects: 10, eventsPerSubjectPerDay: 150 } as const;

// ---------------------------------------------------------------------------------------
// The hand-made part of the input: CloudTrail records for what the generator never does
// (group removals, group and user policies, key rotation, password policies, MFA devices,
// user deletion, a long-idle user, a session that arrives before the AssumeRole behind it).
// ---------------------------------------------------------------------------------------

interface People {
  admin: string;
  target: string;
  third: string;
}

function pickPeople(subjects: WorkloadSubject[]): People {
  const iamPeople = subjects.filter((s) => s.kind === 'human' && s.access === 'iam-user' && s.userName !== null);
  const admin = iamPeople.find((s) => s.groups.includes('admins'))!;
  const others = iamPeople.filter((s) => s !== admin);
  return { admin: admin.userName!, target: others[0]!.userName!, third: others[1]!.userName! };
}

function supplementRecords(p: People): Json[] {
  let n = 0;
  const iamUser = (account: string, userName: string, accessKeyId?: string) => ({
    type: 'IAMUser',
    principalId: `AIDA${userName.replace(/[^a-z]/gi, '').toUpperCase()}`,
    arn: `arn:aws:iam::${account}:user/${userName}`,
    accountId: account,
    ...(accessKeyId ? { accessKeyId } : {}),
    userName,
  });
  const rootOfB = { type: 'Root', principalId: B, arn: `arn:aws:iam::${B}:root`, accountId: B, accessKeyId: 'ASIASUPPROOTB0000001' };
  const admin = iamUser(A, p.admin, 'AKIASUPPADMIN0000001');
  const call = (time: string, identity: Json, eventSource: string, eventName: string, request: Json | null, response: Json | null = null, extra: Json = {}) => {
    const eventID = `supp-${String(++n).padStart(4, '0')}`;
    return {
      eventVersion: '1.11',
      userIdentity: identity,
      eventTime: time,
      eventSource,
      eventName,
      awsRegion: 'us-east-1',
      sourceIPAddress: '198.51.100.7',
      userAgent: 'aws-cli/2.31.0 md/command#supplement',
      requestParameters: request,
      responseElements: response,
      requestID: `req-${eventID}`,
      eventID,
      readOnly: false,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: identity.accountId,
      eventCategory: 'Management',
      ...extra,
    };
  };
  const iam = (time: string, identity: Json, eventName: string, request: Json | null, response: Json | null = null, extra: Json = {}) =>
    call(time, identity, 'iam.amazonaws.com', eventName, request, response, extra);
  const denied = { errorCode: 'AccessDenied', errorMessage: 'not authorized' };
  const keyOf = (userName: string | undefined, accessKeyId: string, time: string) => ({ accessKey: { ...(userName ? { userName } : {}), accessKeyId, status: 'Active', createDate: time } });
  const mfaSerial = (userName: string) => `arn:aws:iam::${A}:mfa/${userName}`;
  const chainKey = 'ASIASUPPCHAIN0000001';
  const deployer = `arn:aws:iam::${B}:role/deployer`;

  return [
    // password policies: the later one (by event time) arrives first; a refused change changes nothing
    iam('2026-11-02T18:00:00Z', admin, 'UpdateAccountPasswordPolicy', {
      minimumPasswordLength: 14, requireUppercaseCharacters: true, requireLowercaseCharacters: true, requireNumbers: true, requireSymbols: false,
      passwordReusePrevention: 24, maxPasswordAge: 180, allowUsersToChangePassword: true,
    }),
    iam('2026-11-02T06:00:00Z', admin, 'UpdateAccountPasswordPolicy', { minimumPasswordLength: 8, requireNumbers: true }),
    iam('2026-11-02T18:30:00Z', iamUser(A, p.target), 'DeleteAccountPasswordPolicy', null, null, denied),
    iam('2026-11-02T12:00:00Z', rootOfB, 'DeleteAccountPasswordPolicy', null),
    // a root key in B created and deleted again; policies on B's roles
    iam('2026-11-02T12:05:00Z', rootOfB, 'CreateAccessKey', null, keyOf(undefined, 'AKIASUPPROOTB0000002', 'Nov 2, 2026, 12:05:00 PM')),
    iam('2026-11-02T12:10:00Z', rootOfB, 'DeleteAccessKey', { accessKeyId: 'AKIASUPPROOTB0000002' }),
    iam('2026-11-02T05:30:00Z', rootOfB, 'AttachRolePolicy', { roleName: 'ops-admin', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }),
    iam('2026-11-02T05:40:00Z', rootOfB, 'AttachRolePolicy', { roleName: 'deployer', policyArn: 'arn:aws:iam::aws:policy/AmazonS3FullAccess' }),
    // users: one created, one created, used and deleted again (the deletion delivered first)
    iam('2026-11-02T07:00:00Z', admin, 'CreateUser', { userName: 'svc-reports' }, { user: { path: '/', userName: 'svc-reports', userId: 'AIDASVCREPORTS', arn: `arn:aws:iam::${A}:user/svc-reports` } }),
    iam('2026-11-02T06:30:00Z', admin, 'DeleteUser', { userName: 'svc-old' }),
    iam('2026-11-02T06:00:00Z', admin, 'CreateUser', { userName: 'svc-old' }, { user: { path: '/', userName: 'svc-old', userId: 'AIDASVCOLD', arn: `arn:aws:iam::${A}:user/svc-old` } }),
    call('2026-11-02T06:10:00Z', iamUser(A, 'svc-old', 'AKIASUPPSVCOLD000001'), 'sts.amazonaws.com', 'GetCallerIdentity', null),
    // group membership of the target: added and removed (the removal delivered first), added, refused
    iam('2026-11-02T08:45:00Z', admin, 'RemoveUserFromGroup', { groupName: 'readonly', userName: p.target }),
    iam('2026-11-02T08:00:00Z', admin, 'AddUserToGroup', { groupName: 'readonly', userName: p.target }),
    iam('2026-11-02T09:00:00Z', admin, 'AddUserToGroup', { groupName: 'developers', userName: p.target }),
    iam('2026-11-02T09:05:00Z', admin, 'AddUserToGroup', { groupName: 'admins', userName: p.target }, null, denied),
    // policies on groups and directly on the target
    iam('2026-11-02T05:00:00Z', admin, 'AttachGroupPolicy', { groupName: 'developers', policyArn: 'arn:aws:iam::aws:policy/PowerUserAccess' }),
    iam('2026-11-02T05:01:00Z', admin, 'PutGroupPolicy', { groupName: 'readonly', policyName: 'deny-billing', policyDocument: '{"Version":"2012-10-17","Statement":[]}' }),
    iam('2026-11-02T09:10:00Z', admin, 'AttachUserPolicy', { userName: p.target, policyArn: 'arn:aws:iam::aws:policy/IAMUserChangePassword' }),
    iam('2026-11-02T09:20:00Z', admin, 'DetachUserPolicy', { userName: p.target, policyArn: 'arn:aws:iam::aws:policy/IAMUserChangePassword' }),
    iam('2026-11-02T09:30:00Z', admin, 'PutUserPolicy', { userName: p.target, policyName: 'scratch-access', policyDocument: '{"Version":"2012-10-17","Statement":[]}' }),
    // the target's keys: one created, used, deactivated; one created and deleted; one for the new service user
    // (the deactivation and the use delivered before the creation)
    iam('2026-11-02T12:00:00Z', admin, 'UpdateAccessKey', { userName: p.target, accessKeyId: 'AKIASUPPTARGET100001', status: 'Inactive' }),
    call('2026-11-02T11:00:00Z', iamUser(A, p.target, 'AKIASUPPTARGET100001'), 'sts.amazonaws.com', 'GetCallerIdentity', null),
    iam('2026-11-02T10:00:00Z', admin, 'CreateAccessKey', { userName: p.target }, keyOf(p.target, 'AKIASUPPTARGET100001', 'Nov 2, 2026, 10:00:00 AM')),
    iam('2026-11-02T10:40:00Z', admin, 'CreateAccessKey', { userName: p.target }, keyOf(p.target, 'AKIASUPPTARGET100002', 'Nov 2, 2026, 10:40:00 AM')),
    iam('2026-11-02T13:00:00Z', admin, 'DeleteAccessKey', { userName: p.target, accessKeyId: 'AKIASUPPTARGET100002' }),
    iam('2026-11-02T10:30:00Z', admin, 'CreateAccessKey', { userName: 'svc-reports' }, keyOf('svc-reports', 'AKIASUPPSVCREPORTS01', 'Nov 2, 2026, 10:30:00 AM')),
    // MFA devices, just after the generated day so that no later sign-in with MFA replaces them as the latest evidence
    iam('2026-11-03T00:00:10Z', admin, 'EnableMFADevice', { userName: p.target, serialNumber: mfaSerial(p.target) }),
    iam('2026-11-03T00:00:20Z', admin, 'DeactivateMFADevice', { userName: p.third, serialNumber: mfaSerial(p.third) }),
    // a contractor created in June, last active in July: dormant by November
    iam('2026-06-01T09:00:00Z', admin, 'CreateUser', { userName: 'old.contractor' }, { user: { path: '/', userName: 'old.contractor', userId: 'AIDAOLDCONTRACTOR', arn: `arn:aws:iam::${A}:user/old.contractor` } }),
    call('2026-07-01T09:00:00Z', iamUser(A, 'old.contractor'), 'signin.amazonaws.com', 'ConsoleLogin', null, { ConsoleLogin: 'Success' }, {
      eventType: 'AwsConsoleSignIn',
      additionalEventData: { LoginTo: 'https://console.aws.amazon.com/', MobileVersion: 'No', MFAUsed: 'No' },
    }),
    call('2026-07-01T09:05:00Z', iamUser(A, 'old.contractor', 'AKIASUPPOLDCONTRACT1'), 'sts.amazonaws.com', 'GetCallerIdentity', null),
    // someone tries the idle account in November: failed sign-ins are not activity, it stays dormant
    ...['2026-11-02T03:00:00Z', '2026-11-02T03:00:30Z'].map((time) =>
      call(time, iamUser(A, 'old.contractor'), 'signin.amazonaws.com', 'ConsoleLogin', null, { ConsoleLogin: 'Failure' }, {
        eventType: 'AwsConsoleSignIn',
        errorMessage: 'Failed authentication',
        additionalEventData: { LoginTo: 'https://console.aws.amazon.com/', MobileVersion: 'No', MFAUsed: 'No' },
      }),
    ),
    // a session's call stored before the AssumeRole that issued its key: re-attributed to the target
    call('2026-11-02T16:10:00Z', {
      type: 'AssumedRole',
      principalId: 'AROADEPLOYER:build-42',
      arn: `arn:aws:sts::${B}:assumed-role/deployer/build-42`,
      accountId: B,
      accessKeyId: chainKey,
      sessionContext: { sessionIssuer: { type: 'Role', principalId: 'AROADEPLOYER', arn: deployer, accountId: B, userName: 'deployer' }, attributes: { creationDate: '2026-11-02T16:00:00Z', mfaAuthenticated: 'false' } },
    }, 's3.amazonaws.com', 'ListBuckets', null),
    call('2026-11-02T16:00:00Z', iamUser(A, p.target, 'ASIASUPPTARGETCONSOLE'), 'sts.amazonaws.com', 'AssumeRole', { roleArn: deployer, roleSessionName: 'build-42' }, {
      credentials: { accessKeyId: chainKey, sessionToken: 'x', expiration: 'Nov 2, 2026, 5:00:00 PM' },
      assumedRoleUser: { assumedRoleId: 'AROADEPLOYER:build-42', arn: `arn:aws:sts::${B}:assumed-role/deployer/build-42` },
    }),
  ];
}

// ---------------------------------------------------------------------------------------
// The independent computation: a fold over the records in ingestion order.
// ---------------------------------------------------------------------------------------

interface Stamp {
  at: string;
  order: number;
}
const later = (a: Stamp, b: Stamp | null | undefined) => !b || Date.parse(a.at) > Date.parse(b.at) || (a.at === b.at && a.order > b.order);
const maxOf = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : Date.parse(b) > Date.parse(a) ? b : a);
const minOf = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : Date.parse(b) < Date.parse(a) ? b : a);
const withoutPath = (arn: string) => arn.replace(/^(arn:[^:]+:iam::[^:]*:(?:user|group|role)\/)(?:.*\/)?([^/]+)$/, '$1$2');
const isRole = (arn: string | null | undefined): arn is string => typeof arn === 'string' && /^arn:[^:]+:iam::[^:]*:role\//.test(arn);
const isUser = (arn: string | null | undefined): arn is string => typeof arn === 'string' && /^arn:[^:]+:iam::[^:]*:user\//.test(arn);
const isRoot = (arn: string | null | undefined): arn is string => typeof arn === 'string' && /^arn:[^:]+:iam::[^:]*:root$/.test(arn);
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** Map.groupBy arrives in Node 21; the project supports Node 20. */
function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

interface Activity {
  lastActiveAt: string | null;
  rootEvents: number;
  lastRootAt: string | null;
  logins: number;
  mfaLogins: number;
  lastLogin: (Stamp & { mfa: unknown }) | null;
  failed: number;
  lastFailed: string | null;
  types: Set<string>;
  methods: Set<string>;
}
interface Fold {
  activity: Map<string, Activity>;
  roles: Map<string, Map<string, { uses: number; first: string; last: string }>>;
  memberships: Map<string, Stamp & { member: string; group: string; name: string; active: boolean }>;
  policies: Map<string, Stamp & { holder: string; holderType: string; account: string; policy: string; policyType: string; attached: boolean }>;
  keys: Map<string, { owner: string | null; createdAt: string | null; status: (Stamp & { value: string }) | null; lastUsedAt: string | null }>;
  users: Map<string, { lifecycle: (Stamp & { state: string }) | null; mfa: (Stamp & { state: string; source: string }) | null; activeAt: string | null }>;
  accounts: Map<string, { events: number; first: string; last: string; policy: (Stamp & { request: Json | null; eventId: string }) | null }>;
  latestSourceTime: string | null;
  /** Every event in ingestion order, with the actor who answers for it once every record is in. */
  attributed: Array<{ order: number; event: NormalizedEvent; actor: NormalizedEvent['actor'] }>;
}

const ISSUING = new Set(['sts:AssumeRole', 'sts:AssumeRoleWithSAML', 'sts:AssumeRoleWithWebIdentity', 'sts:GetFederationToken', 'sts:GetSessionToken']);

function fold(records: Json[]): Fold {
  const events = records.map((record, order) => {
    const { events: normalized } = normalizeMessage({ body: JSON.stringify(record) });
    expect(normalized, `record ${order} normalizes to one event`).toHaveLength(1);
    return { record, order, event: normalized[0]! as NormalizedEvent };
  });
  // Whoever obtained a temporary key answers for its use, whichever record arrived first.
  const issuedTo = new Map<string, NormalizedEvent['actor']>();
  for (const { record, event } of events) {
    const key = record.responseElements?.credentials?.accessKeyId;
    if (ISSUING.has(event.action) && event.outcome !== 'failure' && typeof key === 'string') issuedTo.set(key, event.actor);
  }
  const actorOf = (event: NormalizedEvent) => {
    const key = event.actor.credential_id;
    const issuer = key ? issuedTo.get(key) : undefined;
    if (issuer && issuer.attribution !== 'unresolved' && (event.actor.attribution === 'unresolved' || event.actor.attribution === 'session_name_claim')) {
      return { ...event.actor, subject: issuer.subject, kind: issuer.kind === 'root' ? 'root' : issuer.kind === 'unknown' ? event.actor.kind : issuer.kind };
    }
    return event.actor;
  };

  const f: Fold = { activity: new Map(), roles: new Map(), memberships: new Map(), policies: new Map(), keys: new Map(), users: new Map(), accounts: new Map(), latestSourceTime: null, attributed: [] };
  const activityOf = (s: string) => {
    if (!f.activity.has(s)) f.activity.set(s, { lastActiveAt: null, rootEvents: 0, lastRootAt: null, logins: 0, mfaLogins: 0, lastLogin: null, failed: 0, lastFailed: null, types: new Set(), methods: new Set() });
    return f.activity.get(s)!;
  };
  const useRole = (subject: string, role: string, time: string) => {
    if (!f.roles.has(subject)) f.roles.set(subject, new Map());
    const uses = f.roles.get(subject)!;
    const r = uses.get(withoutPath(role)) ?? { uses: 0, first: time, last: time };
    uses.set(withoutPath(role), { uses: r.uses + 1, first: minOf(r.first, time)!, last: maxOf(r.last, time)! });
  };
  const keyOf = (id: string) => {
    if (!f.keys.has(id)) f.keys.set(id, { owner: null, createdAt: null, status: null, lastUsedAt: null });
    return f.keys.get(id)!;
  };
  const userOf = (arn: string) => {
    if (!f.users.has(arn)) f.users.set(arn, { lifecycle: null, mfa: null, activeAt: null });
    return f.users.get(arn)!;
  };

  for (const { record, order, event } of events) {
    const time = event.time;
    const stamp = { at: time, order };
    f.latestSourceTime = maxOf(f.latestSourceTime, time);
    const actor = actorOf(event);
    f.attributed.push({ order, event, actor });
    const ok = event.outcome === 'success';
    const login = event.type === 'authentication.login';

    const a = activityOf(actor.subject);
    if (!(login && event.outcome === 'failure')) a.lastActiveAt = maxOf(a.lastActiveAt, time);
    if (actor.kind === 'root') {
      a.rootEvents++;
      a.lastRootAt = maxOf(a.lastRootAt, time);
    }
    if (login && ok) {
      a.logins++;
      const mfa = event.authentication?.mfa ?? 'unknown';
      if (mfa === true || mfa === 'delegated') a.mfaLogins++;
      if (later(stamp, a.lastLogin)) a.lastLogin = { ...stamp, mfa };
    }
    if (login && event.outcome === 'failure') {
      a.failed++;
      a.lastFailed = maxOf(a.lastFailed, time);
    }
    if (ok && event.authentication) {
      for (const factor of event.authentication.factors) {
        a.types.add(factor.type);
        a.methods.add(factor.method);
      }
    }
    if (isRole(actor.via)) useRole(actor.subject, actor.via, time);
    if (event.type === 'authorization.role.assumed' && ok && isRole(record.requestParameters?.roleArn)) useRole(actor.subject, record.requestParameters.roleArn, time);

    const principal = event.actor.principal;
    const credential = event.actor.credential_id;
    if (credential && /^AKIA/.test(credential)) {
      const key = keyOf(credential);
      key.owner ??= isUser(principal) || isRoot(principal) ? withoutPath(principal) : null;
      key.lastUsedAt = maxOf(key.lastUsedAt, time);
    }
    if (isUser(principal) && ok) {
      const user = userOf(withoutPath(principal));
      user.activeAt = maxOf(user.activeAt, time);
      if (event.authentication?.mfa === true && later(stamp, user.mfa)) user.mfa = { ...stamp, state: 'enabled', source: 'used' };
    }

    const account: string = record.recipientAccountId;
    const acc = f.accounts.get(account) ?? { events: 0, first: time, last: time, policy: null };
    f.accounts.set(account, { ...acc, events: acc.events + 1, first: minOf(acc.first, time)!, last: maxOf(acc.last, time)! });
    if (!ok || record.eventSource !== 'iam.amazonaws.com') continue;

    // what an IAM call did to its target, read from the request as CloudTrail recorded it
    const req: Json = record.requestParameters ?? {};
    const userArn = (name: string) => `arn:aws:iam::${account}:user/${name}`;
    const self = isRoot(principal) ? principal : isUser(principal) ? withoutPath(principal) : null;
    const name: string = record.eventName;
    const policyCall = /^(Attach|Detach|Put|Delete)(User|Group|Role)Policy$/.exec(name);
    if (policyCall) {
      const kind = policyCall[2]!.toLowerCase();
      const holder = `arn:aws:iam::${account}:${kind}/${req[`${kind}Name`]}`;
      const policyType = policyCall[1] === 'Attach' || policyCall[1] === 'Detach' ? 'managed' : 'inline';
      const policy = policyType === 'managed' ? req.policyArn : req.policyName;
      const id = `${holder}|${policyType}|${policy}`;
      if (later(stamp, f.policies.get(id))) {
        f.policies.set(id, { ...stamp, holder, holderType: kind, account, policy, policyType, attached: policyCall[1] === 'Attach' || policyCall[1] === 'Put' });
      }
    } else if (name === 'AddUserToGroup' || name === 'RemoveUserFromGroup') {
      const id = `${userArn(req.userName)}|${req.groupName}`;
      if (later(stamp, f.memberships.get(id))) {
        f.memberships.set(id, { ...stamp, member: userArn(req.userName), group: `arn:aws:iam::${account}:group/${req.groupName}`, name: req.groupName, active: name === 'AddUserToGroup' });
      }
    } else if (name === 'CreateAccessKey' || name === 'UpdateAccessKey' || name === 'DeleteAccessKey') {
      const id: string = name === 'CreateAccessKey' ? record.responseElements.accessKey.accessKeyId : req.accessKeyId;
      const key = keyOf(id);
      key.owner ??= req.userName ? userArn(req.userName) : self;
      if (name === 'CreateAccessKey') key.createdAt = minOf(key.createdAt, time);
      const value = name === 'CreateAccessKey' ? record.responseElements.accessKey.status : name === 'UpdateAccessKey' ? req.status : 'Deleted';
      if (later(stamp, key.status)) key.status = { ...stamp, value };
    } else if (name === 'CreateUser' || name === 'DeleteUser') {
      const user = userOf(userArn(req.userName));
      if (later(stamp, user.lifecycle)) user.lifecycle = { ...stamp, state: name === 'CreateUser' ? 'created' : 'deleted' };
    } else if (name === 'EnableMFADevice' || name === 'DeactivateMFADevice') {
      const user = userOf(req.userName ? userArn(req.userName) : self!);
      const enabled = name === 'EnableMFADevice';
      if (later(stamp, user.mfa)) user.mfa = { ...stamp, state: enabled ? 'enabled' : 'disabled', source: enabled ? 'device_enabled' : 'device_deactivated' };
    } else if (name === 'UpdateAccountPasswordPolicy' || name === 'DeleteAccountPasswordPolicy') {
      const current = f.accounts.get(account)!;
      if (later(stamp, current.policy)) current.policy = { ...stamp, request: name === 'UpdateAccountPasswordPolicy' ? req : null, eventId: record.eventID };
    }
  }
  return f;
}

// --- the API answers the fold predicts ---

function expectedProfile(f: Fold, subject: string, now: number) {
  const a = f.activity.get(subject);
  const roles = [...(f.roles.get(subject) ?? new Map())].map(([role, r]) => ({ role, name: role.slice(role.lastIndexOf('/') + 1), subject, uses: r.uses, first_used: r.first, last_used: r.last }));
  const groups = [...f.memberships.values()].filter((m) => m.member === subject && m.active).map((m) => ({ group: m.group, name: m.name, member: subject, since: m.at }));
  const held: Array<[string, string]> = [[subject, 'direct'], ...groups.map((g): [string, string] => [g.group, `via_group:${g.name}`]), ...roles.map((r): [string, string] => [r.role, `via_role:${r.name}`])];
  const privileges = held.flatMap(([holder, how]) =>
    [...f.policies.values()].filter((p) => p.holder === holder && p.attached).map((p) => ({ policy: p.policy, policy_type: p.policyType, held: how, holder, since: p.at })),
  );
  const keys = [...f.keys].filter(([, k]) => k.owner === subject).map(([id, k]) => keyAnswer(id, k, now));
  const user = f.users.get(subject);
  const mfaDevice = user?.mfa ?? null;
  const reference = f.latestSourceTime !== null && Date.parse(f.latestSourceTime) <= now ? f.latestSourceTime : new Date(now).toISOString();
  const lastActiveAt = maxOf(a?.lastActiveAt ?? null, user?.activeAt ?? null);
  const idleSince = lastActiveAt ?? (user?.lifecycle?.state === 'created' ? user.lifecycle.at : null);
  const idle = idleSince === null ? null : Math.max(0, Date.parse(reference) - Date.parse(idleSince));
  const logins = a?.logins ?? 0;
  return {
    authentication: {
      factor_types: [...(a?.types ?? [])].sort(),
      factor_methods: [...(a?.methods ?? [])].sort(),
      logins,
      last_login_at: a?.lastLogin?.at ?? null,
      failed_logins: a?.failed ?? 0,
      last_failed_login_at: a?.lastFailed ?? null,
      mfa: {
        last: a?.lastLogin ? a.lastLogin.mfa : null,
        last_at: a?.lastLogin?.at ?? null,
        logins_with_mfa: a?.mfaLogins ?? 0,
        coverage: logins === 0 ? null : a!.mfaLogins / logins,
        device: mfaDevice?.state ?? null,
        device_source: mfaDevice?.source ?? null,
        device_changed_at: mfaDevice?.at ?? null,
      },
    },
    groups,
    roles,
    privileges,
    root_use: { events: a?.rootEvents ?? 0, last_at: a?.lastRootAt ?? null },
    credentials: { access_keys: keys },
    dormancy: {
      last_active_at: lastActiveAt,
      reference_time: new Date(reference).toISOString(),
      idle_days: idle === null ? null : Math.floor(idle / DAY_MS),
      dormant: idle === null ? null : idle >= 90 * DAY_MS,
      threshold_days: 90,
    },
  };
}

function keyAnswer(id: string, k: Fold['keys'] extends Map<string, infer K> ? K : never, now: number) {
  const status = k.status?.value ?? null;
  return {
    access_key_id: id,
    owner: k.owner,
    status,
    created_at: k.createdAt,
    last_used_at: k.lastUsedAt,
    age_days: k.createdAt === null || status === 'Deleted' ? null : Math.floor((now - Date.parse(k.createdAt)) / DAY_MS),
  };
}

function expectedPosture(f: Fold, account: string, now: number) {
  const acc = f.accounts.get(account)!;
  const request = acc.policy?.request;
  const state = acc.policy === null ? 'unknown' : request === null ? 'deleted' : 'set';
  const r: Json = request ?? {};
  const settings =
    state === 'unknown'
      ? null
      : {
          minimum_length: r.minimumPasswordLength ?? 8,
          require_uppercase: r.requireUppercaseCharacters === true,
          require_lowercase: r.requireLowercaseCharacters === true,
          require_numbers: r.requireNumbers === true,
          require_symbols: r.requireSymbols === true,
          reuse_prevention: r.passwordReusePrevention ?? 0,
          max_age_days: r.maxPasswordAge ?? 0,
          allow_users_to_change: r.allowUsersToChangePassword === true,
          hard_expiry: r.hardExpiry === true,
        };
  let gaps: Json[] | null = null;
  if (settings !== null) {
    gaps = [];
    if (settings.minimum_length < 14) gaps.push({ setting: 'minimum_length', required: 14, actual: settings.minimum_length });
    for (const flag of ['require_uppercase', 'require_lowercase', 'require_numbers', 'require_symbols'] as const) {
      if (!settings[flag]) gaps.push({ setting: flag, required: true, actual: false });
    }
    if (settings.reuse_prevention < 24) gaps.push({ setting: 'reuse_prevention', required: 24, actual: settings.reuse_prevention });
    if (settings.max_age_days === 0 || settings.max_age_days > 90) gaps.push({ setting: 'max_age_days', required: 90, actual: settings.max_age_days });
  }
  const root = `arn:aws:iam::${account}:root`;
  return {
    account,
    events: acc.events,
    first_seen: acc.first,
    last_seen: acc.last,
    password_policy: {
      state,
      settings,
      changed_at: acc.policy?.at ?? null,
      event_id: acc.policy?.eventId ?? null,
      compliant: gaps === null ? null : gaps.length === 0,
      gaps,
    },
    root_access_keys: [...f.keys].filter(([, k]) => k.owner === root && k.status?.value !== 'Deleted').map(([id, k]) => keyAnswer(id, k, now)),
    users_without_mfa: [...f.users]
      .filter(([arn, u]) => arn.startsWith(`arn:aws:iam::${account}:user/`) && u.lifecycle?.state !== 'deleted' && (u.lifecycle?.state === 'created' || u.activeAt !== null) && u.mfa?.state !== 'enabled')
      .map(([arn, u]) => ({
        subject: arn,
        created_at: u.lifecycle?.state === 'created' ? u.lifecycle.at : null,
        last_active_at: u.activeAt,
        mfa: u.mfa?.state === 'disabled' ? 'disabled' : null,
        mfa_changed_at: u.mfa?.at ?? null,
      })),
    direct_privileges: [...f.policies.values()]
      .filter((p) => p.account === account && p.holderType === 'user' && p.attached)
      .map((p) => ({ subject: p.holder, policy: p.policy, policy_type: p.policyType, since: p.at })),
  };
}

/** Lists in a fixed order on both sides (the API's order is Postgres collation's), and key ages checked apart. */
function comparable(value: Json, ages: Array<number | null>): Json {
  const sorted = (list: Json[], key: (x: Json) => string) => [...list].sort((x, y) => byText(key(x), key(y)));
  const out: Json = { ...value };
  const stripAges = (keys: Json[]) => sorted(keys, (k) => k.access_key_id).map(({ age_days, ...rest }) => (ages.push(age_days), rest));
  if (out.groups) out.groups = sorted(out.groups, (g) => `${g.group}|${g.member}`);
  if (out.roles) out.roles = sorted(out.roles, (r) => `${r.role}|${r.subject}`);
  if (out.privileges) out.privileges = sorted(out.privileges, (p) => `${p.held}|${p.policy_type}|${p.policy}`);
  if (out.credentials) out.credentials = { access_keys: stripAges(out.credentials.access_keys) };
  if (out.root_access_keys) out.root_access_keys = stripAges(out.root_access_keys);
  if (out.users_without_mfa) out.users_without_mfa = sorted(out.users_without_mfa, (u) => u.subject);
  if (out.direct_privileges) out.direct_privileges = sorted(out.direct_privileges, (p) => `${p.subject}|${p.policy_type}|${p.policy}`);
  return out;
}

const PROFILE_FIELDS = ['authentication', 'groups', 'roles', 'privileges', 'root_use', 'credentials', 'dormancy'] as const;
const PROJECTION_TABLES: Record<string, string> = {
  projection_profile_activity: 'subject',
  projection_profile_roles: 'subject, role',
  projection_profile_memberships: 'member, group_id',
  projection_profile_policies: 'holder, policy_type, policy',
  projection_profile_access_keys: 'key_id',
  projection_profile_users: 'subject',
  projection_profile_clocks: 'system',
  projection_account_posture: 'account',
};

describe('accountability profile and account posture on a generated workload', () => {
  let t: TestLedger;
  let records: Json[];
  let people: People;
  let expected: Fold;
  let subjects: string[];

  beforeAll(async () => {
    t = await startTestLedger({ databaseUrl: inject('databaseUrl'), kafkaBrokers: inject('kafkaBrokers') }, 'profiles', {
      LEDGER_INGEST_ENABLED: 'false',
      LEDGER_RATE_LIMIT_PER_SECOND: '0',
    });
    const workload = generateWorkload(WORKLOAD);
    people = pickPeople(workload.subjects);
    const generated = workload.records as unknown as Json[];
    const supplement = supplementRecords(people);
    records = [...generated, ...supplement];
    const batches: Json[][] = [];
    for (let i = 0; i < generated.length; i += 250) batches.push(generated.slice(i, i + 250));
    // The AssumeRole comes in a later request than the call made with its key: that call is
    // stored unresolved first (within one batch the ledger would resolve it before storing).
    batches.push(supplement.slice(0, -1), supplement.slice(-1));
    for (const batch of batches) {
      const body = batch.map((r) => JSON.stringify(r)).join('\n');
      const response = await t.api('/v1/events', { method: 'POST', body, headers: { 'content-type': 'application/x-ndjson' } });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ rejected: 0, duplicates: 0 });
    }
    await t.ledger.runtime.waitForReaders(120_000);
    expected = fold(records);
    subjects = [...expected.activity.keys(), ...expected.users.keys(), ...[...expected.keys.values()].map((k) => k.owner).filter((o): o is string => o !== null)];
    subjects = [...new Set(subjects)].sort();
  });
  afterAll(async () => t?.close());

  it('the input has every kind of fact the profile and the posture report', async () => {
    // The generator's own traffic and the hand-made records between them exercise each field.
    expect(records.length).toBeGreaterThan(2000);
    const all = [...expected.policies.values()];
    expect(all.some((p) => p.holderType === 'group' && p.attached)).toBe(true);
    expect(all.some((p) => p.holderType === 'role' && p.attached)).toBe(true);
    expect(all.some((p) => p.holderType === 'user' && p.attached)).toBe(true);
    expect(all.some((p) => p.holderType === 'user' && !p.attached)).toBe(true);
    expect([...expected.memberships.values()].map((m) => m.active).sort()).toEqual(expect.arrayContaining([false, true]));
    expect([...expected.keys.values()].map((k) => k.status?.value)).toEqual(expect.arrayContaining(['Active', 'Inactive', 'Deleted', undefined]));
    const activity = [...expected.activity.values()];
    expect(activity.some((a) => a.failed > 0) && activity.some((a) => a.mfaLogins > 0) && activity.some((a) => a.logins > a.mfaLogins)).toBe(true);
    expect(activity.some((a) => a.rootEvents > 0)).toBe(true);
    expect([...expected.users.values()].map((u) => u.mfa?.source)).toEqual(expect.arrayContaining(['used', 'device_enabled', 'device_deactivated']));
    expect([...expected.accounts.values()].map((a) => (a.policy === null ? 'unknown' : a.policy.request === null ? 'deleted' : 'set')).sort()).toEqual(['deleted', 'set']);
    // a call stored before the AssumeRole behind it was re-attributed by the ledger
    const { rows } = await t.db.pool.query('SELECT count(*)::int AS n FROM ledger_reattributions');
    expect(rows[0].n).toBeGreaterThan(0);
    expect(subjects.length).toBeGreaterThan(15);
  });

  it('answers every profile field of every subject as the independent fold computes it', async () => {
    let compared = 0;
    for (const subject of subjects) {
      const before = Date.now();
      const response = await t.api(`/v1/subjects/${encodeURIComponent(subject)}`);
      const after = Date.now();
      expect(response.status, subject).toBe(200);
      const body = (await response.json()) as Json;
      expect(body.subject, subject).toBe(subject);
      const ages: Array<number | null> = [];
      const actual = comparable(Object.fromEntries(PROFILE_FIELDS.map((field) => [field, body[field]])), ages);
      const expectedAges: Array<number | null> = [];
      const wanted = comparable(expectedProfile(expected, subject, before), expectedAges);
      for (const field of PROFILE_FIELDS) expect(actual[field], `${subject}: ${field}`).toEqual(wanted[field]);
      // ages are computed at request time: the day may turn between the two clocks
      const agesAfter: Array<number | null> = [];
      comparable(expectedProfile(expected, subject, after), agesAfter);
      ages.forEach((age, i) => expect([expectedAges[i], agesAfter[i]], `${subject}: key age`).toContain(age));
      compared++;
    }
    expect(compared).toBe(subjects.length);
  });

  it("answers every subject's timeline and every target's history as the fold computes them, field by field, across pages", async () => {
    // Reads are self-audited into the ledger (at the time of the request, with the subject or
    // target read as their target): `to` keeps those out, and is itself a filter under test.
    const to = '2026-11-10T00:00:00Z';
    const pages = async (path: string) => {
      const items: Json[] = [];
      let cursor: string | null = null;
      let requests = 0;
      do {
        const query = new URLSearchParams({ limit: '37', to, ...(cursor ? { cursor } : {}) });
        const response = await t.api(`${path}?${query}`);
        expect(response.status, path).toBe(200);
        const page = (await response.json()) as Json;
        items.push(...page.items);
        cursor = page.next_cursor;
        expect(++requests, path).toBeLessThan(1000);
      } while (cursor !== null);
      return items;
    };
    const inEventTimeOrder = (entries: Fold['attributed']) =>
      [...entries].sort((x, y) => Date.parse(x.event.time) - Date.parse(y.event.time) || x.order - y.order);
    // What the API must say of one event: the normalized record as the fold read it, under the
    // actor who answers for it now, marked when that is not the actor it was stored under.
    const expectItem = (item: Json, { event, actor }: Fold['attributed'][number], where: string) => {
      const { actor: storedActor, ...fields } = event;
      for (const [field, value] of Object.entries(fields)) expect(item[field], `${where}: ${event.id}: ${field}`).toEqual(value);
      expect(item.received_at, `${where}: ${event.id}: received_at`).toEqual(expect.any(String));
      expect(
        { subject: item.actor.subject, kind: item.actor.kind, principal: item.actor.principal, via: item.actor.via ?? null, credential_id: item.actor.credential_id ?? null },
        `${where}: ${event.id}: actor`,
      ).toEqual({ subject: actor.subject, kind: actor.kind, principal: actor.principal, via: actor.via ?? null, credential_id: actor.credential_id ?? null });
      // Marked only when the ledger stored it under the normalizer's reading and the record
      // that resolves it came in a later request (one the test sends last, checked below).
      if (item.ledger.reattributed_from) {
        expect(storedActor.subject, `${where}: ${event.id}: re-attributed`).not.toBe(actor.subject);
        expect(item.ledger.reattributed_from.subject, `${where}: ${event.id}: reattributed_from`).toBe(storedActor.subject);
        reattributed.add(event.id);
      }
    };
    const reattributed = new Set<string>();

    const bySubject = groupBy(expected.attributed, (e) => e.actor.subject);
    let timelineItems = 0;
    const ledgerRecords: Json[] = [];
    for (const [subject, entries] of bySubject) {
      const all = await pages(`/v1/subjects/${encodeURIComponent(subject)}/activity`);
      // The ledger's own records of what it decided are on the timeline of the person concerned.
      ledgerRecords.push(...all.filter((i) => i.origin.system === 'ledger'));
      const items = all.filter((i) => i.origin.system !== 'ledger');
      const wanted = inEventTimeOrder(entries);
      expect(items.map((i) => i.id), subject).toEqual(wanted.map((e) => e.event.id));
      items.forEach((item, i) => expectItem(item, wanted[i]!, subject));
      timelineItems += items.length;
    }
    expect(timelineItems).toBe(records.length);
    const lateResolved = records.find((r) => r.eventName === 'ListBuckets' && r.userIdentity.accessKeyId === 'ASIASUPPCHAIN0000001')!;
    expect([...reattributed]).toEqual([lateResolved.eventID]);
    expect(ledgerRecords.map((r) => [r.type, r.actor.subject])).toEqual([['identity.attribution.resolved', `arn:aws:iam::${A}:user/${people.target}`]]);

    const byTarget = groupBy(
      expected.attributed.filter((e) => e.event.target !== null),
      (e) => e.event.target!.id,
    );
    expect(byTarget.size).toBeGreaterThan(20);
    for (const [target, entries] of byTarget) {
      const items = await pages(`/v1/targets/${encodeURIComponent(target)}/activity`);
      const wanted = inEventTimeOrder(entries);
      expect(items.map((i) => i.id), target).toEqual(wanted.map((e) => e.event.id));
      items.forEach((item, i) => expectItem(item, wanted[i]!, target));
    }
  });

  it('shows the hand-made facts where they belong: on the target, not on the administrator', async () => {
    const target = `arn:aws:iam::${A}:user/${people.target}`;
    const body = (await (await t.api(`/v1/subjects/${encodeURIComponent(target)}`)).json()) as Json;
    expect(body.groups.map((g: Json) => g.name)).toContain('developers');
    expect(body.groups.map((g: Json) => g.name)).not.toContain('admins');
    expect(body.privileges).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ policy: 'arn:aws:iam::aws:policy/PowerUserAccess', held: 'via_group:developers' }),
        expect.objectContaining({ policy: 'scratch-access', policy_type: 'inline', held: 'direct' }),
        expect.objectContaining({ policy: 'arn:aws:iam::aws:policy/AmazonS3FullAccess', held: 'via_role:deployer' }),
      ]),
    );
    expect(body.credentials.access_keys.find((k: Json) => k.access_key_id === 'AKIASUPPTARGET100001')).toMatchObject({ status: 'Inactive', last_used_at: '2026-11-02T11:00:00.000Z' });
    expect(body.authentication.mfa.device).toBe('enabled');
    const admin = (await (await t.api(`/v1/subjects/${encodeURIComponent(`arn:aws:iam::${A}:user/${people.admin}`)}`)).json()) as Json;
    expect(admin.privileges.filter((p: Json) => p.policy === 'scratch-access')).toEqual([]);
    const contractor = (await (await t.api(`/v1/subjects/${encodeURIComponent(`arn:aws:iam::${A}:user/old.contractor`)}`)).json()) as Json;
    expect(contractor.dormancy).toMatchObject({ dormant: true, last_active_at: '2026-07-01T09:05:00.000Z' });
    expect(contractor.authentication).toMatchObject({ failed_logins: 2, last_failed_login_at: '2026-11-02T03:00:30.000Z', logins: 1 });
    // the re-attributed call took its role use along: nothing left under the subject it was stored under
    const { rows } = await t.db.pool.query('SELECT e.actor_subject AS previous, r.subject FROM ledger_reattributions r JOIN ledger_events e USING (position)');
    expect(rows).toHaveLength(1);
    expect(rows[0].subject).toBe(target);
    expect(rows[0].previous).not.toBe(target);
    const previous = (await (await t.api(`/v1/subjects/${encodeURIComponent(rows[0].previous)}`)).json()) as Json;
    expect(previous.roles).toEqual([]);
    expect(body.roles.find((r: Json) => r.name === 'deployer')).toMatchObject({ uses: 2, first_used: '2026-11-02T16:00:00.000Z', last_used: '2026-11-02T16:10:00.000Z' });
    const created = (await (await t.api(`/v1/subjects/${encodeURIComponent(`arn:aws:iam::${A}:user/svc-reports`)}`)).json()) as Json;
    expect(created.events).toBe(0); // only ever acted upon
    expect(created.credentials.access_keys.map((k: Json) => k.access_key_id)).toEqual(['AKIASUPPSVCREPORTS01']);
  });

  it('answers the posture of each account as the fold computes it, 404 for an account the ledger never saw', async () => {
    for (const account of [A, B]) {
      const before = Date.now();
      const response = await t.api(`/v1/accounts/${account}/posture`);
      const after = Date.now();
      expect(response.status, account).toBe(200);
      const ages: Array<number | null> = [];
      const actual = comparable((await response.json()) as Json, ages);
      const expectedAges: Array<number | null> = [];
      const agesAfter: Array<number | null> = [];
      const wanted = comparable(expectedPosture(expected, account, before), expectedAges);
      comparable(expectedPosture(expected, account, after), agesAfter);
      for (const field of Object.keys(wanted)) expect(actual[field], `${account}: ${field}`).toEqual(wanted[field]);
      expect(Object.keys(actual).sort()).toEqual(Object.keys(wanted).sort());
      ages.forEach((age, i) => expect([expectedAges[i], agesAfter[i]], `${account}: key age`).toContain(age));
    }
    const a = (await (await t.api(`/v1/accounts/${A}/posture`)).json()) as Json;
    expect(a.password_policy.gaps.map((g: Json) => g.setting)).toEqual(['require_symbols', 'max_age_days']);
    expect(a.root_access_keys).toHaveLength(1); // the generator's root key incident
    expect(a.users_without_mfa.map((u: Json) => u.subject)).toContain(`arn:aws:iam::${A}:user/svc-reports`);
    expect(a.direct_privileges.map((p: Json) => p.policy)).toContain('arn:aws:iam::aws:policy/AdministratorAccess');
    const b = (await (await t.api(`/v1/accounts/${B}/posture`)).json()) as Json;
    expect(b.password_policy).toMatchObject({ state: 'deleted', compliant: false });
    expect(b.root_access_keys).toEqual([]);

    const unknown = await t.api('/v1/accounts/999999999999/posture');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
    expect(await unknown.json()).toMatchObject({ code: 'not_found' });
    for (const [value, status] of [
      ['x'.repeat(300), 400],
      ['a%00b', 400],
      [encodeURIComponent("' OR '1'='1"), 400],
      [encodeURIComponent(`${A}'--`), 400],
      ['abc', 400],
      [A.slice(1), 400],
      [encodeURIComponent(`arn:aws:iam::${A}:root`), 400],
    ] as const) {
      const hostile = await t.api(`/v1/accounts/${value}/posture`);
      expect(hostile.status, value).toBe(status);
      expect(hostile.headers.get('content-type'), value).toContain('application/problem+json');
      if (status === 400) expect(await hostile.json()).toMatchObject({ code: 'invalid_argument', field: 'account' });
    }
  });

  it('documents both operations in the OpenAPI document, with their schemas and problems', async () => {
    const openapi = (await (await fetch(`${t.ledger.url}/openapi.json`)).json()) as Json;
    const posture = openapi.paths['/v1/accounts/{account}/posture'].get;
    expect(posture.parameters).toEqual([expect.objectContaining({ name: 'account', in: 'path', required: true, schema: expect.any(Object) })]);
    expect(posture.responses['200'].content['application/json'].schema.$ref).toContain('AccountPostureDto');
    expect(Object.keys(posture.responses)).toEqual(expect.arrayContaining(['200', '400', '404']));
    const profile = openapi.paths['/v1/subjects/{subject}'].get;
    expect(profile.responses['200'].content['application/json'].schema.$ref).toContain('AccountabilityProfileDto');
    const schemas = openapi.components.schemas;
    expect(Object.keys(schemas.AccountabilityProfileDto.properties)).toEqual(
      expect.arrayContaining(['subject', 'person', 'aliases', 'events', 'first_seen', 'last_seen', ...PROFILE_FIELDS]),
    );
    expect(Object.keys(schemas.AccountPostureDto.properties).sort()).toEqual(
      ['account', 'direct_privileges', 'events', 'first_seen', 'last_seen', 'password_policy', 'root_access_keys', 'users_without_mfa'],
    );
  });

  it('records each posture read in the ledger, by the caller, naming the account', async () => {
    await t.api(`/v1/accounts/${B}/posture`);
    await t.flushAudit();
    const { rows } = await t.db.pool.query(
      "SELECT actor_subject, action, target_id FROM ledger_events WHERE origin_system = 'ledger' AND action = 'ledger:GetAccountPosture' AND target_id = $1",
      [B],
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows[0]).toMatchObject({ actor_subject: 'local:e2e-operator' });
  });

  it('rebuilds from position 0, in other batch sizes, into the very rows the live projections kept', async () => {
    await t.flushAudit();
    await t.ledger.runtime.waitForReaders(60_000);
    const snapshot = async () => {
      const tables: Json = {};
      for (const [table, key] of Object.entries(PROJECTION_TABLES)) tables[table] = (await t.db.pool.query(`SELECT * FROM ${table} ORDER BY ${key}`)).rows;
      return tables;
    };
    const live = await snapshot();
    expect(live.projection_profile_activity.length).toBeGreaterThan(10);
    const logger = createLogger('silent');
    for (const [projection, batch] of [
      [subjectProfilesProjection, 97],
      [accountPostureProjection, 331],
    ] as const) {
      await new ProjectionRunner(t.db.pool, t.ledger.runtime.queries, projection, logger, batch).rebuild();
    }
    // the live runners may have taken over part of the replay: wait until both are at the head again
    await t.ledger.runtime.waitForReaders(60_000);
    expect(await snapshot()).toEqual(live);
  });
});
