import { draft, type EventContext } from '../engine/detection-context.js';
import { actionName, field, isObject, requestParameters, stringOf } from '../event-facts.js';
import { passwordPolicyFromRequest, passwordPolicyGaps, type PasswordPolicyGap } from '#domain';

/**
 * Privileges granted directly to users (not through a group or role), admin-level grants,
 * MFA removed, and the account password policy weakened or deleted (DESIGN 1, 7).
 */
const ADMIN_MANAGED_POLICY =
  /^arn:aws[\w-]*:iam::aws:policy\/(?:AdministratorAccess|IAMFullAccess|AdministratorAccess-Amplify|AdministratorAccess-AWSElasticBeanstalk|AWSOrganizationsFullAccess)$/;

const DIRECT_USER_GRANTS = new Set(['iam:AttachUserPolicy', 'iam:PutUserPolicy']);
const POLICY_ATTACHMENTS = new Set([
  'iam:AttachUserPolicy',
  'iam:AttachGroupPolicy',
  'iam:AttachRolePolicy',
  'sso:AttachManagedPolicyToPermissionSet',
]);
const INLINE_POLICIES = new Set(['iam:PutUserPolicy', 'iam:PutGroupPolicy', 'iam:PutRolePolicy', 'sso:PutInlinePolicyToPermissionSet', 'iam:CreatePolicyVersion']);
// Okta and other IdPs: an administrator role given to a user or a group
const IDP_ADMIN_GRANT = /(^|\.)privilege\.grant$|admin_?role.*(grant|assign)|role\.assign|resourceset\.bindings\.add/i;
const IDP_USER_GRANT = /^user\.account\.privilege\.grant$/i;

export function privilegeRules(ctx: EventContext): void {
  const e = ctx.event;
  const action = actionName(e);
  if (e.category === 'authorization' || e.category === 'identity' || IDP_ADMIN_GRANT.test(action)) {
    directGrant(ctx, action);
    adminGrant(ctx, action);
  }
  if (e.category === 'identity' || /mfa|factor/i.test(action)) mfaDisabled(ctx, action);
  if (action === 'iam:UpdateAccountPasswordPolicy' || action === 'iam:DeleteAccountPasswordPolicy') passwordPolicy(ctx, action);
}

function grantee(ctx: EventContext): string {
  const t = ctx.event.target;
  return t?.name ?? t?.id ?? 'an unnamed principal';
}

function directGrant(ctx: EventContext, action: string): void {
  if (!ctx.success) return;
  let facts: string[] | null = null;
  if (DIRECT_USER_GRANTS.has(action)) {
    const params = requestParameters(ctx.event);
    const policy = stringOf(params?.policyArn) ?? (stringOf(params?.policyName) ? `inline policy ${String(params?.policyName)}` : 'a policy');
    facts = [`${policy} was attached directly to user ${grantee(ctx)}, not through a group or role`];
  } else if (action === 'sso:CreateAccountAssignment') {
    const params = requestParameters(ctx.event);
    if (String(params?.principalType ?? '').toUpperCase() !== 'USER') return;
    facts = [`permission set ${String(params?.permissionSetArn ?? '?')} was assigned directly to user ${String(params?.principalId ?? '?')} in account ${String(params?.targetId ?? '?')}, not to a group`];
  } else if (IDP_USER_GRANT.test(action)) {
    facts = [`an administrator role was granted directly to user ${grantee(ctx)}, not through a group`];
  }
  if (facts === null) return;
  draft(ctx, 'direct_privilege_grant', 'medium', [ctx.event.id], [...facts, 'PCI DSS 7.2 and SOC 2 CC6.3 expect access through roles and groups'], {
    action,
    grantee: ctx.event.target?.id ?? null,
  });
}

function adminGrant(ctx: EventContext, action: string): void {
  const e = ctx.event;
  let what: string | null = null;
  if (POLICY_ATTACHMENTS.has(action)) {
    const params = requestParameters(e);
    const arn = stringOf(params?.policyArn) ?? stringOf(params?.managedPolicyArn);
    if (arn !== null && ADMIN_MANAGED_POLICY.test(arn)) what = `${arn.slice(arn.lastIndexOf('/') + 1)} attached to ${grantee(ctx)}`;
  } else if (INLINE_POLICIES.has(action)) {
    const params = requestParameters(e);
    if (action === 'iam:CreatePolicyVersion' && params?.setAsDefault !== true && params?.setAsDefault !== 'true') return;
    if (grantsEverything(params?.policyDocument ?? params?.inlinePolicy)) what = `a policy allowing every action on every resource was put on ${grantee(ctx)}`;
  } else if (action === 'iam:AddUserToGroup') {
    const group = stringOf(requestParameters(e)?.groupName);
    if (group !== null && /admin/i.test(group)) what = `user ${grantee(ctx)} was added to group ${group}`;
  } else if (IDP_ADMIN_GRANT.test(action)) {
    const debug = field(field(field(rawObject(e.raw), 'debugContext'), 'debugData'), 'privilegeGranted');
    what = `${typeof debug === 'string' ? debug : 'an administrator role'} granted to ${grantee(ctx)}`;
  }
  if (what === null) return;
  // an attempt that the provider refused is still an attempted escalation worth review
  const refused = e.outcome === 'failure';
  const facts = [what];
  if (refused) facts.push(`the attempt was refused${e.outcome_reason ? ` (${e.outcome_reason})` : ''}: no privilege was granted, but someone tried`);
  draft(ctx, 'admin_privilege_granted', refused ? 'medium' : 'high', [e.id], facts, { action, grantee: e.target?.id ?? null, refused });
}

