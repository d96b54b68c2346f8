import type { NormalizedEvent } from '#domain';
import { describe, expect, it } from 'vitest';
import { normalizeMessage } from '../index.js';

const now = Date.parse('2025-01-01T00:00:00Z');
const ACCOUNT = '111122223333';

function eventFor(userIdentity: unknown, extra: Record<string, unknown> = {}): NormalizedEvent {
  const record = {
    eventVersion: '1.09',
    eventID: 'e0000000-0000-4000-8000-000000000001',
    eventTime: '2024-07-30T21:53:13Z',
    eventSource: 's3.amazonaws.com',
    eventName: 'ListBuckets',
    awsRegion: 'eu-west-1',
    sourceIPAddress: '198.51.100.7',
    userAgent: 'aws-cli/2.15.0',
    requestParameters: null,
    responseElements: null,
    recipientAccountId: ACCOUNT,
    eventType: 'AwsApiCall',
    ...(userIdentity === undefined ? {} : { userIdentity }),
    ...extra,
  };
  const result = normalizeMessage({ body: JSON.stringify(record) }, { now });
  expect(result.rejected).toEqual([]);
  expect(result.events).toHaveLength(1);
  return result.events[0];
}

const roleSession = (session: string, extra: Record<string, unknown> = {}, issuerArn = `arn:aws:iam::${ACCOUNT}:role/Deploy`) => ({
  type: 'AssumedRole',
  principalId: `AROAEXAMPLEROLEID:${session}`,
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${issuerArn.slice(issuerArn.lastIndexOf('/') + 1)}/${session}`,
  accountId: ACCOUNT,
  accessKeyId: 'ASIAEXAMPLESESSION01',
  sessionContext: {
    sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLEROLEID', arn: issuerArn, accountId: ACCOUNT, userName: 'Deploy' },
    attributes: { creationDate: '2024-07-30T21:00:00Z', mfaAuthenticated: 'false' },
    ...extra,
  },
});

describe('CloudTrail attribution, per userIdentity type', () => {
  it('Root: the account root ARN, kind root, direct', () => {
    const { actor } = eventFor({ type: 'Root', principalId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT, accessKeyId: 'ASIAROOTSESSION00001' });
    expect(actor).toEqual({
      subject: `arn:aws:iam::${ACCOUNT}:root`,
      principal: `arn:aws:iam::${ACCOUNT}:root`,
      kind: 'root',
      via: null,
      attribution: 'direct',
      credential_id: 'ASIAROOTSESSION00001',
      session_name: null,
    });
  });

  it('IAMUser: the user ARN (with its path), kind human, direct', () => {
    const { actor } = eventFor({
      type: 'IAMUser',
      principalId: 'AIDAEXAMPLEUSER00001',
      arn: `arn:aws:iam::${ACCOUNT}:user/division/alice`,
      accountId: ACCOUNT,
      accessKeyId: 'AKIAEXAMPLEKEY000001',
      userName: 'alice',
    });
    expect(actor).toMatchObject({ subject: `arn:aws:iam::${ACCOUNT}:user/division/alice`, kind: 'human', via: null, attribution: 'direct', credential_id: 'AKIAEXAMPLEKEY000001' });
  });

  it('IAMUser without an ARN: rebuilt from account and user name', () => {
    const { actor } = eventFor({ type: 'IAMUser', accountId: ACCOUNT, userName: 'bob' });
    expect(actor).toMatchObject({ subject: `arn:aws:iam::${ACCOUNT}:user/bob`, kind: 'human', attribution: 'direct' });
  });

  it('IAMUser hidden after a mistyped sign-in name: one unresolved subject per account, not a fake user', () => {
    const { actor } = eventFor({ type: 'IAMUser', accountId: ACCOUNT, principalId: '', accessKeyId: '', userName: 'HIDDEN_DUE_TO_SECURITY_REASONS' });
    expect(actor).toMatchObject({ subject: `aws-account:${ACCOUNT}:hidden-user`, kind: 'unknown', attribution: 'unresolved' });
  });

  it('AssumedRole with a source identity: attributed to it, via the role', () => {
    const { actor } = eventFor(roleSession('botocore-session-1722', { sourceIdentity: 'alice@example.com' }));
    expect(actor).toMatchObject({
      subject: 'alice@example.com',
      kind: 'human',
      via: `arn:aws:iam::${ACCOUNT}:role/Deploy`,
      attribution: 'source_identity',
      session_name: 'botocore-session-1722',
      credential_id: 'ASIAEXAMPLESESSION01',
      principal: `arn:aws:sts::${ACCOUNT}:assumed-role/Deploy/botocore-session-1722`,
    });
  });

  it('AssumeRole call that sets a source identity: the requested value attributes the call', () => {
    const { actor } = eventFor(roleSession('ci-run-77'), {
      eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRole',
      requestParameters: { roleArn: `arn:aws:iam::${ACCOUNT}:role/Admin`, roleSessionName: 'x', sourceIdentity: 'carol' },
    });
    expect(actor).toMatchObject({ subject: 'carol', attribution: 'source_identity' });
  });

  it('AssumedRole with an e-mail or a person-like session name: an unverified claim', () => {
    expect(eventFor(roleSession('dave@example.com')).actor).toMatchObject({
      subject: 'dave@example.com',
      kind: 'human',
      via: `arn:aws:iam::${ACCOUNT}:role/Deploy`,
      attribution: 'session_name_claim',
      session_name: 'dave@example.com',
    });
    expect(eventFor(roleSession('leroy.jenkins')).actor).toMatchObject({ subject: 'leroy.jenkins', attribution: 'session_name_claim' });
  });

  it('AssumedRole with a tool-generated session name: the session ARN, unresolved', () => {
    for (const session of ['aws-go-sdk-1722375070115152000', 'cli', 'terraform', '1641313043312360000', 'botocore-session-1722']) {
      const { actor } = eventFor(roleSession(session));
      expect(actor).toMatchObject({
        subject: `arn:aws:sts::${ACCOUNT}:assumed-role/Deploy/${session}`,
        kind: 'unknown',
        attribution: 'unresolved',
        via: `arn:aws:iam::${ACCOUNT}:role/Deploy`,
        session_name: session,
      });
    }
  });

  it('AssumedRole of an EC2 instance profile or invoked by a service: a service, unresolved', () => {
    expect(eventFor(roleSession('i-0abc1234def567890')).actor).toMatchObject({ kind: 'service', attribution: 'unresolved' });
    const invoked = roleSession('8f2c9d1e');
    expect(eventFor({ ...invoked, invokedBy: 'cloudformation.amazonaws.com' }).actor).toMatchObject({ kind: 'service', attribution: 'unresolved' });
  });

  it('AssumedRole of an Identity Center permission set: the session name is the Identity Center user', () => {
    const sso = roleSession('jdoe', {}, `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123456789abcdef`);
    expect(eventFor(sso).actor).toMatchObject({ subject: 'jdoe', kind: 'human', attribution: 'session_name_claim' });
  });

  it('AssumedRole on behalf of an Identity Center user (identity-enhanced session)', () => {
    const session = {
      ...roleSession('example-user-1'),
      onBehalfOf: { userId: '94d00cd8-e9e6-4810-b177-b08e84725435', identityStoreArn: 'arn:aws:identitystore::111122223333:identitystore/d-1234567890' },
    };
    expect(eventFor(session).actor).toMatchObject({
      subject: 'arn:aws:identitystore::111122223333:identitystore/d-1234567890/user/94d00cd8-e9e6-4810-b177-b08e84725435',
      kind: 'human',
      attribution: 'source_identity',
    });
  });

  it('Role: unresolved, the role itself as a last resort', () => {
    const roleArn = `arn:aws:iam::${ACCOUNT}:role/Legacy`;
    expect(eventFor({ type: 'Role', principalId: 'AROALEGACY', arn: roleArn, accountId: ACCOUNT }).actor).toMatchObject({
      subject: roleArn,
      kind: 'unknown',
      via: roleArn,
      attribution: 'unresolved',
    });
  });

  it('FederatedUser: attributed to the IAM user that minted it, via the federated session', () => {
    const { actor } = eventFor({
      type: 'FederatedUser',
      principalId: `${ACCOUNT}:broker-alice`,
      arn: `arn:aws:sts::${ACCOUNT}:federated-user/broker-alice`,
      accountId: ACCOUNT,
      accessKeyId: 'ASIAFEDERATED0000001',
      sessionContext: {
        sessionIssuer: { type: 'IAMUser', principalId: 'AIDABROKER', arn: `arn:aws:iam::${ACCOUNT}:user/broker`, accountId: ACCOUNT, userName: 'broker' },
        attributes: { creationDate: '2024-07-30T21:00:00Z', mfaAuthenticated: 'false' },
      },
    });
    expect(actor).toMatchObject({
      subject: `arn:aws:iam::${ACCOUNT}:user/broker`,
      kind: 'human',
      via: `arn:aws:sts::${ACCOUNT}:federated-user/broker-alice`,
      attribution: 'credential_chain',
      session_name: 'broker-alice',
    });
  });

  it('FederatedUser minted by root: still root use', () => {
    const { actor } = eventFor({
      type: 'FederatedUser',
      arn: `arn:aws:sts::${ACCOUNT}:federated-user/tmp`,
      accountId: ACCOUNT,
      sessionContext: { sessionIssuer: { type: 'Root', arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT } },
    });
    expect(actor).toMatchObject({ subject: `arn:aws:iam::${ACCOUNT}:root`, kind: 'root' });
  });

  it('AWSAccount: another account, unresolved', () => {
    const { actor } = eventFor({ type: 'AWSAccount', principalId: 'AIDAOTHERACCOUNTUSER', accountId: '444455556666' });
    expect(actor).toMatchObject({ subject: 'aws-account:444455556666:AIDAOTHERACCOUNTUSER', kind: 'unknown', attribution: 'unresolved' });
  });

  it('AWSService: the service name, kind service, direct', () => {
    const { actor, source } = eventFor({ type: 'AWSService', invokedBy: 'cloudtrail.amazonaws.com' }, { sourceIPAddress: 'cloudtrail.amazonaws.com' });
    expect(actor).toMatchObject({ subject: 'cloudtrail.amazonaws.com', principal: 'cloudtrail.amazonaws.com', kind: 'service', attribution: 'direct' });
    expect(source).toMatchObject({ ip: null, service: 'cloudtrail.amazonaws.com' });
  });

  it('SAMLUser: the SAML subject, via the role being assumed', () => {
    const { actor } = eventFor(
      { type: 'SAMLUser', principalId: 'SAMLissuerHash:erin@example.com', userName: 'erin@example.com', identityProvider: 'SAMLissuerHash' },
      { eventSource: 'sts.amazonaws.com', eventName: 'AssumeRoleWithSAML', requestParameters: { roleArn: `arn:aws:iam::${ACCOUNT}:role/SamlAdmin` } },
    );
    expect(actor).toMatchObject({ subject: 'erin@example.com', kind: 'human', via: `arn:aws:iam::${ACCOUNT}:role/SamlAdmin`, attribution: 'direct' });
  });

  it('WebIdentityUser: provider-qualified id; CI providers are services', () => {
    const google = eventFor(
      { type: 'WebIdentityUser', principalId: 'accounts.google.com:app.apps.googleusercontent.com:1234567890', userName: '1234567890', identityProvider: 'accounts.google.com' },
      { eventSource: 'sts.amazonaws.com', eventName: 'AssumeRoleWithWebIdentity', requestParameters: { roleArn: `arn:aws:iam::${ACCOUNT}:role/App` } },
    );
    expect(google.actor).toMatchObject({ subject: 'accounts.google.com:1234567890', kind: 'human', attribution: 'direct', via: `arn:aws:iam::${ACCOUNT}:role/App` });
    const github = eventFor({
      type: 'WebIdentityUser',
      userName: 'repo:acme/infra:ref:refs/heads/main',
      identityProvider: 'token.actions.githubusercontent.com',
    });
    expect(github.actor).toMatchObject({ subject: 'token.actions.githubusercontent.com:repo:acme/infra:ref:refs/heads/main', kind: 'service' });
  });

  it('IdentityCenterUser: the identity store user', () => {
    const { actor } = eventFor({
      type: 'IdentityCenterUser',
      accountId: ACCOUNT,
      onBehalfOf: { userId: '94d00cd8-e9e6-4810-b177-b08e84725435', identityStoreArn: `arn:aws:identitystore::${ACCOUNT}:identitystore/d-1234567890` },
      credentialId: '8f761cae-883d-4a3d-af67-3abf46488f71',
    });
    expect(actor).toMatchObject({
      subject: `arn:aws:identitystore::${ACCOUNT}:identitystore/d-1234567890/user/94d00cd8-e9e6-4810-b177-b08e84725435`,
      kind: 'human',
      attribution: 'direct',
      credential_id: '8f761cae-883d-4a3d-af67-3abf46488f71',
    });
  });

  it('Unknown with a user name (Identity Center sign-in): that name', () => {
    expect(eventFor({ type: 'Unknown', principalId: `${ACCOUNT}`, accountId: ACCOUNT, userName: 'frank' }).actor).toMatchObject({
      subject: 'frank',
      kind: 'human',
    });
  });

  it.each([undefined, null, {}])('absent userIdentity (%j): the account, unresolved, never a crash', (userIdentity) => {
    const { actor } = eventFor(userIdentity);
    expect(actor).toMatchObject({ subject: `aws-account:${ACCOUNT}:unidentified`, kind: 'unknown', attribution: 'unresolved' });
    expect(actor.principal).not.toBe('');
  });
});
