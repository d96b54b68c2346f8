import { describe, expect, it } from 'vitest';
import { evolveAccountPosture } from './account-posture.projection.js';
import { IAM_DEFAULT_PASSWORD_POLICY, passwordPolicyFromRequest, passwordPolicyGaps } from '#domain';
import { ACCOUNT, iamCall, ledgerEvents } from './testing/profile-events.js';

const STRONG = {
  minimumPasswordLength: 16,
  requireSymbols: true,
  requireNumbers: true,
  requireUppercaseCharacters: true,
  requireLowercaseCharacters: true,
  allowUsersToChangePassword: true,
  maxPasswordAge: 90,
  passwordReusePrevention: 24,
};

describe('evolveAccountPosture', () => {
  it('keeps each account seen, and the password policy of its latest change by event time', () => {
    const e = ledgerEvents();
    const [account, other] = evolveAccountPosture([
      e.next(iamCall('iam:UpdateAccountPasswordPolicy', 'identity.password_policy.updated', '2026-11-02T12:00:00.000Z', STRONG)),
      e.next(iamCall('iam:UpdateAccountPasswordPolicy', 'identity.password_policy.updated', '2026-11-02T10:00:00.000Z', { minimumPasswordLength: 6 })), // older, arrives later
      e.next(iamCall('iam:DeleteAccountPasswordPolicy', 'identity.password_policy.deleted', '2026-11-02T13:00:00.000Z', null, { outcome: 'failure' })), // refused: nothing changed
      e.next({ time: '2026-11-02T08:00:00.000Z', origin: { system: 'aws-cloudtrail', account: '444455556666', region: 'eu-west-1', kafka: null } }),
      e.next({ time: '2026-11-02T09:00:00.000Z', origin: { system: 'okta', account: null, region: null, kafka: null } }),
    ]);
    expect(account).toEqual({
      account: ACCOUNT,
      events: 3,
      firstSeen: '2026-11-02T10:00:00.000Z',
      lastSeen: '2026-11-02T13:00:00.000Z',
      passwordPolicy: { at: '2026-11-02T12:00:00.000Z', position: 0, eventId: 'e0', settings: passwordPolicyFromRequest(STRONG) },
    });
    expect(other).toEqual({ account: '444455556666', events: 1, firstSeen: '2026-11-02T08:00:00.000Z', lastSeen: '2026-11-02T08:00:00.000Z', passwordPolicy: null });
  });

  it('records a deletion as no policy at all', () => {
    const e = ledgerEvents();
    const [account] = evolveAccountPosture([
      e.next(iamCall('iam:UpdateAccountPasswordPolicy', 'identity.password_policy.updated', '2026-11-02T12:00:00.000Z', STRONG)),
      e.next(iamCall('iam:DeleteAccountPasswordPolicy', 'identity.password_policy.deleted', '2026-11-02T12:30:00.000Z', null)),
    ]);
    expect(account!.passwordPolicy).toEqual({ at: '2026-11-02T12:30:00.000Z', position: 1, eventId: 'e1', settings: null });
  });
});

describe('password policy against DESIGN 7', () => {
  it('reads a request with IAM defaults for what it leaves out, numbers and flags as JSON values or strings', () => {
    expect(passwordPolicyFromRequest({ minimumPasswordLength: '12', requireSymbols: 'true', maxPasswordAge: 30 })).toEqual({
      ...IAM_DEFAULT_PASSWORD_POLICY,
      minimumLength: 12,
      requireSymbols: true,
      maxAgeDays: 30,
    });
    expect(passwordPolicyFromRequest(null)).toEqual(IAM_DEFAULT_PASSWORD_POLICY);
  });

  it('finds no gap in a policy at the standard, and names every setting below it', () => {
    expect(passwordPolicyGaps(passwordPolicyFromRequest(STRONG))).toEqual([]);
    expect(passwordPolicyGaps(passwordPolicyFromRequest({ ...STRONG, minimumPasswordLength: 13, passwordReusePrevention: 23, maxPasswordAge: 91 }))).toEqual([
      { setting: 'minimumLength', required: 14, actual: 13 },
      { setting: 'reusePrevention', required: 24, actual: 23 },
      { setting: 'maxAgeDays', required: 90, actual: 91 },
    ]);
    expect(passwordPolicyGaps(IAM_DEFAULT_PASSWORD_POLICY).map((g) => g.setting)).toEqual([
      'minimumLength',
      'requireUppercase',
      'requireLowercase',
      'requireNumbers',
      'requireSymbols',
      'reusePrevention',
      'maxAgeDays',
    ]);
    // passwords that never expire are not rotated at all
    expect(passwordPolicyGaps(passwordPolicyFromRequest({ ...STRONG, maxPasswordAge: 0 }))).toEqual([{ setting: 'maxAgeDays', required: 90, actual: 0 }]);
  });
});
