import { canonicalIamArn, iamArn, isIamUserArn, isRootArn, partitionOf } from './iam-names.js';
import { passwordPolicyFromRequest, type LedgerEvent, type PasswordPolicySettings } from '#domain';
import { isJsonObject, objectAt, sourceRecordOf, stringAt, type JsonObject } from './source-record.js';

/**
 * Facts an identity or authorization event establishes about its TARGET: an administrator
 * adds alice to a group, attaches a policy to a role, creates a key for bob. They belong to
 * the target's profile (or its account), never to the administrator who acted.
 */
export type PolicyHolderType = 'user' | 'group' | 'role';
export type AccessKeyStatus = 'Active' | 'Inactive' | 'Deleted';

export type IdentityFact =
  | { kind: 'membership'; member: string; group: string; groupName: string; active: boolean }
  | { kind: 'policy'; holder: string; holderType: PolicyHolderType; account: string; policy: string; policyType: 'managed' | 'inline'; attached: boolean }
  | { kind: 'access_key'; keyId: string; owner: string | null; account: string | null; status: AccessKeyStatus; created: boolean }
  | { kind: 'user'; user: string; account: string; state: 'created' | 'deleted' }
  | { kind: 'mfa_device'; user: string; account: string; state: 'enabled' | 'disabled' }
  | { kind: 'password_policy'; account: string; settings: PasswordPolicySettings | null };

const CLOUDTRAIL = 'aws-cloudtrail';
const OKTA = 'okta';

const POLICY_CALLS: Record<string, { holderType: PolicyHolderType; nameKey: string; policyType: 'managed' | 'inline'; attached: boolean }> = {
  'iam:AttachUserPolicy': { holderType: 'user', nameKey: 'userName', policyType: 'managed', attached: true },
  'iam:DetachUserPolicy': { holderType: 'user', nameKey: 'userName', policyType: 'managed', attached: false },
  'iam:AttachGroupPolicy': { holderType: 'group', nameKey: 'groupName', policyType: 'managed', attached: true },
  'iam:DetachGroupPolicy': { holderType: 'group', nameKey: 'groupName', policyType: 'managed', attached: false },
  'iam:AttachRolePolicy': { holderType: 'role', nameKey: 'roleName', policyType: 'managed', attached: true },
  'iam:DetachRolePolicy': { holderType: 'role', nameKey: 'roleName', policyType: 'managed', attached: false },
  'iam:PutUserPolicy': { holderType: 'user', nameKey: 'userName', policyType: 'inline', attached: true },
  'iam:DeleteUserPolicy': { holderType: 'user', nameKey: 'userName', policyType: 'inline', attached: false },
  'iam:PutGroupPolicy': { holderType: 'group', nameKey: 'groupName', policyType: 'inline', attached: true },
  'iam:DeleteGroupPolicy': { holderType: 'group', nameKey: 'groupName', policyType: 'inline', attached: false },
  'iam:PutRolePolicy': { holderType: 'role', nameKey: 'roleName', policyType: 'inline', attached: true },
  'iam:DeleteRolePolicy': { holderType: 'role', nameKey: 'roleName', policyType: 'inline', attached: false },
};

// Only these need the source record parsed; everything else is decided without it.
const CLOUDTRAIL_ACTIONS = new Set([
  ...Object.keys(POLICY_CALLS),
  'iam:AddUserToGroup',
  'iam:RemoveUserFromGroup',
  'iam:CreateAccessKey',
  'iam:UpdateAccessKey',
  'iam:DeleteAccessKey',
  'iam:CreateUser',
  'iam:DeleteUser',
  'iam:EnableMFADevice',
  'iam:DeactivateMFADevice',
  'iam:UpdateAccountPasswordPolicy',
  'iam:DeleteAccountPasswordPolicy',
]);

/** The target facts of one event; none for a refused call (it changed nothing). */
export function identityFactsOf(event: LedgerEvent): IdentityFact[] {
  if (event.outcome === 'failure') return [];
  if (event.origin.system === CLOUDTRAIL && CLOUDTRAIL_ACTIONS.has(event.action)) return cloudTrailFacts(event);
  if (event.origin.system === OKTA && (event.type === 'identity.group.member_added' || event.type === 'identity.group.member_removed')) {
    return oktaMembership(event);
  }
  return [];
}

