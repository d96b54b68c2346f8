import type { NormalizedEvent } from '#domain';
import { describe, expect, it } from 'vitest';
import { normalizeMessage, type NormalizeResult } from '../index.js';

const now = Date.parse('2025-01-01T00:00:00Z');
const ACCOUNT = '111122223333';
const ALICE = `arn:aws:iam::${ACCOUNT}:user/alice`;

const alice = {
  type: 'IAMUser',
  principalId: 'AIDAEXAMPLEALICE0001',
  arn: ALICE,
  accountId: ACCOUNT,
  accessKeyId: 'AKIAEXAMPLEALICE0001',
  userName: 'alice',
};

function record(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    eventVersion: '1.09',
    userIdentity: alice,
    eventTime: '2024-07-30T21:53:13Z',
    eventSource: 'iam.amazonaws.com',
    eventName: 'ListUsers',
    awsRegion: 'eu-west-1',
    sourceIPAddress: '198.51.100.7',
    userAgent: 'aws-cli/2.15.0',
    requestParameters: null,
    responseElements: null,
    requestID: 'r-1',
    eventID: 'e0000000-0000-4000-8000-000000000001',
    readOnly: true,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: ACCOUNT,
    ...overrides,
  };
}

function normalize(body: string | Uint8Array, declaredFormat?: string): NormalizeResult {
  return normalizeMessage({ body, declaredFormat }, { now });
}

function one(value: Record<string, unknown>): NormalizedEvent {
  const result = normalize(JSON.stringify(value));
  expect(result.rejected).toEqual([]);
  expect(result.events).toHaveLength(1);
  return result.events[0];
}

function consoleLogin(identity: unknown, mfaUsed: string | undefined, result: 'Success' | 'Failure', extra: Record<string, unknown> = {}) {
  return record({
    userIdentity: identity,
    eventSource: 'signin.amazonaws.com',
    eventName: 'ConsoleLogin',
    eventType: 'AwsConsoleSignIn',
    additionalEventData: mfaUsed === undefined ? { LoginTo: 'https://console.aws.amazon.com/' } : { MFAUsed: mfaUsed, MobileVersion: 'No' },
    responseElements: { ConsoleLogin: result },
    ...(result === 'Failure' ? { errorMessage: 'Failed authentication' } : {}),
    ...extra,
  });
}

