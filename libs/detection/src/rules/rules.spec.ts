import { describe, expect, it } from 'vitest';
import type { AnomalyType } from '../anomaly.js';
import { detectAll } from '../engine/detection-engine.js';
import type { DetectableEvent } from '../event-facts.js';
import { ALICE, BOB, CHROME_MAC, ROOT, TEST_OPTIONS, event } from '../testing/test-events.js';

const T = Date.parse('2026-03-02T10:00:00Z');
const types = (events: DetectableEvent[]): AnomalyType[] => [...new Set(detectAll(events, TEST_OPTIONS).map((a) => a.type))].sort();
const raised = (events: DetectableEvent[], type: AnomalyType) => detectAll(events, TEST_OPTIONS).filter((a) => a.type === type);

const consoleLogin = (over: Partial<Parameters<typeof event>[0]> = {}) =>
  event({ id: 'login', time: T, type: 'authentication.login', action: 'signin:ConsoleLogin', userAgent: CHROME_MAC, mfa: false, ...over });

describe('root_account_used, direct_root_login, root_access_key_created', () => {
  it('raises root use once per session, with lower severity when delegated (trap 4)', () => {
    const direct = raised([event({ id: 'a', time: T, subject: ROOT, kind: 'root' }), event({ id: 'b', time: T + 60_000, subject: ROOT, kind: 'root' })], 'root_account_used');
    expect(direct).toHaveLength(1);
    expect(direct[0].severity).toBe('high');
    expect(direct[0].evidence_event_ids).toEqual(['a']);
    const assumed = raised([event({ id: 'c', time: T, subject: ROOT, kind: 'root', via: 'sts:AssumeRoot' })], 'root_account_used');
    expect(assumed[0].severity).toBe('medium');
  });

  it('does not call a user named root the root user, nor a failed root sign-in root use', () => {
    expect(types([event({ id: 'a', time: T, subject: 'arn:aws:iam::111122223333:user/root', kind: 'human' })])).toEqual([]);
    expect(types([consoleLogin({ subject: ROOT, kind: 'root', outcome: 'failure', mfa: 'unknown' })])).not.toContain('root_account_used');
  });

  it('raises direct_root_login for a root console sign-in and an ssh login as root, not for sudo', () => {
    expect(types([consoleLogin({ subject: ROOT, kind: 'root', mfa: true })])).toContain('direct_root_login');
    const ssh = event({ id: 's', time: T, subject: 'linux:web-1:root', kind: 'root', type: 'authentication.login', action: 'sshd:publickey', system: 'linux-auth', userAgent: null, mfa: 'unknown' });
    expect(types([ssh])).toContain('direct_root_login');
    const sudo = event({ id: 'u', time: T, subject: 'linux:web-1:alice', type: 'activity.privileged_command', action: 'sudo', system: 'linux-auth', userAgent: null, target: { type: 'linux:run_as', id: 'linux:web-1:root', name: '/usr/bin/systemctl restart nginx' } });
    expect(types([sudo])).toEqual(['privileged_command']);
  });

  it('raises root_access_key_created only for keys of the root itself', () => {
    const key = (subject: string, kind: 'root' | 'human', target: DetectableEvent['target']) =>
      event({ id: `k-${kind}`, time: T, subject, kind, type: 'identity.access_key.created', action: 'iam:CreateAccessKey', target });
    expect(raised([key(ROOT, 'root', { type: 'AWS::IAM::Root', id: ROOT })], 'root_access_key_created')[0].severity).toBe('critical');
    expect(types([key(ALICE, 'human', { type: 'AWS::IAM::User', id: BOB })])).toEqual([]);
  });
});

describe('console_login_without_mfa (trap 3)', () => {
  it('raises for a single-factor IAM user and root sign-in', () => {
    expect(raised([consoleLogin()], 'console_login_without_mfa')[0].severity).toBe('high');
    expect(raised([consoleLogin({ subject: ROOT, kind: 'root' })], 'console_login_without_mfa')[0].severity).toBe('critical');
  });
  it('does not raise for MFA at the IdP, unknown MFA, failed sign-ins or MFA used', () => {
    expect(types([consoleLogin({ mfa: 'delegated' })])).toEqual([]);
    expect(types([consoleLogin({ mfa: 'unknown' })])).toEqual([]);
    expect(types([consoleLogin({ outcome: 'failure' })])).toEqual([]);
    expect(types([consoleLogin({ mfa: true })])).toEqual([]);
  });
});