function cloudTrailFacts(event: LedgerEvent): IdentityFact[] {
  const account = event.origin.account;
  if (account === null) return [];
  const record = sourceRecordOf(event);
  const request = objectAt(record, 'requestParameters');
  const partition = partitionOf(event.target?.id ?? event.actor.principal);
  const userNamed = (name: string | null) => (name === null ? null : iamArn(partition, account, 'user', name));
  // Calls that name no user act on the caller (the source resolved it into the target)
  const targetIdentity = (): string | null => {
    const target = event.target;
    if (target === null || !(isIamUserArn(target.id) || isRootArn(target.id))) return null;
    return canonicalIamArn(target.id);
  };
  const action = event.action;

  const policyCall = POLICY_CALLS[action];
  if (policyCall !== undefined) {
    const holderName = stringAt(request, policyCall.nameKey);
    const policy = policyCall.policyType === 'managed' ? stringAt(request, 'policyArn') : stringAt(request, 'policyName');
    if (holderName === null || policy === null) return [];
    const holder = canonicalIamArn(holderName.startsWith('arn:') ? holderName : iamArn(partition, account, policyCall.holderType, holderName));
    return [{ kind: 'policy', holder, holderType: policyCall.holderType, account, policy, policyType: policyCall.policyType, attached: policyCall.attached }];
  }

  switch (action) {
    case 'iam:AddUserToGroup':
    case 'iam:RemoveUserFromGroup': {
      const member = userNamed(stringAt(request, 'userName'));
      const groupName = stringAt(request, 'groupName');
      if (member === null || groupName === null) return [];
      return [{ kind: 'membership', member, group: iamArn(partition, account, 'group', groupName), groupName, active: action === 'iam:AddUserToGroup' }];
    }
    case 'iam:CreateAccessKey': {
      const created = objectAt(objectAt(record, 'responseElements'), 'accessKey');
      const keyId = stringAt(created, 'accessKeyId');
      if (keyId === null) return [];
      const owner = userNamed(stringAt(request, 'userName')) ?? targetIdentity();
      return [{ kind: 'access_key', keyId, owner, account, status: accessKeyStatus(stringAt(created, 'status')) ?? 'Active', created: true }];
    }
    case 'iam:UpdateAccessKey':
    case 'iam:DeleteAccessKey': {
      const keyId = stringAt(request, 'accessKeyId');
      const status = action === 'iam:DeleteAccessKey' ? 'Deleted' : accessKeyStatus(stringAt(request, 'status'));
      if (keyId === null || status === null) return [];
      const owner = userNamed(stringAt(request, 'userName')) ?? targetIdentity();
      return [{ kind: 'access_key', keyId, owner, account, status, created: false }];
    }
    case 'iam:CreateUser':
    case 'iam:DeleteUser': {
      const user = targetIdentity() ?? userNamed(stringAt(request, 'userName'));
      if (user === null || !isIamUserArn(user)) return [];
      return [{ kind: 'user', user, account, state: action === 'iam:CreateUser' ? 'created' : 'deleted' }];
    }
    case 'iam:EnableMFADevice':
    case 'iam:DeactivateMFADevice': {
      const user = userNamed(stringAt(request, 'userName')) ?? targetIdentity();
      if (user === null || !isIamUserArn(user)) return [];
      return [{ kind: 'mfa_device', user, account, state: action === 'iam:EnableMFADevice' ? 'enabled' : 'disabled' }];
    }
    case 'iam:UpdateAccountPasswordPolicy':
      return [{ kind: 'password_policy', account, settings: passwordPolicyFromRequest(request) }];
    case 'iam:DeleteAccountPasswordPolicy':
      return [{ kind: 'password_policy', account, settings: null }];
    default:
      return [];
  }
}

function accessKeyStatus(value: string | null): AccessKeyStatus | null {
  const lower = value?.toLowerCase();
  return lower === 'active' ? 'Active' : lower === 'inactive' ? 'Inactive' : null;
}

/** Okta names the user and the group among the event's targets. */
function oktaMembership(event: LedgerEvent): IdentityFact[] {
  const record = sourceRecordOf(event);
  const targets = record?.target;
  if (!Array.isArray(targets)) return [];
  const ofType = (type: string): JsonObject | undefined => targets.find((t): t is JsonObject => isJsonObject(t) && t.type === type);
  const user = ofType('User');
  const group = ofType('UserGroup');
  const login = stringAt(user, 'alternateId');
  const groupId = stringAt(group, 'id');
  if (login === null || groupId === null) return [];
  return [
    {
      kind: 'membership',
      member: `okta:${login.trim()}`,
      group: `okta:group:${groupId}`,
      groupName: stringAt(group, 'displayName') ?? groupId,
      active: event.type === 'identity.group.member_added',
    },
  ];
}
