import type { Organisation, Person, SsoRole } from './organisation.js';
import { formatEventTime } from './time.js';
import type { CloudTrailUserIdentity } from './workload.types.js';

/**
 * `userIdentity` blocks for every way a principal reaches AWS here. Each call returns a
 * fresh object: consumers may hold records in memory and must not see shared mutable state.
 */

/** Long-term access key (AKIA...): no sessionContext at all. */
export function iamUserWithAccessKey(p: { principalId: string; userArn: string; accessKeyId: string; userName: string }, accountId: string): CloudTrailUserIdentity {
  return { type: 'IAMUser', principalId: p.principalId, arn: p.userArn, accountId, accessKeyId: p.accessKeyId, userName: p.userName };
}

/** A console session: temporary ASIA key, empty issuer, MFA state of the sign-in. */
export function iamUserConsoleSession(p: Person, accountId: string, sessionKey: string, created: number, mfa: boolean): CloudTrailUserIdentity {
  return {
    type: 'IAMUser',
    principalId: p.principalId,
    arn: p.userArn,
    accountId,
    accessKeyId: sessionKey,
    userName: p.userName,
    sessionContext: {
      sessionIssuer: {},
      webIdFederationData: {},
      attributes: { creationDate: formatEventTime(created), mfaAuthenticated: mfa ? 'true' : 'false' },
    },
  };
}

export function iamUserSignIn(p: Person, accountId: string): CloudTrailUserIdentity {
  return { type: 'IAMUser', principalId: p.principalId, arn: p.userArn, accountId, userName: p.userName };
}

/** Failed console sign-in: CloudTrail omits the ARN and sends an empty access key id. */
export function iamUserFailedSignIn(p: Person, accountId: string): CloudTrailUserIdentity {
  return { type: 'IAMUser', principalId: p.principalId, accountId, accessKeyId: '', userName: p.userName };
}

export interface RoleSession {
  readonly accountId: string;
  readonly roleName: string;
  readonly roleArn: string;
  readonly roleId: string;
  readonly sessionName: string;
  readonly created: number;
  readonly mfa: boolean;
  readonly sourceIdentity: string | null;
  /** Null for the console sign-in record itself, which carries no key. */
  readonly accessKeyId: string | null;
}

export function assumedRole(s: RoleSession): CloudTrailUserIdentity {
  const id: CloudTrailUserIdentity = {
    type: 'AssumedRole',
    principalId: `${s.roleId}:${s.sessionName}`,
    arn: `arn:aws:sts::${s.accountId}:assumed-role/${s.roleName}/${s.sessionName}`,
    accountId: s.accountId,
  };
  if (s.accessKeyId !== null) id.accessKeyId = s.accessKeyId;
  id.sessionContext = {
    sessionIssuer: { type: 'Role', principalId: s.roleId, arn: s.roleArn, accountId: s.accountId, userName: s.roleName },
    webIdFederationData: {},
    attributes: { creationDate: formatEventTime(s.created), mfaAuthenticated: s.mfa ? 'true' : 'false' },
  };
  if (s.sourceIdentity !== null) id.sessionContext.sourceIdentity = s.sourceIdentity;
  return id;
}

/** Identity Center sessions: the session name is the user's e-mail, MFA was at the IdP. */
export function ssoSession(role: SsoRole, person: Person, created: number, accessKeyId: string | null): RoleSession {
  return {
    accountId: role.accountId,
    roleName: role.name,
    roleArn: role.arn,
    roleId: role.roleId,
    sessionName: person.email,
    created,
    mfa: false,
    sourceIdentity: null,
    accessKeyId,
  };
}

export function lambdaSession(org: Organisation, created: number, accessKeyId: string): RoleSession {
  return {
    accountId: org.accountId,
    roleName: org.lambda.roleName,
    roleArn: org.lambda.roleArn,
    roleId: org.lambda.roleId,
    sessionName: org.lambda.functionName,
    created,
    mfa: false,
    sourceIdentity: null,
    accessKeyId,
  };
}

export function rootSignIn(accountId: string): CloudTrailUserIdentity {
  return { type: 'Root', principalId: accountId, arn: `arn:aws:iam::${accountId}:root`, accountId, accessKeyId: '' };
}

export function rootConsoleSession(accountId: string, sessionKey: string, created: number, mfa: boolean): CloudTrailUserIdentity {
  return {
    type: 'Root',
    principalId: accountId,
    arn: `arn:aws:iam::${accountId}:root`,
    accountId,
    accessKeyId: sessionKey,
    sessionContext: {
      sessionIssuer: {},
      webIdFederationData: {},
      attributes: { creationDate: formatEventTime(created), mfaAuthenticated: mfa ? 'true' : 'false' },
    },
  };
}

export function awsService(invokedBy: string): CloudTrailUserIdentity {
  return { type: 'AWSService', invokedBy };
}
