import type { Actor, ActorKind, Attribution } from '#domain';
import { objectField, stringField, isTrueish, type JsonObject } from '../json-value.js';
import { nfc, nfcOrNull } from '../unicode.js';
import { parseArn } from './aws-arn.js';
import { looksLikeMachineSession, looksLikePerson } from './session-names.js';

/**
 * Who is accountable for a CloudTrail record (DESIGN 4 subject conventions, traps 1 and 4).
 * The subject is a person or a named service, never a role: a role session is attributed to
 * its source identity, else to a person-like session name as an unverified claim, else left
 * as the session ARN with `unresolved`, for the credential-chain step to resolve later.
 */
export interface CloudTrailIdentity {
  actor: Actor;
  /** `userIdentity.type` as given; '' when absent. */
  type: string;
  isRoot: boolean;
  /** Signed in through a federating IdP or SSO portal, which performed the MFA (if any). */
  federated: boolean;
  /** The caller's own IAM identity (user or root ARN), the target of self-service calls that name none. */
  selfArn: string | null;
  partition: string;
  account: string | null;
}

const SSO_ROLE_NAME = /:role\/(?:.*\/)?AWSReservedSSO_/;
const SERVICE_PRINCIPAL = /^[a-z0-9.-]+\.amazonaws\.com$/i;
const WORKLOAD_PROVIDERS = /githubusercontent\.com|gitlab|circleci|bitbucket|oidc\.eks\.|\.eks\.amazonaws\.com|terraform|spacelift|buildkite/;
const PEOPLE_PROVIDERS = /cognito-identity|accounts\.google\.com|www\.amazon\.com|graph\.facebook\.com|appleid\.apple\.com|login\.microsoftonline\.com|okta|auth0/;

/** CloudTrail writes this instead of a mistyped user name on a failed console sign-in. */
const HIDDEN_USER_NAME = 'HIDDEN_DUE_TO_SECURITY_REASONS';

interface IdentityFacts {
  ui: JsonObject | null;
  record: JsonObject;
  type: string;
  arn: string | null;
  principalId: string | null;
  userName: string | null;
  partition: string;
  account: string | null;
  credentialId: string | null;
  invokedBy: string | null;
  sessionContext: JsonObject | null;
}

export function resolveCloudTrailIdentity(record: JsonObject): CloudTrailIdentity {
  const ui = objectField(record, 'userIdentity');
  const arn = stringField(ui, 'arn');
  const parsed = parseArn(arn);
  const facts: IdentityFacts = {
    ui,
    record,
    type: stringField(ui, 'type') ?? '',
    arn,
    principalId: stringField(ui, 'principalId'),
    userName: stringField(ui, 'userName'),
    partition: parsed?.partition || 'aws',
    account: stringField(ui, 'accountId') ?? (parsed?.account || null) ?? stringField(record, 'recipientAccountId'),
    // Identity Center users carry a credentialId instead of an access key
    credentialId: stringField(ui, 'accessKeyId') ?? stringField(ui, 'credentialId'),
    invokedBy: stringField(ui, 'invokedBy'),
    sessionContext: objectField(ui, 'sessionContext'),
  };

  // trap 4: root is the Root type or an ARN ending in ":root", never a user who is named root
  if (facts.type === 'Root' || (arn !== null && arn.endsWith(':root'))) return root(facts, parsed?.account || null);
  switch (facts.type) {
    case 'IAMUser':
      return iamUser(facts);
    case 'AssumedRole':
      return assumedRole(facts);
    case 'FederatedUser':
      return federatedUser(facts);
    case 'AWSService':
      return awsService(facts);
    case 'AWSAccount':
      return awsAccount(facts);
    case 'SAMLUser':
    case 'WebIdentityUser':
      return webFederation(facts);
    case 'IdentityCenterUser':
      return identityCenterUser(facts);
    case 'Role':
      return identity(facts, { subject: facts.arn ?? facts.principalId, kind: 'unknown', via: facts.arn, attribution: 'unresolved' });
    case '':
      if (ui === null) return identity(facts, { subject: null, kind: 'unknown', via: null, attribution: 'unresolved' });
      return namedIdentity(facts);
    default:
      // Directory, Unknown and types AWS adds later: a user name when there is one
      return namedIdentity(facts);
  }
}

