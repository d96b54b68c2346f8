import type { EventCategory } from '#domain';

/**
 * Category and dotted type of a CloudTrail event. The category picks the Kafka topic and the
 * detectors that look at the event, so the tables name exactly the calls that change who
 * exists (identity), who signs in (authentication) and who may do what (authorization);
 * everything else is activity.
 */
export interface CloudTrailClass {
  category: EventCategory;
  type: string;
}

const IDENTITY: Record<string, string> = {
  // IAM users, groups, roles
  'iam:CreateUser': 'identity.user.created',
  'iam:DeleteUser': 'identity.user.deleted',
  'iam:UpdateUser': 'identity.user.updated',
  'iam:CreateGroup': 'identity.group.created',
  'iam:DeleteGroup': 'identity.group.deleted',
  'iam:UpdateGroup': 'identity.group.updated',
  'iam:AddUserToGroup': 'identity.group.member_added',
  'iam:RemoveUserFromGroup': 'identity.group.member_removed',
  'iam:CreateRole': 'identity.role.created',
  'iam:CreateServiceLinkedRole': 'identity.role.created',
  'iam:DeleteRole': 'identity.role.deleted',
  'iam:DeleteServiceLinkedRole': 'identity.role.deleted',
  'iam:UpdateRole': 'identity.role.updated',
  'iam:UpdateRoleDescription': 'identity.role.updated',
  // credentials
  'iam:CreateLoginProfile': 'identity.login_profile.created',
  'iam:UpdateLoginProfile': 'identity.login_profile.updated',
  'iam:DeleteLoginProfile': 'identity.login_profile.deleted',
  'iam:ChangePassword': 'identity.password.changed',
  'iam:CreateAccessKey': 'identity.access_key.created',
  'iam:UpdateAccessKey': 'identity.access_key.updated',
  'iam:DeleteAccessKey': 'identity.access_key.deleted',
  'iam:CreateVirtualMFADevice': 'identity.mfa_device.created',
  'iam:EnableMFADevice': 'identity.mfa_device.enabled',
  'iam:DeactivateMFADevice': 'identity.mfa_device.deactivated',
  'iam:DeleteVirtualMFADevice': 'identity.mfa_device.deleted',
  'iam:ResyncMFADevice': 'identity.mfa_device.resynced',
  'iam:UploadSSHPublicKey': 'identity.ssh_public_key.uploaded',
  'iam:UpdateSSHPublicKey': 'identity.ssh_public_key.updated',
  'iam:DeleteSSHPublicKey': 'identity.ssh_public_key.deleted',
  'iam:UploadSigningCertificate': 'identity.signing_certificate.uploaded',
  'iam:UpdateSigningCertificate': 'identity.signing_certificate.updated',
  'iam:DeleteSigningCertificate': 'identity.signing_certificate.deleted',
  'iam:CreateServiceSpecificCredential': 'identity.service_credential.created',
  'iam:UpdateServiceSpecificCredential': 'identity.service_credential.updated',
  'iam:ResetServiceSpecificCredential': 'identity.service_credential.reset',
  'iam:DeleteServiceSpecificCredential': 'identity.service_credential.deleted',
  'iam:UpdateAccountPasswordPolicy': 'identity.password_policy.updated',
  'iam:DeleteAccountPasswordPolicy': 'identity.password_policy.deleted',
  'iam:CreateSAMLProvider': 'identity.identity_provider.created',
  'iam:UpdateSAMLProvider': 'identity.identity_provider.updated',
  'iam:DeleteSAMLProvider': 'identity.identity_provider.deleted',
  'iam:CreateOpenIDConnectProvider': 'identity.identity_provider.created',
  'iam:UpdateOpenIDConnectProviderThumbprint': 'identity.identity_provider.updated',
  'iam:DeleteOpenIDConnectProvider': 'identity.identity_provider.deleted',
  // Identity Center (identity store and its directory)
  'identitystore:CreateUser': 'identity.user.created',
  'identitystore:DeleteUser': 'identity.user.deleted',
  'identitystore:UpdateUser': 'identity.user.updated',
  'identitystore:CreateGroup': 'identity.group.created',
  'identitystore:DeleteGroup': 'identity.group.deleted',
  'identitystore:UpdateGroup': 'identity.group.updated',
  'identitystore:CreateGroupMembership': 'identity.group.member_added',
  'identitystore:DeleteGroupMembership': 'identity.group.member_removed',
  'sso-directory:CreateUser': 'identity.user.created',
  'sso-directory:DeleteUser': 'identity.user.deleted',
  'sso-directory:UpdateUser': 'identity.user.updated',
  'sso-directory:DisableUser': 'identity.user.disabled',
  'sso-directory:EnableUser': 'identity.user.enabled',
  'sso-directory:CreateGroup': 'identity.group.created',
  'sso-directory:DeleteGroup': 'identity.group.deleted',
  'sso-directory:AddMemberToGroup': 'identity.group.member_added',
  'sso-directory:RemoveMemberFromGroup': 'identity.group.member_removed',
  'sso-directory:UpdatePassword': 'identity.password.changed',
  'sso-directory:CreateMfaDeviceForUser': 'identity.mfa_device.created',
  'sso-directory:DeleteMfaDeviceForUser': 'identity.mfa_device.deleted',
  'signin:PasswordUpdated': 'identity.password.changed',
};

