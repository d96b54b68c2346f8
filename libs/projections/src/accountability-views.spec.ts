import { describe, expect, it } from 'vitest';
import { composeAccountPosture, composeSubjectProfile, referenceTime, type ProfileRows, type UserRow } from './accountability-views.js';
import { IAM_DEFAULT_PASSWORD_POLICY } from '#domain';

const ALICE = 'arn:aws:iam::111122223333:user/alice';
const OPS = 'arn:aws:iam::111122223333:group/ops';
const ROLE = 'arn:aws:iam::444455556666:role/deployer';
const NOW = new Date('2026-12-03T12:00:00.000Z');

function rows(overrides: Partial<ProfileRows> = {}): ProfileRows {
  return { keys: [ALICE], activity: [], roles: [], groups: [], policies: [], accessKeys: [], users: [], ...overrides };
}

const activity = (subject: string, overrides: Partial<ProfileRows['activity'][number]> = {}) => ({
  subject,
  lastActiveAt: null,
  rootEvents: 0,
  lastRootAt: null,
  logins: 0,
  mfaLogins: 0,
  lastLoginAt: null,
  lastLoginMfa: null,
  failedLogins: 0,
  lastFailedLoginAt: null,
  factorTypes: [],
  factorMethods: [],
  ...overrides,
});

const user = (overrides: Partial<UserRow>): UserRow => ({ subject: ALICE, account: '111122223333', lifecycle: null, lifecycleAt: null, mfa: null, mfaSource: null, mfaAt: null, activeAt: null, ...overrides });

describe('composeSubjectProfile', () => {
  it('derives privileges: direct, through each group the subject is in, through each role it acts through', () => {
    const view = composeSubjectProfile(
      rows({
        groups: [{ member: ALICE, group: OPS, groupName: 'ops', since: '2026-11-01T00:00:00.000Z' }],
        roles: [{ subject: ALICE, role: ROLE, roleName: 'deployer', uses: 3, firstUsed: '2026-11-01T00:00:00.000Z', lastUsed: '2026-11-02T00:00:00.000Z' }],
        policies: [
          { holder: ALICE, holderType: 'user', policyType: 'managed', policy: 'arn:aws:iam::aws:policy/ReadOnlyAccess', since: '2026-11-01T01:00:00.000Z' },
          { holder: OPS, holderType: 'group', policyType: 'managed', policy: 'arn:aws:iam::aws:policy/ReadOnlyAccess', since: '2026-11-01T02:00:00.000Z' },
          { holder: ROLE, holderType: 'role', policyType: 'inline', policy: 'deploy', since: '2026-11-01T03:00:00.000Z' },
          { holder: 'arn:aws:iam::111122223333:group/other', holderType: 'group', policyType: 'managed', policy: 'arn:aws:iam::aws:policy/Nope', since: '2026-11-01T03:00:00.000Z' },
        ],
      }),
      NOW,
      null,
    );
    expect(view.privileges).toEqual([
      { policy: 'arn:aws:iam::aws:policy/ReadOnlyAccess', policyType: 'managed', held: 'direct', holder: ALICE, since: '2026-11-01T01:00:00.000Z' },
      { policy: 'arn:aws:iam::aws:policy/ReadOnlyAccess', policyType: 'managed', held: 'via_group:ops', holder: OPS, since: '2026-11-01T02:00:00.000Z' },
      { policy: 'deploy', policyType: 'inline', held: 'via_role:deployer', holder: ROLE, since: '2026-11-01T03:00:00.000Z' },
    ]);
  });

  it('sums sign-ins over the aliases of a person; the last MFA value is the latest sign-in\'s', () => {
    const view = composeSubjectProfile(
      rows({
        keys: [ALICE, 'okta:alice@example.com'],
        activity: [
          activity(ALICE, { logins: 3, mfaLogins: 2, lastLoginAt: '2026-11-02T10:00:00.000Z', lastLoginMfa: 'true', factorTypes: ['knowledge'], factorMethods: ['password'], failedLogins: 1, lastFailedLoginAt: '2026-11-02T01:00:00.000Z' }),
          activity('okta:alice@example.com', { logins: 1, mfaLogins: 0, lastLoginAt: '2026-11-02T11:00:00.000Z', lastLoginMfa: 'false', factorTypes: ['possession'], factorMethods: ['push'] }),
        ],
        users: [user({ mfa: 'enabled', mfaSource: 'used', mfaAt: '2026-11-02T10:00:00.000Z' })],
      }),
      NOW,
      null,
    );
    expect(view.authentication).toEqual({
      factorTypes: ['knowledge', 'possession'],
      factorMethods: ['password', 'push'],
      logins: 4,
      lastLoginAt: '2026-11-02T11:00:00.000Z',
      failedLogins: 1,
      lastFailedLoginAt: '2026-11-02T01:00:00.000Z',
      mfa: { last: false, lastAt: '2026-11-02T11:00:00.000Z', loginsWithMfa: 2, coverage: 0.5, device: 'enabled', deviceSource: 'used', deviceChangedAt: '2026-11-02T10:00:00.000Z' },
    });
    expect(composeSubjectProfile(rows(), NOW, null).authentication.mfa).toMatchObject({ last: null, coverage: null, device: null });
  });

  it('computes key ages against now at query time; deleted keys and keys of unknown creation have none', () => {
    const view = composeSubjectProfile(
      rows({
        accessKeys: [
          { keyId: 'AKIA1', owner: ALICE, createdAt: '2026-09-04T12:00:00.000Z', status: 'Active', lastUsedAt: null },
          { keyId: 'AKIA2', owner: ALICE, createdAt: '2026-09-04T12:00:00.000Z', status: 'Deleted', lastUsedAt: null },
          { keyId: 'AKIA3', owner: ALICE, createdAt: null, status: null, lastUsedAt: '2026-11-01T00:00:00.000Z' },
        ],
      }),
      NOW,
      null,
    );
    expect(view.accessKeys.map((k) => [k.accessKeyId, k.ageDays])).toEqual([
      ['AKIA1', 90],
      ['AKIA2', null],
      ['AKIA3', null],
    ]);
  });

  it('is dormant after 90 days without activity before the sources\' latest event time', () => {
    const at = (lastActiveAt: string | null, users: UserRow[] = []) =>
      composeSubjectProfile(rows({ activity: lastActiveAt ? [activity(ALICE, { lastActiveAt })] : [], users }), NOW, '2026-11-02T00:00:00.000Z').dormancy;
    expect(at('2026-08-04T00:00:00.000Z')).toEqual({ lastActiveAt: '2026-08-04T00:00:00.000Z', referenceTime: '2026-11-02T00:00:00.000Z', idleDays: 90, dormant: true, thresholdDays: 90 });
    expect(at('2026-08-04T00:00:00.001Z')).toMatchObject({ idleDays: 89, dormant: false });
    // never active: idle since the ledger saw the user created
    expect(at(null, [user({ lifecycle: 'created', lifecycleAt: '2026-01-01T00:00:00.000Z' })])).toMatchObject({ lastActiveAt: null, dormant: true });
    expect(at(null)).toMatchObject({ lastActiveAt: null, idleDays: null, dormant: null });
  });

  it('takes the reference time from the sources, capped at now', () => {
    expect(referenceTime(NOW, '2026-11-02T00:00:00.000Z')).toBe('2026-11-02T00:00:00.000Z');
    expect(referenceTime(NOW, '2027-01-01T00:00:00.000Z')).toBe(NOW.toISOString());
    expect(referenceTime(NOW, null)).toBe(NOW.toISOString());
  });
});