function rawObject(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return null;
  }
}

/** A policy document with an Allow of `*` (or `iam:*`) on resource `*`. */
export function grantsEverything(document: unknown): boolean {
  let doc = document;
  if (typeof doc === 'string') {
    let text = doc;
    if (/^%7B/i.test(text)) {
      try {
        text = decodeURIComponent(text);
      } catch {
        return false;
      }
    }
    try {
      doc = JSON.parse(text);
    } catch {
      return false;
    }
  }
  const statements = field(doc, 'Statement');
  for (const s of Array.isArray(statements) ? statements : [statements]) {
    if (!isObject(s) || s.Effect !== 'Allow') continue;
    const actions = ([] as unknown[]).concat(s.Action ?? []);
    const resources = ([] as unknown[]).concat(s.Resource ?? []);
    if (actions.some((a) => a === '*' || a === '*:*' || a === 'iam:*') && resources.includes('*')) return true;
  }
  return false;
}

const MFA_REMOVAL_ACTIONS = new Set([
  'iam:DeactivateMFADevice',
  'iam:DeleteVirtualMFADevice',
  'sso-directory:DeleteMfaDeviceForUser',
  'sso:DeleteMfaDeviceForUser',
]);
const MFA_REMOVAL = /(mfa|factor).*(deactivat|delet|remov|reset|suspend|disabl|unenroll)|(deactivat|delet|remov|reset|suspend|disabl|unenroll).*(mfa|factor)/i;

const MFA_RESTORED = /unsuspend|reactivat|re_?enabl/i;

function mfaDisabled(ctx: EventContext, action: string): void {
  const e = ctx.event;
  if (!ctx.success) return;
  if (!MFA_REMOVAL_ACTIONS.has(action) && !MFA_REMOVAL.test(action) && !MFA_REMOVAL.test(e.type)) return;
  if (MFA_RESTORED.test(action) || MFA_RESTORED.test(e.type)) return;
  // an organisation-wide factor turned off (Okta `system.mfa.factor.deactivate`) disables MFA for everyone
  const orgWide = /^system\./.test(action);
  const target = orgWide ? 'the whole organisation' : (e.target?.name ?? e.target?.id ?? 'the caller');
  const reason = e.outcome_reason ? ` (${e.outcome_reason})` : '';
  draft(ctx, 'mfa_disabled', orgWide ? 'critical' : 'high', [e.id], [`${action}: an MFA factor was removed or disabled for ${target}${reason}`], {
    action,
    target: e.target?.id ?? null,
    organisation_wide: orgWide,
  });
}

/** DESIGN 7's standard (PASSWORD_POLICY_STANDARD): 14 characters, upper, lower, digit and symbol, reuse 24, rotation 90 days. */
function passwordPolicy(ctx: EventContext, action: string): void {
  const e = ctx.event;
  if (!ctx.success) return;
  if (action === 'iam:DeleteAccountPasswordPolicy') {
    draft(ctx, 'password_policy_weakened', 'high', [e.id], ['the account password policy was deleted: IAM falls back to 8 characters with no complexity, reuse or rotation rules'], {
      action,
      deleted: true,
    });
    return;
  }
  const shortfalls = passwordPolicyGaps(passwordPolicyFromRequest(requestParameters(e))).map(describeGap);
  if (shortfalls.length === 0) return;
  draft(ctx, 'password_policy_weakened', 'medium', [e.id], [`the account password policy was set below the standard: ${shortfalls.join('; ')}`], {
    action,
    deleted: false,
    shortfalls,
  });
}

const REQUIRED_CHARACTER: Record<string, string> = {
  requireUppercase: 'no upper-case letter required',
  requireLowercase: 'no lower-case letter required',
  requireNumbers: 'no digit required',
  requireSymbols: 'no symbol required',
};

/** A shortfall in words a reviewer reads, e.g. "minimum length 8 (standard: 14)". */
function describeGap(gap: PasswordPolicyGap): string {
  switch (gap.setting) {
    case 'minimumLength':
      return `minimum length ${gap.actual} (standard: ${gap.required})`;
    case 'reusePrevention':
      return gap.actual ? `reuse prevention ${gap.actual} (standard: ${gap.required})` : `no reuse prevention (standard: ${gap.required})`;
    case 'maxAgeDays':
      return gap.actual ? `rotation every ${gap.actual} days (standard: ${gap.required})` : `no rotation (standard: ${gap.required} days)`;
    default:
      return REQUIRED_CHARACTER[gap.setting]!;
  }
}