function root(facts: IdentityFacts, arnAccount: string | null): CloudTrailIdentity {
  const account = arnAccount ?? facts.account ?? '';
  const subject = `arn:${facts.partition}:iam::${account}:root`;
  // AssumeRoot task sessions and service-invoked calls are still root use: attributed to the
  // root, with the delegation recorded in `via` so that detectors can grade the severity
  const assumedRoot = isTrueish(facts.sessionContext?.assumedRoot);
  const via = assumedRoot ? 'sts:AssumeRoot' : facts.invokedBy;
  return identity(facts, { subject, kind: 'root', via, attribution: 'direct', isRoot: true, selfArn: subject });
}

function iamUser(facts: IdentityFacts): CloudTrailIdentity {
  if (facts.userName === HIDDEN_USER_NAME && facts.arn === null) {
    const subject = `aws-account:${facts.account ?? 'unknown'}:hidden-user`;
    return identity(facts, { subject, kind: 'unknown', via: null, attribution: 'unresolved' });
  }
  // without an ARN the user's path is unknown: the rebuilt ARN is right for users at "/"
  const subject = facts.arn ?? (facts.userName && facts.account ? `arn:${facts.partition}:iam::${facts.account}:user/${facts.userName}` : null);
  if (subject === null) return identity(facts, { subject: facts.principalId, kind: 'unknown', via: null, attribution: 'unresolved' });
  return identity(facts, { subject, kind: 'human', via: facts.invokedBy, attribution: 'direct', selfArn: nfc(subject) });
}

function assumedRole(facts: IdentityFacts): CloudTrailIdentity {
  const { roleName, sessionName } = assumedRoleParts(facts.arn, facts.principalId);
  const issuer = objectField(facts.sessionContext, 'sessionIssuer');
  const roleArn =
    stringField(issuer, 'arn') ?? (roleName && facts.account ? `arn:${facts.partition}:iam::${facts.account}:role/${roleName}` : null);
  const sessionArn =
    facts.arn ?? (roleName && sessionName && facts.account ? `arn:${facts.partition}:sts::${facts.account}:assumed-role/${roleName}/${sessionName}` : null);
  const ssoRole = roleArn !== null && (roleArn.includes('/aws-reserved/sso.amazonaws.com/') || SSO_ROLE_NAME.test(roleArn));
  // a console sign-in as a role session is always federated (SAML, SSO, or a federation URL)
  const federated = true;

  // identity-enhanced sessions name the Identity Center user AWS verified
  const onBehalfOf = identityCenterSubject(objectField(facts.ui, 'onBehalfOf'));
  if (onBehalfOf !== null) {
    return identity(facts, { subject: onBehalfOf, kind: 'human', via: roleArn, attribution: 'source_identity', sessionName, federated });
  }
  const sourceIdentity = sourceIdentityOf(facts);
  if (sourceIdentity !== null) {
    return identity(facts, { subject: sourceIdentity, kind: 'human', via: roleArn, attribution: 'source_identity', sessionName, federated });
  }
  const serviceRole = roleArn !== null && roleArn.includes(':role/aws-service-role/');
  if (sessionName !== null && !serviceRole && !looksLikeMachineSession(sessionName) && (ssoRole || looksLikePerson(sessionName))) {
    // Identity Center names the session after the user; elsewhere a person-like name is only a claim
    return identity(facts, { subject: sessionName, kind: 'human', via: roleArn, attribution: 'session_name_claim', sessionName, federated });
  }
  const machine = serviceRole || facts.invokedBy !== null || (sessionName !== null && looksLikeMachineSession(sessionName));
  const kind: ActorKind = machine ? 'service' : 'unknown';
  return identity(facts, { subject: sessionArn ?? facts.principalId, kind, via: roleArn, attribution: 'unresolved', sessionName, federated });
}