const ssoSession = {
  type: 'AssumedRole',
  principalId: 'AROAEXAMPLESSO:grace@example.com',
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/grace@example.com`,
  accountId: ACCOUNT,
  sessionContext: {
    sessionIssuer: {
      type: 'Role',
      arn: `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef`,
      accountId: ACCOUNT,
    },
    attributes: { creationDate: '2024-07-30T21:00:00Z', mfaAuthenticated: 'false' },
  },
};

describe('CloudTrail record', () => {
  it('maps every field of a plain API call', () => {
    const raw = JSON.stringify(record({ eventName: 'AttachUserPolicy', requestParameters: { userName: 'bob', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' } }));
    const result = normalize(raw);
    expect(result.format).toBe('aws-cloudtrail');
    expect(result.events).toEqual([
      {
        schema_version: 'v1',
        id: 'e0000000-0000-4000-8000-000000000001',
        category: 'authorization',
        type: 'authorization.policy.attached',
        time: '2024-07-30T21:53:13.000Z',
        actor: {
          subject: ALICE,
          principal: ALICE,
          kind: 'human',
          via: null,
          attribution: 'direct',
          credential_id: 'AKIAEXAMPLEALICE0001',
          session_name: null,
        },
        authentication: { factors: [{ type: 'possession', method: 'access_key' }], mfa: false },
        action: 'iam:AttachUserPolicy',
        target: { type: 'AWS::IAM::User', id: `arn:aws:iam::${ACCOUNT}:user/bob`, name: 'bob' },
        outcome: 'success',
        outcome_reason: null,
        source: { ip: '198.51.100.7', service: null, user_agent: 'aws-cli/2.15.0', host: null, geo: null },
        origin: { system: 'aws-cloudtrail', account: ACCOUNT, region: 'eu-west-1', kafka: null },
        raw,
      },
    ]);
  });

  it.each([
    ['iam', 'CreateUser', 'identity', 'identity.user.created'],
    ['iam', 'CreateAccessKey', 'identity', 'identity.access_key.created'],
    ['iam', 'DeactivateMFADevice', 'identity', 'identity.mfa_device.deactivated'],
    ['iam', 'UpdateLoginProfile', 'identity', 'identity.login_profile.updated'],
    ['iam', 'DeleteAccountPasswordPolicy', 'identity', 'identity.password_policy.deleted'],
    ['identitystore', 'CreateGroupMembership', 'identity', 'identity.group.member_added'],
    ['iam', 'PutRolePolicy', 'authorization', 'authorization.inline_policy.put'],
    ['iam', 'DetachGroupPolicy', 'authorization', 'authorization.policy.detached'],
    ['sts', 'AssumeRole', 'authorization', 'authorization.role.assumed'],
    ['sts', 'AssumeRoleWithSAML', 'authorization', 'authorization.role.assumed'],
    ['sts', 'GetFederationToken', 'authorization', 'authorization.federation_token.issued'],
    ['sso', 'CreateAccountAssignment', 'authorization', 'authorization.account_assignment.created'],
    ['lambda', 'AddPermission20150331v2', 'authorization', 'authorization.resource_policy.permission_added'],
    ['signin', 'ConsoleLogin', 'authentication', 'authentication.login'],
    ['signin', 'CheckMfa', 'authentication', 'authentication.mfa_check'],
    ['signin', 'SwitchRole', 'authentication', 'authentication.role_switched'],
    ['signin', 'SomeNewSignInStep', 'authentication', 'authentication.some_new_sign_in_step'],
    ['cloudtrail', 'StopLogging', 'activity', 'activity.api_call'],
    ['s3', 'GetObject', 'activity', 'activity.api_call'],
  ])('classifies %s:%s as %s (%s)', (service, eventName, category, type) => {
    const event = one(record({ eventSource: `${service}.amazonaws.com`, eventName }));
    expect(event).toMatchObject({ category, type, action: `${service}:${eventName}` });
  });

  it('names targets from request parameters, the response, or resources', () => {
    expect(one(record({ eventName: 'CreateUser', requestParameters: { userName: 'eve', path: '/ops/' }, responseElements: { user: { arn: `arn:aws:iam::${ACCOUNT}:user/ops/eve`, userName: 'eve' } } })).target)
      .toEqual({ type: 'AWS::IAM::User', id: `arn:aws:iam::${ACCOUNT}:user/ops/eve`, name: 'eve' });
    expect(one(record({ eventSource: 'cloudtrail.amazonaws.com', eventName: 'StopLogging', requestParameters: { name: 'main-trail' } })).target)
      .toEqual({ type: 'AWS::CloudTrail::Trail', id: `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/main-trail`, name: 'main-trail' });
    expect(one(record({ eventSource: 's3.amazonaws.com', eventName: 'PutBucketLogging', requestParameters: { bucketName: 'logs' } })).target)
      .toEqual({ type: 'AWS::S3::Bucket', id: 'arn:aws:s3:::logs', name: 'logs' });
    expect(one(record({ eventSource: 'sts.amazonaws.com', eventName: 'AssumeRole', requestParameters: { roleArn: `arn:aws:iam::${ACCOUNT}:role/Admin`, roleSessionName: 'x' } })).target)
      .toEqual({ type: 'AWS::IAM::Role', id: `arn:aws:iam::${ACCOUNT}:role/Admin`, name: 'Admin' });
    expect(one(record({ eventSource: 'kinesis.amazonaws.com', eventName: 'PutRecord', resources: [{ type: 'AWS::Kinesis::Stream', ARN: 'arn:aws:kinesis:eu-west-1:1:stream/s' }] })).target)
      .toEqual({ type: 'AWS::Kinesis::Stream', id: 'arn:aws:kinesis:eu-west-1:1:stream/s', name: null });
    // a self-service credential call without a user name acts on the caller
    expect(one(record({ eventName: 'CreateAccessKey' })).target).toEqual({ type: 'AWS::IAM::User', id: ALICE, name: null });
    expect(one(record({ eventSource: 'ec2.amazonaws.com', eventName: 'DescribeRegions' })).target).toBeNull();
  });

  it('reports failures with the error code and message', () => {
    const event = one(record({ errorCode: 'AccessDenied', errorMessage: 'User: alice is not authorized' }));
    expect(event).toMatchObject({ outcome: 'failure', outcome_reason: 'AccessDenied: User: alice is not authorized' });
    expect(one(consoleLogin(alice, 'No', 'Failure'))).toMatchObject({ outcome: 'failure', outcome_reason: 'Failed authentication' });
  });

  it('trap 2: a service or IPv6 source address is never reported as an IPv4 address', () => {
    expect(one(record({ sourceIPAddress: 'AWS Internal' })).source).toMatchObject({ ip: null, service: 'AWS Internal', host: null });
    expect(one(record({ sourceIPAddress: 'ec2.amazonaws.com' })).source).toMatchObject({ ip: null, service: 'ec2.amazonaws.com' });
    expect(one(record({ sourceIPAddress: '2001:DB8:0000:0000:0000:0000:0000:0042' })).source).toMatchObject({ ip: '2001:db8::42', service: null });
    expect(one(record({ sourceIPAddress: '::ffff:203.0.113.9' })).source).toMatchObject({ ip: '203.0.113.9', service: null });
    expect(one(record({ sourceIPAddress: '203.0.113.010' })).source).toMatchObject({ ip: null, service: null, host: '203.0.113.010' });
  });

  describe('trap 3: console sign-in MFA', () => {
    const login = (identity: unknown, mfaUsed: string | undefined, result: 'Success' | 'Failure' = 'Success') =>
      one(consoleLogin(identity, mfaUsed, result)).authentication;

    it('an IAM user saying No (any case) signed in without MFA', () => {
      expect(login(alice, 'No')).toEqual({ factors: [{ type: 'knowledge', method: 'password' }], mfa: false });
      expect(login(alice, 'NO')).toMatchObject({ mfa: false });
    });

    it('Yes (any case) is MFA: password and a possession factor', () => {
      expect(login(alice, 'yes')).toEqual({
        factors: [{ type: 'knowledge', method: 'password' }, { type: 'possession', method: 'mfa' }],
        mfa: true,
      });
      const webauthn = one(consoleLogin(alice, 'Yes', 'Success', { additionalEventData: { MFAUsed: 'Yes', MfaType: 'U2F MFA' } }));
      expect(webauthn.authentication?.factors[1]).toEqual({ type: 'possession', method: 'webauthn' });
    });

    it('No on an SSO or SAML sign-in is delegated to the identity provider', () => {
      expect(login(ssoSession, 'No')).toEqual({ factors: [], mfa: 'delegated' });
    });

    it('No on a failed sign-in, or no MFAUsed at all, is unknown rather than "no MFA"', () => {
      expect(login(alice, 'No', 'Failure')).toMatchObject({ mfa: 'unknown' });
      expect(login(alice, undefined)).toMatchObject({ mfa: 'unknown' });
      expect(login(alice, 'maybe')).toMatchObject({ mfa: 'unknown' });
    });
  });

  describe('trap 4: root detection', () => {
    const rootIdentity = { type: 'Root', principalId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT, accessKeyId: 'ASIAROOT000000000001' };

    it('a user named root is a human, not the root user', () => {
      const event = one(record({ userIdentity: { ...alice, arn: `arn:aws:iam::${ACCOUNT}:user/root`, userName: 'root' } }));
      expect(event.actor).toMatchObject({ subject: `arn:aws:iam::${ACCOUNT}:user/root`, kind: 'human' });
    });

    it('type Root, or an ARN ending in ":root" whatever the type, is root', () => {
      expect(one(record({ userIdentity: rootIdentity })).actor).toMatchObject({ subject: `arn:aws:iam::${ACCOUNT}:root`, kind: 'root', attribution: 'direct' });
      const untyped = one(record({ userIdentity: { arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT } }));
      expect(untyped.actor).toMatchObject({ subject: `arn:aws:iam::${ACCOUNT}:root`, kind: 'root' });
    });

    it('an AssumeRoot task session is root use, marked as such', () => {
      const assumedRoot = { ...rootIdentity, sessionContext: { attributes: { mfaAuthenticated: 'false' }, assumedRoot: 'true' } };
      expect(one(record({ userIdentity: assumedRoot })).actor).toMatchObject({ subject: `arn:aws:iam::${ACCOUNT}:root`, kind: 'root', via: 'sts:AssumeRoot' });
    });

    it('a service-invoked root call is root use, via the service', () => {
      const invoked = { ...rootIdentity, invokedBy: 'signin.amazonaws.com' };
      expect(one(record({ userIdentity: invoked, eventName: 'CreateAccessKey' }))).toMatchObject({
        actor: { subject: `arn:aws:iam::${ACCOUNT}:root`, kind: 'root', via: 'signin.amazonaws.com' },
        target: { type: 'AWS::IAM::Root', id: `arn:aws:iam::${ACCOUNT}:root` },
      });
    });
  });

  it('trap 5: temporary keys minted for a console session are the console, not a stolen key', () => {
    const consoleUser = { ...alice, accessKeyId: 'ASIAEXAMPLECONSOLE01', sessionContext: { attributes: { creationDate: '2024-07-30T21:00:00Z', mfaAuthenticated: 'true' } } };
    const event = one(record({ userIdentity: consoleUser, sessionCredentialFromConsole: 'true' }));
    expect(event.authentication).toEqual({ factors: [{ type: 'possession', method: 'console_session' }], mfa: true });
    expect(event.actor).toMatchObject({ subject: ALICE, kind: 'human', credential_id: 'ASIAEXAMPLECONSOLE01' });
    const cli = one(record({ userIdentity: { ...consoleUser, sessionContext: undefined } }));
    expect(cli.authentication?.factors).toEqual([{ type: 'possession', method: 'temporary_access_key' }]);
  });

  describe('trap 6: event time', () => {
    it.each([
      ['2020-06-15T23:47:54Z', '2020-06-15T23:47:54.000Z'],
      ['2023-05-26 20:14:51', '2023-05-26T20:14:51.000Z'],
      ['20131102T010628Z', '2013-11-02T01:06:28.000Z'],
      ['2020-06-15T16:47:54-0700', '2020-06-15T23:47:54.000Z'],
    ])('reads eventTime %s', (eventTime, time) => {
      expect(one(record({ eventTime })).time).toBe(time);
    });

    it('never falls back to now: absent, unreadable or implausible times are rejected with a reason', () => {
      const cases: Array<[unknown, string]> = [
        [undefined, 'missing_event_time'],
        [null, 'missing_event_time'],
        ['Jan 01, 2019 0:00:00 PM', 'invalid_event_time'],
        ['1970-01-01T00:00:00Z', 'invalid_event_time'],
        ['2031-01-01T00:00:00Z', 'invalid_event_time'],
      ];
      for (const [eventTime, reason] of cases) {
        const result = normalize(JSON.stringify(record({ eventTime })));
        expect(result.events).toEqual([]);
        expect(result.rejected).toMatchObject([{ index: 0, reason, message: expect.stringContaining('eventTime') }]);
      }
    });
  });

  it('identifies a record without an eventID by its content, and rejects an eventID that is not text', () => {
    const bare = record();
    delete bare.eventID;
    const [event] = normalize(JSON.stringify(bare)).events;
    expect(event!.id).toMatch(/^sha256:[0-9a-f]{32}$/);
    // spacing and member order are not content
    expect(normalize(JSON.stringify(Object.fromEntries(Object.entries(bare).reverse()), null, 1)).events[0]!.id).toBe(event!.id);
    expect(normalize(JSON.stringify({ ...bare, eventName: 'ListRoles' })).events[0]!.id).not.toBe(event!.id);
    expect(normalize(JSON.stringify(record({ eventID: null }))).events[0]!.id).toMatch(/^sha256:/);
    for (const eventID of [42, '', {}]) {
      expect(normalize(JSON.stringify(record({ eventID }))).rejected).toMatchObject([{ reason: 'missing_event_id', message: 'eventID must be a non-empty string' }]);
    }
  });

  it('trap 9: null where objects are expected, and absent fields, still normalize', () => {
    const event = one(
      record({
        requestParameters: null,
        responseElements: null,
        additionalEventData: null,
        resources: null,
        userAgent: null,
        sourceIPAddress: null,
        awsRegion: undefined,
        userIdentity: { ...alice, sessionContext: null, accessKeyId: null },
      }),
    );
    expect(event).toMatchObject({ target: null, authentication: null, source: { ip: null, service: null, user_agent: null }, origin: { region: null } });
    const sparse = one({ eventID: 'x-1', eventTime: '2024-01-01T00:00:00Z', eventName: 'ConsoleLogin', eventSource: 'signin.amazonaws.com', userIdentity: null });
    expect(sparse).toMatchObject({ category: 'authentication', authentication: { mfa: 'unknown' }, origin: { account: null } });
  });

  it('trap 11: subject ids and names are NFC, while raw keeps the source bytes', () => {
    const nfd = 'jose\u0301';
    const raw = JSON.stringify(record({ userIdentity: { ...alice, arn: `arn:aws:iam::${ACCOUNT}:user/${nfd}`, userName: nfd }, eventName: 'DeleteUser', requestParameters: { userName: `Ze\u0301` } }));
    const [event] = normalize(raw).events;
    expect(event.actor.subject).toBe(`arn:aws:iam::${ACCOUNT}:user/jos\u00e9`);
    expect(event.actor.principal).toBe(`arn:aws:iam::${ACCOUNT}:user/jos\u00e9`);
    expect(event.target).toEqual({ type: 'AWS::IAM::User', id: `arn:aws:iam::${ACCOUNT}:user/Z\u00e9`, name: 'Z\u00e9' });
    expect(event.raw).toBe(raw);
    expect(event.raw).toContain(nfd);
  });
});

describe('CloudTrail delivery shapes', () => {
  it('a Records file with one bad record: the bad one is rejected alone, the others normalize', () => {
    const good1 = record({ eventID: 'good-1' });
    const bad = record({ eventID: 'bad', eventTime: 'not a time' });
    const good2 = record({ eventID: 'good-2' });
    const text = JSON.stringify({ Records: [good1, bad, 'not an object', good2] });
    const result = normalize(text);
    expect(result.events.map((e) => e.id)).toEqual(['good-1', 'good-2']);
    expect(result.rejected).toEqual([
      { index: 1, reason: 'invalid_event_time', message: expect.stringMatching(/^Records\[1\]: eventTime/), raw: JSON.stringify(bad) },
      { index: 2, reason: 'invalid_record', message: expect.stringContaining('Records[2]'), raw: '"not an object"' },
    ]);
  });

  it('raw is the exact source text of each record: spacing, escapes, key order and unicode escapes survive', () => {
    const first =
      '{ "eventVersion" :"1.08","eventID":"a-1",\n    "eventTime":  "2024-07-30T21:53:13Z","eventSource":"iam.amazonaws.com",' +
      '"eventName":"GetUser","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/J\\u00f6rg","accountId":"111122223333"},' +
      '"requestParameters":{"note":"quote \\" bracket ] brace } \\ud83d\\ude00"}  }';
    const second = '{"eventID":"a-2","eventTime":"2024-07-30T21:53:14Z","eventSource":"s3.amazonaws.com","eventName":"ListBuckets","Records":"decoy"}';
    const text = `\uFEFF{\n  "Records" : [\n    ${first} ,\n\t${second}\n  ],\n  "\\u0052ecords_extra": 1 }\n`;
    const result = normalize(new TextEncoder().encode(text));
    expect(result.rejected).toEqual([]);
    expect(result.events.map((e) => e.raw)).toEqual([first, second]);
    expect(result.events[0].actor.subject).toBe('arn:aws:iam::111122223333:user/J\u00f6rg');
  });

  it('an EventBridge envelope: the detail is the record, raw is the whole envelope', () => {
    const envelope = JSON.stringify({
      version: '0',
      id: '6f7e8d9c-0000-4000-8000-000000000000',
      'detail-type': 'AWS Console Sign In via CloudTrail',
      source: 'aws.signin',
      account: ACCOUNT,
      time: '2024-07-30T21:53:13Z',
      region: 'us-east-1',
      resources: [],
      detail: consoleLogin(alice, 'Yes', 'Success', { awsRegion: undefined, recipientAccountId: undefined }),
    });
    const result = normalize(envelope);
    expect(result.rejected).toEqual([]);
    expect(result.events).toHaveLength(1);
    expect(result.events[0]).toMatchObject({
      id: 'e0000000-0000-4000-8000-000000000001',
      type: 'authentication.login',
      action: 'signin:ConsoleLogin',
      actor: { subject: ALICE },
      authentication: { mfa: true },
      origin: { account: ACCOUNT, region: 'us-east-1' },
      raw: envelope,
    });
  });

  it('an NDJSON batch of records: raw is each line, a broken line is rejected alone', () => {
    const lines = [JSON.stringify(record({ eventID: 'n-1' })), '{"eventID": "n-2", "eventTime":', JSON.stringify(record({ eventID: 'n-3' }))];
    const result = normalize(lines.join('\r\n') + '\n');
    expect(result.events.map((e) => [e.id, e.raw])).toEqual([
      ['n-1', lines[0]],
      ['n-3', lines[2]],
    ]);
    expect(result.rejected).toMatchObject([{ index: 1, reason: 'invalid_json', message: expect.stringMatching(/^line 2: /), raw: lines[1] }]);
  });

  it('a declared format wins over detection', () => {
    const notCloudTrail = JSON.stringify({ hello: 'world' });
    expect(normalize(notCloudTrail).rejected).toMatchObject([{ index: null, reason: 'unknown_format' }]);
    // no eventID (derived from the content) and no eventTime: the time is what it lacks
    expect(normalize(notCloudTrail, 'aws-cloudtrail')).toMatchObject({ format: 'aws-cloudtrail', rejected: [{ index: 0, reason: 'missing_event_time' }] });
    expect(normalize(JSON.stringify(record()), 'CloudTrail').events).toHaveLength(1);
  });
});
