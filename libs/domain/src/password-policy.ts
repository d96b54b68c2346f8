/**
 * AWS account password policies and the standard DESIGN 7 holds them to: shared by the
 * `password_policy_weakened` detection and the account posture projection, so that both
 * judge a policy the same way.
 */

/** An AWS account password policy, as `UpdateAccountPasswordPolicy` sets it (the call replaces the whole policy). */
export interface PasswordPolicySettings {
  minimumLength: number;
  requireUppercase: boolean;
  requireLowercase: boolean;
  requireNumbers: boolean;
  requireSymbols: boolean;
  /** How many previous passwords cannot be reused; 0: reuse allowed. */
  reusePrevention: number;
  /** Days until a password expires; 0: never. */
  maxAgeDays: number;
  allowUsersToChange: boolean;
  hardExpiry: boolean;
}

/**
 * What IAM applies to a parameter the call leaves out, and also what is in force with no
 * policy at all (after `DeleteAccountPasswordPolicy`): 8 characters, no complexity, reuse
 * or rotation rules.
 */
export const IAM_DEFAULT_PASSWORD_POLICY: PasswordPolicySettings = {
  minimumLength: 8,
  requireUppercase: false,
  requireLowercase: false,
  requireNumbers: false,
  requireSymbols: false,
  reusePrevention: 0,
  maxAgeDays: 0,
  allowUsersToChange: false,
  hardExpiry: false,
};

/** The policy an `UpdateAccountPasswordPolicy` request sets (CloudTrail `requestParameters`). */
export function passwordPolicyFromRequest(request: unknown): PasswordPolicySettings {
  const p: Record<string, unknown> = typeof request === 'object' && request !== null && !Array.isArray(request) ? (request as Record<string, unknown>) : {};
  const d = IAM_DEFAULT_PASSWORD_POLICY;
  return {
    minimumLength: whole(p.minimumPasswordLength) ?? d.minimumLength,
    requireUppercase: flag(p.requireUppercaseCharacters),
    requireLowercase: flag(p.requireLowercaseCharacters),
    requireNumbers: flag(p.requireNumbers),
    requireSymbols: flag(p.requireSymbols),
    reusePrevention: whole(p.passwordReusePrevention) ?? d.reusePrevention,
    maxAgeDays: whole(p.maxPasswordAge) ?? d.maxAgeDays,
    allowUsersToChange: flag(p.allowUsersToChangePassword),
    hardExpiry: flag(p.hardExpiry),
  };
}

// Records carry numbers and booleans as JSON values or, from some forwarders, as strings.
function whole(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
}

function flag(value: unknown): boolean {
  return value === true || (typeof value === 'string' && value.trim().toLowerCase() === 'true');
}

/** DESIGN 7: at least 14 characters, upper, lower, digit and symbol, reuse prevention 24, rotation within 90 days. */
export const PASSWORD_POLICY_STANDARD = {
  minimumLength: 14,
  requireUppercase: true,
  requireLowercase: true,
  requireNumbers: true,
  requireSymbols: true,
  reusePrevention: 24,
  maxAgeDays: 90,
} as const;

export type PasswordPolicySetting = keyof typeof PASSWORD_POLICY_STANDARD;

export interface PasswordPolicyGap {
  setting: PasswordPolicySetting;
  required: number | boolean;
  actual: number | boolean;
}

/** Where a policy in force falls short of the standard, setting by setting, in a fixed order. */
export function passwordPolicyGaps(policy: PasswordPolicySettings): PasswordPolicyGap[] {
  const s = PASSWORD_POLICY_STANDARD;
  const gaps: PasswordPolicyGap[] = [];
  if (policy.minimumLength < s.minimumLength) gaps.push({ setting: 'minimumLength', required: s.minimumLength, actual: policy.minimumLength });
  for (const setting of ['requireUppercase', 'requireLowercase', 'requireNumbers', 'requireSymbols'] as const) {
    if (!policy[setting]) gaps.push({ setting, required: true, actual: false });
  }
  if (policy.reusePrevention < s.reusePrevention) gaps.push({ setting: 'reusePrevention', required: s.reusePrevention, actual: policy.reusePrevention });
  // 0 means passwords never expire: no rotation at all
  if (policy.maxAgeDays === 0 || policy.maxAgeDays > s.maxAgeDays) gaps.push({ setting: 'maxAgeDays', required: s.maxAgeDays, actual: policy.maxAgeDays });
  return gaps;
}
