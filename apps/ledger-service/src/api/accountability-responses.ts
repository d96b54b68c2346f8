import type { AccessKeyView, AccountPostureView, PasswordPolicySettings, SubjectProfileView } from '#projections';

// The profile and posture views in the API's snake_case (AccountabilityProfileDto, AccountPostureDto).

const SNAKE: Record<keyof PasswordPolicySettings, string> = {
  minimumLength: 'minimum_length',
  requireUppercase: 'require_uppercase',
  requireLowercase: 'require_lowercase',
  requireNumbers: 'require_numbers',
  requireSymbols: 'require_symbols',
  reusePrevention: 'reuse_prevention',
  maxAgeDays: 'max_age_days',
  allowUsersToChange: 'allow_users_to_change',
  hardExpiry: 'hard_expiry',
};

export function profileFields(view: SubjectProfileView) {
  const { authentication: auth } = view;
  return {
    authentication: {
      factor_types: auth.factorTypes,
      factor_methods: auth.factorMethods,
      logins: auth.logins,
      last_login_at: auth.lastLoginAt,
      failed_logins: auth.failedLogins,
      last_failed_login_at: auth.lastFailedLoginAt,
      mfa: {
        last: auth.mfa.last,
        last_at: auth.mfa.lastAt,
        logins_with_mfa: auth.mfa.loginsWithMfa,
        coverage: auth.mfa.coverage,
        device: auth.mfa.device,
        device_source: auth.mfa.deviceSource,
        device_changed_at: auth.mfa.deviceChangedAt,
      },
    },
    groups: view.groups,
    roles: view.roles.map((r) => ({ role: r.role, name: r.name, subject: r.subject, uses: r.uses, first_used: r.firstUsed, last_used: r.lastUsed })),
    privileges: view.privileges.map((p) => ({ policy: p.policy, policy_type: p.policyType, held: p.held, holder: p.holder, since: p.since })),
    root_use: { events: view.rootUse.events, last_at: view.rootUse.lastAt },
    credentials: { access_keys: view.accessKeys.map(accessKey) },
    dormancy: {
      last_active_at: view.dormancy.lastActiveAt,
      reference_time: view.dormancy.referenceTime,
      idle_days: view.dormancy.idleDays,
      dormant: view.dormancy.dormant,
      threshold_days: view.dormancy.thresholdDays,
    },
  };
}

export function postureResponse(view: AccountPostureView) {
  const policy = view.passwordPolicy;
  return {
    account: view.account,
    events: view.events,
    first_seen: view.firstSeen,
    last_seen: view.lastSeen,
    password_policy: {
      state: policy.state,
      settings: policy.settings === null ? null : Object.fromEntries(Object.entries(policy.settings).map(([key, value]) => [SNAKE[key as keyof PasswordPolicySettings], value])),
      changed_at: policy.changedAt,
      event_id: policy.eventId,
      compliant: policy.compliant,
      gaps: policy.gaps === null ? null : policy.gaps.map((g) => ({ setting: SNAKE[g.setting], required: g.required, actual: g.actual })),
    },
    root_access_keys: view.rootAccessKeys.map(accessKey),
    users_without_mfa: view.usersWithoutMfa.map((u) => ({ subject: u.subject, created_at: u.createdAt, last_active_at: u.lastActiveAt, mfa: u.mfa, mfa_changed_at: u.mfaChangedAt })),
    direct_privileges: view.directPrivileges.map((p) => ({ subject: p.subject, policy: p.policy, policy_type: p.policyType, since: p.since })),
  };
}

function accessKey(k: AccessKeyView) {
  return { access_key_id: k.accessKeyId, owner: k.owner, status: k.status, created_at: k.createdAt, last_used_at: k.lastUsedAt, age_days: k.ageDays };
}
