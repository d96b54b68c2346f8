import { describe, expect, it } from 'vitest';
import { ACCOUNT, ADMIN, ALICE, iamCall, ledgerEvents, ROOT } from './testing/profile-events.js';
import { evolveSubjectProfiles } from './subject-profiles.projection.js';

const aliceTarget = { type: 'AWS::IAM::User', id: ALICE, name: 'alice' };
const login = (mfa: true | false | 'delegated' | 'unknown', outcome: 'success' | 'failure' = 'success') => ({
  type: 'authentication.login',
  category: 'authentication' as const,
  action: 'signin:ConsoleLogin',
  outcome,
  actor: { subject: ALICE, principal: ALICE, kind: 'human' as const, via: null, attribution: 'direct' as const },
  authentication: { factors: mfa === true ? [{ type: 'knowledge' as const, method: 'password' }, { type: 'possession' as const, method: 'totp' }] : [{ type: 'knowledge' as const, method: 'password' }], mfa },
});

describe('evolveSubjectProfiles: what the actor did', () => {
  it('summarises sign-ins: MFA coverage, the last MFA value by event time, failures, factors', () => {
    const e = ledgerEvents();
    const changes = evolveSubjectProfiles([
      e.next({ time: '2026-11-02T10:00:00.000Z', ...login(true) }),
      e.next({ time: '2026-11-02T08:00:00.000Z', ...login(false) }), // arrives late: not the last sign-in
      e.next({ time: '2026-11-02T09:00:00.000Z', ...login('delegated') }),
      e.next({ time: '2026-11-02T11:00:00.000Z', ...login('unknown', 'failure') }),
      e.next({ time: '2026-11-02T07:00:00.000Z', ...login('unknown', 'failure') }),
    ]);
    expect(changes.activity).toEqual([
      {
        subject: ALICE,
        lastActiveAt: '2026-11-02T10:00:00.000Z', // a failed sign-in is not the account in use
        rootEvents: 0,
        lastRootAt: null,
        logins: 3,
        mfaLogins: 2,
        lastLogin: { at: '2026-11-02T10:00:00.000Z', position: 0, mfa: 'true' },
        failedLogins: 2,
        lastFailedLoginAt: '2026-11-02T11:00:00.000Z',
        factorTypes: ['knowledge', 'possession'],
        factorMethods: ['password', 'totp'],
      },
    ]);
  });

  it('of two sign-ins at the same time, the one stored later is the last', () => {
    const e = ledgerEvents();
    const [delta] = evolveSubjectProfiles([e.next({ time: '2026-11-02T10:00:00.000Z', ...login(true) }), e.next({ time: '2026-11-02T10:00:00.000Z', ...login(false) })]).activity;
    expect(delta!.lastLogin).toEqual({ at: '2026-11-02T10:00:00.000Z', position: 1, mfa: 'false' });
  });

  it('counts root use and the roles a subject acts through or assumes, by their path-less ARN', () => {
    const e = ledgerEvents();
    const via = 'arn:aws:iam::444455556666:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Dev_1';
    const changes = evolveSubjectProfiles([
      e.next({ time: '2026-11-02T10:00:00.000Z', actor: { subject: ROOT, principal: ROOT, kind: 'root', via: null, attribution: 'direct' } }),
      e.next({ time: '2026-11-02T11:00:00.000Z', actor: { subject: 'alice@example.com', principal: 'arn:aws:sts::444455556666:assumed-role/AWSReservedSSO_Dev_1/alice@example.com', kind: 'human', via, attribution: 'session_name_claim' } }),
      e.next({ time: '2026-11-02T09:00:00.000Z', actor: { subject: 'alice@example.com', principal: 'x', kind: 'human', via, attribution: 'session_name_claim' }, outcome: 'failure' }),
      e.next({ time: '2026-11-02T08:00:00.000Z', action: 'sts:AssumeRole', type: 'authorization.role.assumed', actor: { subject: ALICE, principal: ALICE, kind: 'human', via: null, attribution: 'direct' }, target: { type: 'AWS::IAM::Role', id: 'arn:aws:iam::444455556666:role/ops-admin' } }),
      e.next({ time: '2026-11-02T08:30:00.000Z', action: 'sts:AssumeRole', type: 'authorization.role.assumed', outcome: 'failure', actor: { subject: ALICE, principal: ALICE, kind: 'human', via: null, attribution: 'direct' }, target: { type: 'AWS::IAM::Role', id: 'arn:aws:iam::444455556666:role/admin' } }),
    ]);
    expect(changes.activity.find((a) => a.subject === ROOT)).toMatchObject({ rootEvents: 1, lastRootAt: '2026-11-02T10:00:00.000Z' });
    expect(changes.roleUses).toEqual([
      { subject: 'alice@example.com', role: 'arn:aws:iam::444455556666:role/AWSReservedSSO_Dev_1', roleName: 'AWSReservedSSO_Dev_1', uses: 2, firstUsed: '2026-11-02T09:00:00.000Z', lastUsed: '2026-11-02T11:00:00.000Z' },
      { subject: ALICE, role: 'arn:aws:iam::444455556666:role/ops-admin', roleName: 'ops-admin', uses: 1, firstUsed: '2026-11-02T08:00:00.000Z', lastUsed: '2026-11-02T08:00:00.000Z' },
    ]);
  });

  it('moves a re-attributed event: its role use leaves the subject it was stored under and counts for the resolved one', () => {
    const e = ledgerEvents();
    const session = 'arn:aws:sts::444455556666:assumed-role/deployer/s1';
    const role = 'arn:aws:iam::444455556666:role/deployer';
    const changes = evolveSubjectProfiles([
      e.next({ time: '2026-11-02T10:00:00.000Z', actor: { subject: session, principal: session, kind: 'unknown', via: role, attribution: 'unresolved', credential_id: 'ASIA1' } }),
      e.next({
        time: '2026-11-02T10:00:00.000Z',
        type: 'identity.attribution.resolved',
        action: 'ledger:ResolveAttribution',
        actor: { subject: ALICE, principal: session, kind: 'human', via: role, attribution: 'credential_chain' },
        origin: { system: 'ledger', account: '444455556666', region: null, kafka: null },
        raw: JSON.stringify({ event_id: 'e0', position: 0, previous: { subject: session, attribution: 'unresolved' }, resolved: { subject: ALICE, attribution: 'credential_chain', via: role } }),
      }),
    ]);
    expect(changes.roleUses.map((r) => [r.subject, r.uses])).toEqual([
      [session, 0],
      [ALICE, 1],
    ]);
    expect(changes.activity.find((a) => a.subject === ALICE)!.lastActiveAt).toBe('2026-11-02T10:00:00.000Z');
  });

  it('ignores the detector records that speak about a subject, and keeps a clock per source system', () => {
    const e = ledgerEvents();
    const changes = evolveSubjectProfiles([
      e.next({ time: '2026-12-01T00:00:00.000Z', type: 'accountability.anomaly.raised', actor: { subject: ALICE, principal: ALICE, kind: 'unknown', via: null, attribution: 'direct' }, origin: { system: 'ledger', account: null, region: null, kafka: null } }),
      e.next({ time: '2026-11-02T10:00:00.000Z' }),
      e.next({ time: '2026-11-02T09:00:00.000Z' }),
    ]);
    expect(changes.activity.map((a) => a.subject)).toEqual([ADMIN]);
    expect(changes.clocks).toEqual([
      { system: 'ledger', lastEventAt: '2026-12-01T00:00:00.000Z' },
      { system: 'aws-cloudtrail', lastEventAt: '2026-11-02T10:00:00.000Z' },
    ]);
  });
});