describe('composeAccountPosture', () => {
  const account = { account: '111122223333', events: 10, firstSeen: '2026-11-01T00:00:00.000Z', lastSeen: '2026-11-02T00:00:00.000Z', passwordPolicyAt: null, passwordPolicyEventId: null };

  it('holds a deleted policy to IAM defaults, and knows nothing of a policy it never saw change', () => {
    const deleted = composeAccountPosture({ account: { ...account, passwordPolicyState: 'deleted', passwordPolicy: null }, rootKeys: [], users: [], directPolicies: [] }, NOW);
    expect(deleted.passwordPolicy).toMatchObject({ state: 'deleted', settings: IAM_DEFAULT_PASSWORD_POLICY, compliant: false });
    expect(deleted.passwordPolicy.gaps).toHaveLength(7);
    const unknown = composeAccountPosture({ account: { ...account, passwordPolicyState: null, passwordPolicy: null }, rootKeys: [], users: [], directPolicies: [] }, NOW);
    expect(unknown.passwordPolicy).toMatchObject({ state: 'unknown', settings: null, compliant: null, gaps: null });
  });

  it('lists users created or active, not deleted, without MFA evidence; root keys not deleted; direct grants', () => {
    const posture = composeAccountPosture(
      {
        account: { ...account, passwordPolicyState: null, passwordPolicy: null },
        rootKeys: [
          { keyId: 'AKIAROOT', owner: 'arn:aws:iam::111122223333:root', createdAt: '2026-11-01T00:00:00.000Z', status: 'Active', lastUsedAt: null },
          { keyId: 'AKIAGONE', owner: 'arn:aws:iam::111122223333:root', createdAt: '2026-11-01T00:00:00.000Z', status: 'Deleted', lastUsedAt: null },
        ],
        users: [
          user({ subject: 'u:created', lifecycle: 'created', lifecycleAt: '2026-11-01T00:00:00.000Z' }),
          user({ subject: 'u:active-disabled', activeAt: '2026-11-01T00:00:00.000Z', mfa: 'disabled', mfaAt: '2026-11-01T00:00:00.000Z' }),
          user({ subject: 'u:with-mfa', activeAt: '2026-11-01T00:00:00.000Z', mfa: 'enabled' }),
          user({ subject: 'u:deleted', lifecycle: 'deleted', activeAt: '2026-11-01T00:00:00.000Z' }),
          user({ subject: 'u:only-a-device-event', mfa: 'disabled' }),
        ],
        directPolicies: [{ holder: ALICE, holderType: 'user', policyType: 'managed', policy: 'arn:aws:iam::aws:policy/AdministratorAccess', since: '2026-11-01T00:00:00.000Z' }],
      },
      NOW,
    );
    expect(posture.rootAccessKeys.map((k) => [k.accessKeyId, k.ageDays])).toEqual([['AKIAROOT', 32]]);
    expect(posture.usersWithoutMfa).toEqual([
      { subject: 'u:created', createdAt: '2026-11-01T00:00:00.000Z', lastActiveAt: null, mfa: null, mfaChangedAt: null },
      { subject: 'u:active-disabled', createdAt: null, lastActiveAt: '2026-11-01T00:00:00.000Z', mfa: 'disabled', mfaChangedAt: '2026-11-01T00:00:00.000Z' },
    ]);
    expect(posture.directPrivileges).toEqual([{ subject: ALICE, policy: 'arn:aws:iam::aws:policy/AdministratorAccess', policyType: 'managed', since: '2026-11-01T00:00:00.000Z' }]);
  });
});
