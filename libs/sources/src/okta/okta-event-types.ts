import type { EventCategory } from '#domain';

/**
 * Okta System Log `eventType` → canonical type. The table names the events that change who
 * exists and how they authenticate (identity), who signs in (authentication) and who may do
 * what (authorization); other event types are classified by their family (see
 * `classifyOktaEventType`). Every MFA removal (`identity.mfa.disabled`, `.reset`,
 * `.suspended`, `.org_factor_disabled`) is its own type so that a detector can tell a user
 * losing one factor from an administrator switching a factor off for everyone.
 */
const TYPES: Readonly<Record<string, string>> = {
  // authentication
  'user.session.start': 'authentication.login',
  'user.session.end': 'authentication.logout',
  'user.session.expire': 'authentication.session_expired',
  'user.session.clear': 'authentication.sessions_cleared',
  'user.session.access_admin_app': 'authentication.admin_app_accessed',
  'user.session.impersonation.initiate': 'authentication.impersonation_started',
  'user.session.impersonation.end': 'authentication.impersonation_ended',
  'user.authentication.authenticate': 'authentication.login',
  'user.authentication.sso': 'authentication.sso',
  'user.authentication.verify': 'authentication.credential_verification',
  'user.authentication.auth_via_mfa': 'authentication.mfa_check',
  'user.authentication.auth_via_idp': 'authentication.federated',
  'user.authentication.auth_via_social': 'authentication.federated',
  'user.authentication.auth_via_inbound_saml': 'authentication.federated',
  'user.authentication.auth_via_radius': 'authentication.login',
  'user.authentication.auth_via_ad_agent': 'authentication.login',
  'user.authentication.auth_via_ldap_agent': 'authentication.login',
  'user.authentication.auth_via_richclient': 'authentication.login',
  'user.mfa.okta_verify.deny_push': 'authentication.mfa_push_denied',
  'user.mfa.attempt_bypass': 'authentication.mfa_bypass_attempted',
  'policy.evaluate_sign_on': 'authentication.sign_on_policy_evaluated',
  // identity: users
  'user.lifecycle.create': 'identity.user.created',
  'user.lifecycle.activate': 'identity.user.activated',
  'user.lifecycle.reactivate': 'identity.user.reactivated',
  'user.lifecycle.deactivate': 'identity.user.deactivated',
  'user.lifecycle.suspend': 'identity.user.suspended',
  'user.lifecycle.unsuspend': 'identity.user.unsuspended',
  'user.lifecycle.delete.initiated': 'identity.user.deleted',
  'user.lifecycle.delete.completed': 'identity.user.deletion_completed',
  'user.account.update_profile': 'identity.user.updated',
  'user.account.update_password': 'identity.password.changed',
  'user.account.reset_password': 'identity.password.reset',
  'user.account.lock': 'identity.user.locked',
  'user.account.lock.limit': 'identity.user.locked',
  'user.account.unlock': 'identity.user.unlocked',
  'user.account.unlock_by_admin': 'identity.user.unlocked',
  // identity: MFA factors
  'user.mfa.factor.activate': 'identity.mfa.enabled',
  'user.mfa.factor.update': 'identity.mfa.updated',
  'user.mfa.factor.deactivate': 'identity.mfa.disabled',
  'user.mfa.factor.reset_all': 'identity.mfa.reset',
  'user.mfa.factor.suspend': 'identity.mfa.suspended',
  'user.mfa.factor.unsuspend': 'identity.mfa.unsuspended',
  'system.mfa.factor.activate': 'identity.mfa.org_factor_enabled',
  'system.mfa.factor.deactivate': 'identity.mfa.org_factor_disabled',
  // identity: groups, tokens, identity providers
  'group.lifecycle.create': 'identity.group.created',
  'group.lifecycle.delete': 'identity.group.deleted',
  'group.profile.update': 'identity.group.updated',
  'group.user_membership.add': 'identity.group.member_added',
  'group.user_membership.remove': 'identity.group.member_removed',
  'system.api_token.create': 'identity.api_token.created',
  'system.api_token.revoke': 'identity.api_token.revoked',
  'system.idp.lifecycle.create': 'identity.identity_provider.created',
  'system.idp.lifecycle.update': 'identity.identity_provider.updated',
  'system.idp.lifecycle.delete': 'identity.identity_provider.deleted',
  'system.idp.lifecycle.activate': 'identity.identity_provider.activated',
  'system.idp.lifecycle.deactivate': 'identity.identity_provider.deactivated',
  // authorization: admin roles, app access, policies
  'user.account.privilege.grant': 'authorization.privilege.granted',
  'user.account.privilege.revoke': 'authorization.privilege.revoked',
  'group.privilege.grant': 'authorization.privilege.granted',
  'group.privilege.revoke': 'authorization.privilege.revoked',
  'iam.resourceset.bindings.add': 'authorization.role_binding.added',
  'iam.resourceset.bindings.delete': 'authorization.role_binding.removed',
  'iam.role.create': 'authorization.role.created',
  'iam.role.delete': 'authorization.role.deleted',
  'iam.role.permissions.add': 'authorization.role.permissions_added',
  'iam.role.permissions.delete': 'authorization.role.permissions_removed',
  'application.user_membership.add': 'authorization.app_access.granted',
  'application.user_membership.remove': 'authorization.app_access.revoked',
  'group.application_assignment.add': 'authorization.app_access.granted',
  'group.application_assignment.remove': 'authorization.app_access.revoked',
  'policy.lifecycle.create': 'authorization.access_policy.created',
  'policy.lifecycle.update': 'authorization.access_policy.updated',
  'policy.lifecycle.overwrite': 'authorization.access_policy.updated',
  'policy.lifecycle.delete': 'authorization.access_policy.deleted',
  'policy.lifecycle.activate': 'authorization.access_policy.activated',
  'policy.lifecycle.deactivate': 'authorization.access_policy.deactivated',
  'policy.rule.add': 'authorization.access_policy_rule.created',
  'policy.rule.update': 'authorization.access_policy_rule.updated',
  'policy.rule.delete': 'authorization.access_policy_rule.deleted',
  'policy.rule.activate': 'authorization.access_policy_rule.activated',
  'policy.rule.deactivate': 'authorization.access_policy_rule.deactivated',
};