describe('privileges', () => {
  const attach = (action: string, params: Record<string, unknown>, target: DetectableEvent['target'], outcome: DetectableEvent['outcome'] = 'success') =>
    event({ id: `p-${action}`, time: T, type: 'authorization.policy.attached', action, target, outcome, raw: { requestParameters: params } });

  it('direct_privilege_grant for a policy on a user, not on a group or role', () => {
    expect(types([attach('iam:AttachUserPolicy', { userName: 'bob', policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }, { type: 'AWS::IAM::User', id: BOB, name: 'bob' })])).toEqual(['direct_privilege_grant']);
    expect(types([attach('iam:AttachGroupPolicy', { groupName: 'ops', policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }, { type: 'AWS::IAM::Group', id: 'g' })])).toEqual([]);
  });

  it('admin_privilege_granted for AdministratorAccess anywhere and for */* inline policies; refused attempts at lower severity', () => {
    const admin = { policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess', roleName: 'r' };
    expect(types([attach('iam:AttachRolePolicy', admin, { type: 'AWS::IAM::Role', id: 'r' })])).toEqual(['admin_privilege_granted']);
    const doc = JSON.stringify({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
    expect(types([attach('iam:PutGroupPolicy', { groupName: 'g', policyDocument: doc }, { type: 'AWS::IAM::Group', id: 'g' })])).toEqual(['admin_privilege_granted']);
    const refused = raised([attach('iam:AttachRolePolicy', admin, { type: 'AWS::IAM::Role', id: 'r' }, 'failure')], 'admin_privilege_granted');
    expect(refused[0].severity).toBe('medium');
    expect(types([attach('iam:AttachRolePolicy', { policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }, null)])).toEqual([]);
  });

  it('mfa_disabled for device removal and IdP factor resets, not for re-enabling', () => {
    expect(types([event({ id: 'm', time: T, type: 'identity.mfa_device.deactivated', action: 'iam:DeactivateMFADevice' })])).toEqual(['mfa_disabled']);
    const okta = (action: string, type: string) => event({ id: action, time: T, type, action, subject: 'okta:homer@example.com', system: 'okta', outcome: 'unknown' });
    expect(raised([okta('system.mfa.factor.deactivate', 'identity.mfa.org_factor_disabled')], 'mfa_disabled')[0].severity).toBe('critical');
    expect(types([okta('user.mfa.factor.unsuspend', 'identity.mfa.unsuspended')])).toEqual([]);
    expect(types([okta('user.mfa.factor.activate', 'identity.mfa.enabled')])).toEqual([]);
  });

  it('password_policy_weakened below 14/upper/lower/digit/symbol/24/90, or deleted', () => {
    const policy = (params: Record<string, unknown>) => event({ id: 'pp', time: T, type: 'identity.password_policy.updated', action: 'iam:UpdateAccountPasswordPolicy', raw: { requestParameters: params } });
    const strong = { minimumPasswordLength: 16, requireSymbols: true, requireNumbers: true, requireUppercaseCharacters: true, requireLowercaseCharacters: true, passwordReusePrevention: 24, maxPasswordAge: 90 };
    expect(types([policy(strong)])).toEqual([]);
    const weak = raised([policy({ ...strong, minimumPasswordLength: 8, passwordReusePrevention: 5 })], 'password_policy_weakened');
    expect(weak[0].facts[0]).toContain('minimum length 8');
    expect(weak[0].facts[0]).toContain('reuse prevention 5');
    expect(types([event({ id: 'd', time: T, type: 'identity.password_policy.deleted', action: 'iam:DeleteAccountPasswordPolicy' })])).toEqual(['password_policy_weakened']);
  });
});

describe('audit_logging_disabled', () => {
  const call = (action: string, params: Record<string, unknown> | null, outcome: DetectableEvent['outcome'] = 'success') =>
    event({ id: action, time: T, action, outcome, raw: { requestParameters: params } });
  it.each([
    ['cloudtrail:StopLogging', { name: 'trail' }],
    ['cloudtrail:DeleteTrail', { name: 'trail' }],
    ['ec2:DeleteFlowLogs', {}],
    ['route53resolver:DeleteResolverQueryLogConfig', {}],
    ['s3:PutBucketLogging', { bucketName: 'b', BucketLoggingStatus: { xmlns: 'x' } }],
    ['cloudtrail:PutEventSelectors', { eventSelectors: [{ includeManagementEvents: false, readWriteType: 'All' }] }],
    ['cloudtrail:PutEventSelectors', { eventSelectors: [{ includeManagementEvents: true, readWriteType: 'ReadOnly' }] }],
  ])('raises for %s', (action, params) => {
    expect(types([call(action, params)])).toEqual(['audit_logging_disabled']);
  });
  it('does not raise for refused calls, enabling bucket logging, or full selectors', () => {
    expect(types([call('cloudtrail:StopLogging', { name: 't' }, 'failure')])).toEqual([]);
    expect(types([call('s3:PutBucketLogging', { bucketName: 'b', BucketLoggingStatus: { LoggingEnabled: { TargetBucket: 'l' } } })])).toEqual([]);
    expect(types([call('cloudtrail:PutEventSelectors', { eventSelectors: [{ includeManagementEvents: true, readWriteType: 'All' }] })])).toEqual([]);
  });
});

describe('privileged_command', () => {
  const sudo = (runAs: string, command: string, action = 'sudo') =>
    event({ id: `${action}-${runAs}`, time: T, subject: 'linux:db-1:alice', type: 'activity.privileged_command', action, system: 'linux-auth', userAgent: null, target: { type: 'linux:run_as', id: `linux:db-1:${runAs}`, name: command } });
  it('raises for sudo and su to root, more severe for a root shell', () => {
    expect(raised([sudo('root', '/usr/bin/apt upgrade')], 'privileged_command')[0].severity).toBe('low');
    expect(raised([sudo('root', '/bin/bash')], 'privileged_command')[0].severity).toBe('medium');
  });
  it('does not raise for running something as another service account', () => {
    expect(types([sudo('postgres', '/usr/bin/psql')])).toEqual([]);
  });
});

describe('role_session_name_mismatch (trap 1)', () => {
  const roleCall = (subject: string, attribution: 'source_identity' | 'credential_chain' | 'session_name_claim', sessionName: string, id = 'rs') =>
    event({ id, time: T, subject, attribution, sessionName, via: 'arn:aws:iam::444455556666:role/ops-admin' });
  it('raises when the claimed name contradicts the source identity or the credential chain', () => {
    expect(types([roleCall('alice', 'source_identity', 'bob.smith')])).toEqual(['role_session_name_mismatch']);
    expect(types([roleCall(ALICE, 'credential_chain', 'bob@example.com')])).toEqual(['role_session_name_mismatch']);
    const marked = event({ id: 'm', time: T, subject: ALICE, attribution: 'credential_chain', sessionName: 'x', via: 'arn:aws:iam::1:role/r' });
    (marked.actor as { claim_contradicted?: boolean }).claim_contradicted = true;
    expect(types([marked])).toEqual(['role_session_name_mismatch']);
  });
  it('does not raise for a consistent name, a tool session name, an unverified claim, or a federation token', () => {
    expect(types([roleCall(ALICE, 'credential_chain', 'alice@example.com')])).toEqual([]);
    expect(types([roleCall(ALICE, 'credential_chain', 'aws-go-sdk-1722375070115152000')])).toEqual([]);
    expect(types([roleCall('bob.smith', 'session_name_claim', 'bob.smith')])).toEqual([]);
    const federated = event({ id: 'f', time: T, subject: ALICE, attribution: 'credential_chain', sessionName: 'someone_else', via: 'arn:aws:sts::111122223333:federated-user/someone_else' });
    expect(types([federated])).toEqual([]);
  });
  it('raises once per session name, not for every call of the session', () => {
    expect(raised([roleCall('alice', 'source_identity', 'bob.smith', 'a'), roleCall('alice', 'source_identity', 'bob.smith', 'b')], 'role_session_name_mismatch')).toHaveLength(1);
  });
  it('does not raise for sessions an AWS service names after its function or task', () => {
    // a Lambda function's calls, attributed through the chain to the AssumeRole that
    // lambda.amazonaws.com made (userIdentity.type AWSService)
    const lambdaRole = 'arn:aws:iam::111122223333:role/service-role/orders-processor-role';
    const lambdaCall = event({ id: 'l', time: T, subject: 'lambda.amazonaws.com', kind: 'service', attribution: 'credential_chain', sessionName: 'orders-processor', via: lambdaRole });
    expect(types([lambdaCall])).toEqual([]);
    (lambdaCall.actor as { claim_contradicted?: boolean }).claim_contradicted = true;
    expect(types([lambdaCall])).toEqual([]);
    // an ECS task role (no service-role path): the chain leads to the service principal
    const ecsCall = event({ id: 'e', time: T, subject: 'ecs-tasks.amazonaws.com', kind: 'unknown', attribution: 'credential_chain', sessionName: 'web-api', via: 'arn:aws:iam::111122223333:role/web-api-task' });
    expect(types([ecsCall])).toEqual([]);
    // a service-role path on its own: only AWS services assume such roles
    expect(types([event({ id: 'g', time: T, subject: ALICE, attribution: 'credential_chain', sessionName: 'nightly-etl', via: 'arn:aws:iam::111122223333:role/service-role/AWSGlueServiceRole-etl' })])).toEqual([]);
  });
  it('still raises for a person whose session claims someone else, even when a service forwards the call', () => {
    const person = event({ id: 'p', time: T, subject: ALICE, attribution: 'credential_chain', sessionName: 'bob.smith', via: 'arn:aws:iam::111122223333:role/deploy' });
    expect(types([person])).toEqual(['role_session_name_mismatch']);
    // CloudFormation acting with alice's session (invokedBy on the call) does not make it a service's session
    const forwarded = event({ id: 'cf', time: T, subject: ALICE, attribution: 'credential_chain', sessionName: 'orders-processor', via: 'arn:aws:iam::111122223333:role/deploy', service: 'cloudformation.amazonaws.com' });
    expect(raised([forwarded], 'role_session_name_mismatch').map((a) => a.details.claim)).toEqual(['orders-processor']);
  });
});

describe('dormant_account_used', () => {
  it('raises on the first activity after 90 days of silence, and not after 89', () => {
    const before = event({ id: 'old', time: T - 91 * 86_400_000 });
    expect(types([before, event({ id: 'new', time: T })])).toEqual(['dormant_account_used']);
    expect(types([event({ id: 'old', time: T - 89 * 86_400_000 }), event({ id: 'new', time: T })])).toEqual([]);
  });
});