const AUTHENTICATION: Record<string, string> = {
  'signin:ConsoleLogin': 'authentication.login',
  'signin:CheckMfa': 'authentication.mfa_check',
  'signin:SwitchRole': 'authentication.role_switched',
  'signin:ExitRole': 'authentication.role_exited',
  'signin:RenewRole': 'authentication.session_renewed',
  'signin:GetSigninToken': 'authentication.federation_token_exchanged',
  'signin:UserAuthentication': 'authentication.login',
  'signin:CredentialChallenge': 'authentication.credential_challenge',
  'signin:CredentialVerification': 'authentication.credential_verification',
  'sso:Authenticate': 'authentication.login',
  'sso:Federate': 'authentication.federated',
  'sso:Logout': 'authentication.logout',
  'sts:GetSessionToken': 'authentication.session_token_issued',
};

const AUTHORIZATION: Record<string, string> = {
  'iam:AttachUserPolicy': 'authorization.policy.attached',
  'iam:AttachGroupPolicy': 'authorization.policy.attached',
  'iam:AttachRolePolicy': 'authorization.policy.attached',
  'iam:DetachUserPolicy': 'authorization.policy.detached',
  'iam:DetachGroupPolicy': 'authorization.policy.detached',
  'iam:DetachRolePolicy': 'authorization.policy.detached',
  'iam:PutUserPolicy': 'authorization.inline_policy.put',
  'iam:PutGroupPolicy': 'authorization.inline_policy.put',
  'iam:PutRolePolicy': 'authorization.inline_policy.put',
  'iam:DeleteUserPolicy': 'authorization.inline_policy.deleted',
  'iam:DeleteGroupPolicy': 'authorization.inline_policy.deleted',
  'iam:DeleteRolePolicy': 'authorization.inline_policy.deleted',
  'iam:CreatePolicy': 'authorization.policy.created',
  'iam:DeletePolicy': 'authorization.policy.deleted',
  'iam:CreatePolicyVersion': 'authorization.policy.version_created',
  'iam:DeletePolicyVersion': 'authorization.policy.version_deleted',
  'iam:SetDefaultPolicyVersion': 'authorization.policy.default_version_set',
  'iam:PutUserPermissionsBoundary': 'authorization.permissions_boundary.put',
  'iam:PutRolePermissionsBoundary': 'authorization.permissions_boundary.put',
  'iam:DeleteUserPermissionsBoundary': 'authorization.permissions_boundary.deleted',
  'iam:DeleteRolePermissionsBoundary': 'authorization.permissions_boundary.deleted',
  'iam:UpdateAssumeRolePolicy': 'authorization.role.trust_policy_updated',
  'iam:AddRoleToInstanceProfile': 'authorization.instance_profile.role_added',
  'iam:RemoveRoleFromInstanceProfile': 'authorization.instance_profile.role_removed',
  'sts:AssumeRole': 'authorization.role.assumed',
  'sts:AssumeRoleWithSAML': 'authorization.role.assumed',
  'sts:AssumeRoleWithWebIdentity': 'authorization.role.assumed',
  'sts:AssumeRoot': 'authorization.root.assumed',
  'sts:GetFederationToken': 'authorization.federation_token.issued',
  // Identity Center permission sets and account assignments
  'sso:CreateAccountAssignment': 'authorization.account_assignment.created',
  'sso:DeleteAccountAssignment': 'authorization.account_assignment.deleted',
  'sso:CreatePermissionSet': 'authorization.permission_set.created',
  'sso:UpdatePermissionSet': 'authorization.permission_set.updated',
  'sso:DeletePermissionSet': 'authorization.permission_set.deleted',
  'sso:ProvisionPermissionSet': 'authorization.permission_set.provisioned',
  'sso:AttachManagedPolicyToPermissionSet': 'authorization.permission_set.policy_attached',
  'sso:DetachManagedPolicyFromPermissionSet': 'authorization.permission_set.policy_detached',
  'sso:PutInlinePolicyToPermissionSet': 'authorization.permission_set.inline_policy_put',
  'sso:DeleteInlinePolicyFromPermissionSet': 'authorization.permission_set.inline_policy_deleted',
  // organization-wide policies (SCPs)
  'organizations:AttachPolicy': 'authorization.policy.attached',
  'organizations:DetachPolicy': 'authorization.policy.detached',
  // resource policies and sharing: who outside may act on a resource
  's3:PutBucketPolicy': 'authorization.resource_policy.put',
  's3:DeleteBucketPolicy': 'authorization.resource_policy.deleted',
  's3:PutBucketAcl': 'authorization.resource_acl.put',
  's3:PutObjectAcl': 'authorization.resource_acl.put',
  'kms:PutKeyPolicy': 'authorization.resource_policy.put',
  'kms:CreateGrant': 'authorization.grant.created',
  'kms:RevokeGrant': 'authorization.grant.revoked',
  'lambda:AddPermission': 'authorization.resource_policy.permission_added',
  'lambda:RemovePermission': 'authorization.resource_policy.permission_removed',
  'lambda:AddLayerVersionPermission': 'authorization.resource_policy.permission_added',
  'secretsmanager:PutResourcePolicy': 'authorization.resource_policy.put',
  'secretsmanager:DeleteResourcePolicy': 'authorization.resource_policy.deleted',
  'ecr:SetRepositoryPolicy': 'authorization.resource_policy.put',
  'sns:AddPermission': 'authorization.resource_policy.permission_added',
  'sqs:AddPermission': 'authorization.resource_policy.permission_added',
  'ec2:ModifySnapshotAttribute': 'authorization.resource_sharing.modified',
  'ec2:ModifyImageAttribute': 'authorization.resource_sharing.modified',
  'rds:ModifyDBSnapshotAttribute': 'authorization.resource_sharing.modified',
  'rds:ModifyDBClusterSnapshotAttribute': 'authorization.resource_sharing.modified',
  'ram:CreateResourceShare': 'authorization.resource_sharing.created',
  'ram:AssociateResourceShare': 'authorization.resource_sharing.modified',
};