/** Families of event types not in the table, and the category they belong to. */
const FAMILIES: ReadonlyArray<readonly [prefix: string, category: EventCategory]> = [
  ['user.authentication.', 'authentication'],
  ['user.session.', 'authentication'],
  ['user.lifecycle.', 'identity'],
  ['user.account.', 'identity'],
  ['user.mfa.', 'identity'],
  ['user.credential.', 'identity'],
  ['group.', 'identity'],
  ['system.mfa.', 'identity'],
  ['system.api_token.', 'identity'],
  ['system.idp.', 'identity'],
  ['policy.', 'authorization'],
  ['iam.', 'authorization'],
];

const MAX_SEGMENTS = 6;
const MAX_SEGMENT_LENGTH = 40;

export interface OktaClass {
  category: EventCategory;
  type: string;
}

/**
 * The table's type; else the family's category with the event type as the rest of the type
 * (`user.lifecycle.password_mass_expire` → `identity.lifecycle.password_mass_expire`); else
 * `activity.event`, with the event type kept in `action`.
 */
export function classifyOktaEventType(eventType: string): OktaClass {
  const key = eventType.trim().toLowerCase();
  const known = TYPES[key];
  if (known !== undefined) return { category: known.slice(0, known.indexOf('.')) as EventCategory, type: known };
  for (const [prefix, category] of FAMILIES) {
    if (!key.startsWith(prefix)) continue;
    const rest = key.startsWith('user.') || key.startsWith('system.') ? key.slice(key.indexOf('.') + 1) : key;
    const segments = rest
      .split('.')
      .map((s) => s.replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '').slice(0, MAX_SEGMENT_LENGTH))
      .filter((s) => s !== '')
      .slice(0, MAX_SEGMENTS);
    if (segments.length > 0) return { category, type: `${category}.${segments.join('.')}` };
  }
  return { category: 'activity', type: 'activity.event' };
}