describe('evolveSubjectProfiles: what was done to the target', () => {
  it('keeps the latest membership of each user in each group, whatever the arrival order', () => {
    const e = ledgerEvents();
    const changes = evolveSubjectProfiles([
      e.next(iamCall('iam:RemoveUserFromGroup', 'identity.group.member_removed', '2026-11-02T12:00:00.000Z', { userName: 'alice', groupName: 'ops' }, { target: aliceTarget })),
      e.next(iamCall('iam:AddUserToGroup', 'identity.group.member_added', '2026-11-02T10:00:00.000Z', { userName: 'alice', groupName: 'ops' }, { target: aliceTarget })),
      e.next(iamCall('iam:AddUserToGroup', 'identity.group.member_added', '2026-11-02T11:00:00.000Z', { userName: 'alice', groupName: 'developers' }, { target: aliceTarget })),
      e.next(iamCall('iam:AddUserToGroup', 'identity.group.member_added', '2026-11-02T13:00:00.000Z', { userName: 'alice', groupName: 'admins' }, { target: aliceTarget, outcome: 'failure' })),
    ]);
    expect(changes.memberships).toEqual([
      { member: ALICE, group: `arn:aws:iam::${ACCOUNT}:group/ops`, groupName: 'ops', active: false, at: '2026-11-02T12:00:00.000Z', position: 0 },
      { member: ALICE, group: `arn:aws:iam::${ACCOUNT}:group/developers`, groupName: 'developers', active: true, at: '2026-11-02T11:00:00.000Z', position: 2 },
    ]);
    // the administrator who acted gets no membership
    expect(changes.memberships.some((m) => m.member === ADMIN)).toBe(false);
  });

  it('records managed and inline policies under the user, group or role that holds them', () => {
    const e = ledgerEvents();
    const changes = evolveSubjectProfiles([
      e.next(iamCall('iam:AttachUserPolicy', 'authorization.policy.attached', '2026-11-02T10:00:00.000Z', { userName: 'alice', policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' })),
      e.next(iamCall('iam:AttachGroupPolicy', 'authorization.policy.attached', '2026-11-02T10:01:00.000Z', { groupName: 'ops', policyArn: 'arn:aws:iam::aws:policy/PowerUserAccess' })),
      e.next(iamCall('iam:PutRolePolicy', 'authorization.inline_policy.put', '2026-11-02T10:02:00.000Z', { roleName: 'deployer', policyName: 'deploy', policyDocument: '{}' })),
      e.next(iamCall('iam:DetachUserPolicy', 'authorization.policy.detached', '2026-11-02T10:03:00.000Z', { userName: 'alice', policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' })),
      e.next(iamCall('iam:PutUserPolicy', 'authorization.inline_policy.put', '2026-11-02T10:04:00.000Z', { userName: 'alice', policyName: 'scratch' })),
    ]);
    expect(changes.policies.map((p) => [p.holder, p.holderType, p.policyType, p.policy, p.attached, p.account])).toEqual([
      [ALICE, 'user', 'managed', 'arn:aws:iam::aws:policy/ReadOnlyAccess', false, ACCOUNT],
      [`arn:aws:iam::${ACCOUNT}:group/ops`, 'group', 'managed', 'arn:aws:iam::aws:policy/PowerUserAccess', true, ACCOUNT],
      [`arn:aws:iam::${ACCOUNT}:role/deployer`, 'role', 'inline', 'deploy', true, ACCOUNT],
      [ALICE, 'user', 'inline', 'scratch', true, ACCOUNT],
    ]);
  });

  it('follows an access key through creation, deactivation, deletion and use', () => {
    const e = ledgerEvents();
    const keyed = (time: string) => ({ time, actor: { subject: ALICE, principal: 'arn:aws:iam::111122223333:user/team/alice', kind: 'human' as const, via: null, attribution: 'direct' as const, credential_id: 'AKIAALICE1' } });
    const changes = evolveSubjectProfiles([
      e.next(keyed('2026-11-02T09:00:00.000Z')), // used before its creation record arrived
      e.next(iamCall('iam:CreateAccessKey', 'identity.access_key.created', '2026-11-01T10:00:00.000Z', { userName: 'alice' }, { response: { accessKey: { accessKeyId: 'AKIAALICE1', status: 'Active', userName: 'alice' } } })),
      e.next(iamCall('iam:UpdateAccessKey', 'identity.access_key.updated', '2026-11-03T10:00:00.000Z', { userName: 'alice', accessKeyId: 'AKIAALICE1', status: 'Inactive' })),
      e.next(keyed('2026-11-02T12:00:00.000Z')),
      e.next({ ...keyed('2026-11-02T13:00:00.000Z'), actor: { ...keyed('').actor, credential_id: 'ASIATEMPORARY' } }), // temporary keys are not tracked
      e.next(iamCall('iam:CreateAccessKey', 'identity.access_key.created', '2026-11-02T10:00:00.000Z', null, {
        response: { accessKey: { accessKeyId: 'AKIAROOT1', status: 'Active' } },
        actor: { subject: ROOT, principal: ROOT, kind: 'root', via: null, attribution: 'direct' },
        target: { type: 'AWS::IAM::Root', id: ROOT, name: null },
      })),
      e.next(iamCall('iam:DeleteAccessKey', 'identity.access_key.deleted', '2026-11-02T11:00:00.000Z', { accessKeyId: 'AKIAOLD' }, { target: { type: 'AWS::IAM::User', id: ADMIN, name: null } })),
    ]);
    expect(changes.accessKeys).toEqual([
      { keyId: 'AKIAALICE1', owner: ALICE, account: ACCOUNT, createdAt: '2026-11-01T10:00:00.000Z', status: { at: '2026-11-03T10:00:00.000Z', position: 2, value: 'Inactive' }, lastUsedAt: '2026-11-02T12:00:00.000Z' },
      { keyId: 'AKIAROOT1', owner: ROOT, account: ACCOUNT, createdAt: '2026-11-02T10:00:00.000Z', status: { at: '2026-11-02T10:00:00.000Z', position: 5, value: 'Active' }, lastUsedAt: null },
      { keyId: 'AKIAOLD', owner: ADMIN, account: ACCOUNT, createdAt: null, status: { at: '2026-11-02T11:00:00.000Z', position: 6, value: 'Deleted' }, lastUsedAt: null },
    ]);
  });

  it('keeps IAM users created, deleted or active, with their latest MFA evidence', () => {
    const e = ledgerEvents();
    const bob = `arn:aws:iam::${ACCOUNT}:user/bob`;
    const bobActs = (time: string, mfa: boolean, outcome: 'success' | 'failure' = 'success') => ({
      time,
      outcome,
      actor: { subject: bob, principal: bob, kind: 'human' as const, via: null, attribution: 'direct' as const },
      authentication: { factors: [{ type: 'possession' as const, method: 'console_session' }], mfa },
    });
    const changes = evolveSubjectProfiles([
      e.next(iamCall('iam:CreateUser', 'identity.user.created', '2026-11-02T08:00:00.000Z', { userName: 'bob' }, { target: { type: 'AWS::IAM::User', id: `arn:aws:iam::${ACCOUNT}:user/eng/bob`, name: 'bob' } })),
      e.next(iamCall('iam:EnableMFADevice', 'identity.mfa_device.enabled', '2026-11-02T09:00:00.000Z', { userName: 'bob', serialNumber: 'arn:aws:iam::111122223333:mfa/bob' }, { target: { type: 'AWS::IAM::User', id: bob, name: 'bob' } })),
      e.next(bobActs('2026-11-02T09:30:00.000Z', true)),
      e.next(iamCall('iam:DeactivateMFADevice', 'identity.mfa_device.deactivated', '2026-11-02T10:00:00.000Z', { userName: 'bob', serialNumber: 'arn:aws:iam::111122223333:mfa/bob' }, { target: { type: 'AWS::IAM::User', id: bob, name: 'bob' } })),
      e.next(bobActs('2026-11-02T11:00:00.000Z', false)),
      e.next(bobActs('2026-11-02T12:00:00.000Z', true, 'failure')),
      e.next(iamCall('iam:DeleteUser', 'identity.user.deleted', '2026-11-02T07:00:00.000Z', { userName: 'bob' }, { target: { type: 'AWS::IAM::User', id: bob, name: 'bob' } })), // older than the creation
    ]);
    const users = changes.users.filter((u) => u.user === bob);
    expect(users).toEqual([
      {
        user: bob,
        account: ACCOUNT,
        lifecycle: { at: '2026-11-02T08:00:00.000Z', position: 0, state: 'created' },
        mfa: { at: '2026-11-02T10:00:00.000Z', position: 3, state: 'disabled', source: 'device_deactivated' },
        activeAt: '2026-11-02T11:00:00.000Z',
      },
    ]);
  });

  it('reads Okta group memberships from the record\'s targets', () => {
    const e = ledgerEvents();
    const raw = JSON.stringify({
      eventType: 'group.user_membership.add',
      target: [
        { id: '00u1', type: 'User', alternateId: 'carol@example.com', displayName: 'Carol' },
        { id: '00g9', type: 'UserGroup', alternateId: 'unknown', displayName: 'Engineering' },
      ],
    });
    const changes = evolveSubjectProfiles([
      e.next({ time: '2026-11-02T10:00:00.000Z', type: 'identity.group.member_added', action: 'group.user_membership.add', raw, origin: { system: 'okta', account: null, region: null, kafka: null } }),
    ]);
    expect(changes.memberships).toEqual([{ member: 'okta:carol@example.com', group: 'okta:group:00g9', groupName: 'Engineering', active: true, at: '2026-11-02T10:00:00.000Z', position: 0 }]);
  });
});