function federatedUser(facts: IdentityFacts): CloudTrailIdentity {
  // GetFederationToken sessions: the event names the IAM user or root that minted them
  const issuer = objectField(facts.sessionContext, 'sessionIssuer');
  const issuerArn = stringField(issuer, 'arn');
  const issuerType = stringField(issuer, 'type');
  const resource = parseArn(facts.arn)?.resource ?? '';
  const sessionName = resource.startsWith('federated-user/') ? resource.slice('federated-user/'.length) : afterColon(facts.principalId);
  const via = facts.arn ?? facts.principalId;
  if (issuerArn !== null && (issuerType === 'Root' || issuerArn.endsWith(':root'))) {
    return identity(facts, { subject: issuerArn, kind: 'root', via, attribution: 'credential_chain', sessionName, isRoot: true, federated: true });
  }
  if (issuerArn !== null) {
    return identity(facts, { subject: issuerArn, kind: 'human', via, attribution: 'credential_chain', sessionName, federated: true });
  }
  return identity(facts, { subject: via, kind: 'human', via, attribution: 'unresolved', sessionName, federated: true });
}

function awsService(facts: IdentityFacts): CloudTrailIdentity {
  const source = stringField(facts.record, 'sourceIPAddress');
  const serviceSource = source !== null && SERVICE_PRINCIPAL.test(source) ? source : null;
  const subject = facts.invokedBy ?? serviceSource ?? facts.principalId ?? 'aws-service';
  return identity(facts, { subject, kind: 'service', via: null, attribution: 'direct' });
}

function awsAccount(facts: IdentityFacts): CloudTrailIdentity {
  // another account's principal, whose identity that account does not disclose
  const account = facts.account ?? 'unknown';
  const subject = facts.principalId ? `aws-account:${account}:${facts.principalId}` : `aws-account:${account}`;
  return identity(facts, { subject, kind: 'unknown', via: facts.invokedBy, attribution: 'unresolved' });
}

function webFederation(facts: IdentityFacts): CloudTrailIdentity {
  const provider = stringField(facts.ui, 'identityProvider');
  const requestedRole = stringField(objectField(facts.record, 'requestParameters'), 'roleArn');
  let subject: string | null;
  let kind: ActorKind;
  if (facts.type === 'SAMLUser') {
    // saml:sub, usually the person's e-mail: the same string their role sessions are named after
    subject = facts.userName ?? facts.principalId;
    kind = 'human';
  } else {
    subject = provider && facts.userName ? `${provider}:${facts.userName}` : (facts.principalId ?? facts.userName);
    kind = webIdentityKind(provider);
  }
  return identity(facts, { subject, kind, via: requestedRole, attribution: 'direct', federated: true });
}

/** CI systems and Kubernetes federate workloads; consumer IdPs federate people. */
function webIdentityKind(provider: string | null): ActorKind {
  if (provider === null) return 'unknown';
  const p = provider.toLowerCase();
  if (WORKLOAD_PROVIDERS.test(p)) return 'service';
  if (PEOPLE_PROVIDERS.test(p)) return 'human';
  return 'unknown';
}

function identityCenterUser(facts: IdentityFacts): CloudTrailIdentity {
  const subject =
    identityCenterSubject(objectField(facts.ui, 'onBehalfOf')) ??
    stringField(objectField(facts.record, 'additionalEventData'), 'UserName') ??
    facts.userName ??
    facts.principalId;
  return identity(facts, { subject, kind: 'human', via: null, attribution: 'direct', federated: true });
}