const TYPES = new Map<string, string>([
  ...Object.entries(IDENTITY),
  ...Object.entries(AUTHENTICATION),
  ...Object.entries(AUTHORIZATION),
]);

// Lambda versions its API in event names: AddPermission20150331v2
const API_VERSION_SUFFIX = /\d{8}(?:v\d+)?$/;
const CAMEL_BOUNDARY = /([a-z0-9])([A-Z])/g;

export function classifyCloudTrailEvent(servicePrefix: string, eventName: string, eventType: string | null): CloudTrailClass {
  const key = `${servicePrefix}:${eventName}`;
  const type = TYPES.get(key) ?? TYPES.get(key.replace(API_VERSION_SUFFIX, ''));
  if (type !== undefined) return { category: type.slice(0, type.indexOf('.')) as EventCategory, type };
  if (servicePrefix === 'signin' || eventType === 'AwsConsoleSignIn') {
    // any other sign-in event is still about authentication
    return { category: 'authentication', type: `authentication.${snakeCase(eventName)}` };
  }
  if (eventType === 'AwsServiceEvent') return { category: 'activity', type: 'activity.service_event' };
  if (eventType === 'AwsConsoleAction') return { category: 'activity', type: 'activity.console_action' };
  return { category: 'activity', type: 'activity.api_call' };
}

function snakeCase(name: string): string {
  const snake = name.replace(CAMEL_BOUNDARY, '$1_$2').toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  return snake === '' ? 'event' : snake;
}