/** Directory, Unknown and future types: the user name AWS reports, when there is one. */
function namedIdentity(facts: IdentityFacts): CloudTrailIdentity {
  if (facts.userName !== null && facts.userName !== HIDDEN_USER_NAME) {
    return identity(facts, { subject: facts.userName, kind: 'human', via: facts.invokedBy, attribution: 'direct', federated: true });
  }
  if (facts.arn !== null) return identity(facts, { subject: facts.arn, kind: 'unknown', via: facts.invokedBy, attribution: 'unresolved' });
  if (facts.invokedBy !== null) return identity(facts, { subject: facts.invokedBy, kind: 'service', via: null, attribution: 'direct' });
  return identity(facts, { subject: facts.principalId, kind: 'unknown', via: null, attribution: 'unresolved' });
}

interface ActorChoice {
  subject: string | null;
  kind: ActorKind;
  via: string | null;
  attribution: Attribution;
  sessionName?: string | null;
  isRoot?: boolean;
  federated?: boolean;
  selfArn?: string | null;
}

function identity(facts: IdentityFacts, choice: ActorChoice): CloudTrailIdentity {
  // an event that names nobody still needs a subject: the account it happened in
  const subject = choice.subject ?? `aws-account:${facts.account ?? 'unknown'}:unidentified`;
  const attribution = choice.subject === null ? 'unresolved' : choice.attribution;
  const principal = facts.arn ?? facts.principalId ?? facts.userName ?? subject;
  return {
    actor: {
      subject: nfc(subject),
      principal: nfc(principal),
      kind: choice.kind,
      via: nfcOrNull(choice.via),
      attribution,
      credential_id: facts.credentialId,
      session_name: nfcOrNull(choice.sessionName ?? null),
    },
    type: facts.type,
    isRoot: choice.isRoot ?? false,
    federated: choice.federated ?? false,
    selfArn: choice.selfArn ?? null,
    partition: facts.partition,
    account: facts.account,
  };
}

/** `arn:aws:sts::123:assumed-role/Role/Session`; the principal id `AROA...:Session` as a fallback. */
function assumedRoleParts(arn: string | null, principalId: string | null): { roleName: string | null; sessionName: string | null } {
  const resource = parseArn(arn)?.resource ?? '';
  let roleName: string | null = null;
  let sessionName: string | null = null;
  if (resource.startsWith('assumed-role/')) {
    const rest = resource.slice('assumed-role/'.length);
    const slash = rest.indexOf('/');
    roleName = (slash < 0 ? rest : rest.slice(0, slash)) || null;
    sessionName = slash < 0 ? null : rest.slice(slash + 1) || null;
  }
  return { roleName, sessionName: sessionName ?? afterColon(principalId) };
}

function afterColon(text: string | null): string | null {
  if (text === null) return null;
  const colon = text.indexOf(':');
  return colon < 0 ? null : text.slice(colon + 1) || null;
}

/**
 * The source identity of a role session: set when the role was first assumed, carried through
 * role chaining, and only settable as the role's trust policy allows. For the `AssumeRole*`
 * call that creates a session, the requested value is where CloudTrail records it.
 */
function sourceIdentityOf(facts: IdentityFacts): string | null {
  const fromSession = stringField(facts.sessionContext, 'sourceIdentity');
  if (fromSession !== null) return fromSession;
  const fromAdditional = stringField(objectField(facts.record, 'additionalEventData'), 'sourceIdentity');
  if (fromAdditional !== null) return fromAdditional;
  const eventName = stringField(facts.record, 'eventName') ?? '';
  if (eventName.startsWith('AssumeRole')) return stringField(objectField(facts.record, 'requestParameters'), 'sourceIdentity');
  return null;
}

/** An Identity Center user as a stable id: `<identity store ARN>/user/<user id>`. */
function identityCenterSubject(onBehalfOf: JsonObject | null): string | null {
  const userId = stringField(onBehalfOf, 'userId');
  if (userId === null) return null;
  const store = stringField(onBehalfOf, 'identityStoreArn');
  return store !== null ? `${store}/user/${userId}` : `identitystore:user/${userId}`;
}
