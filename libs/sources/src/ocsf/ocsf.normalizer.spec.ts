import type { NormalizedEvent } from '#domain';
import { describe, expect, it } from 'vitest';
import { ledgerEventSchemaViolation } from '../canonical/ledger-event-schema.js';
import { normalizeMessage, type NormalizeResult } from '../index.js';
import { OCSF_CLASSES, classifyOcsfActivity } from './ocsf-classes.js';

const now = Date.parse('2025-01-01T00:00:00Z');
const T = Date.parse('2024-07-30T21:53:13.123Z');

function normalize(body: string): NormalizeResult {
  const result = normalizeMessage({ body }, { now });
  for (const event of result.events) expect(ledgerEventSchemaViolation(event)).toBeNull();
  return result;
}

function one(record: unknown): NormalizedEvent {
  const result = normalize(JSON.stringify(record));
  expect(result.rejected).toEqual([]);
  expect(result.format).toBe('ocsf');
  expect(result.events).toHaveLength(1);
  return result.events[0]!;
}

const metadata = { version: '1.3.0', uid: 'evt-0001', product: { name: 'Entra ID', vendor_name: 'Microsoft' } };

/** Authentication (3002) Logon through SAML, as an IdP's OCSF export writes it. */
const logon = {
  class_uid: 3002,
  class_name: 'Authentication',
  category_uid: 3,
  activity_id: 1,
  activity_name: 'Logon',
  type_uid: 300201,
  severity_id: 1,
  time: T,
  status_id: 1,
  status: 'Success',
  metadata,
  user: { name: 'alice', email_addr: 'alice@example.com', uid: 'b1f7c6a4-1111-4a4a-9c9c-000000000001', type_id: 1, type: 'User' },
  src_endpoint: { ip: '2001:DB8::0:23', hostname: 'alice-laptop' },
  http_request: { user_agent: 'Mozilla/5.0 Firefox/128.0' },
  auth_protocol_id: 5,
  auth_protocol: 'SAML',
  is_mfa: true,
  auth_factors: [{ factor_type_id: 11, factor_type: 'Password' }, { factor_type_id: 5, factor_type: 'Push Notification' }],
  service: { name: 'Salesforce', uid: 'app-42' },
  cloud: { provider: 'Azure', region: 'westeurope', account: { uid: 'tenant-7' } },
};

describe('OCSF: Authentication (3002)', () => {
  it('maps every field of a logon', () => {
    const text = JSON.stringify(logon);
    expect(normalize(text).events).toEqual([
      {
        schema_version: 'v1',
        id: 'evt-0001',
        category: 'authentication',
        type: 'authentication.login',
        time: '2024-07-30T21:53:13.123Z',
        actor: {
          subject: 'ocsf:entra-id:alice@example.com',
          principal: 'b1f7c6a4-1111-4a4a-9c9c-000000000001',
          kind: 'human',
          via: null,
          attribution: 'direct',
          credential_id: null,
          session_name: null,
        },
        authentication: { factors: [{ type: 'knowledge', method: 'password' }, { type: 'possession', method: 'push' }], mfa: true },
        action: 'Logon',
        target: { type: 'ocsf:service', id: 'app-42', name: 'Salesforce' },
        outcome: 'success',
        outcome_reason: null,
        source: { ip: '2001:db8::23', service: null, user_agent: 'Mozilla/5.0 Firefox/128.0', host: 'alice-laptop', geo: null },
        origin: { system: 'ocsf', account: 'tenant-7', region: 'westeurope', kafka: null },
        raw: text,
      },
    ]);
  });

  it.each([
    [{ is_mfa: false }, 'success', 'delegated', 'a SAML logon: MFA is the identity provider\'s'],
    [{ is_mfa: false, auth_protocol_id: 11, auth_protocol: 'Basic' }, 'success', false, 'Basic authentication without MFA'],
    [{ is_mfa: false, status_id: 2, status_detail: 'INVALID_CREDENTIALS' }, 'failure', 'unknown', 'a failed logon says nothing about MFA'],
    [{ is_mfa: undefined, auth_factors: undefined, auth_protocol_id: 2, auth_protocol: 'Kerberos' }, 'success', 'unknown', 'nothing said'],
    [{ is_mfa: undefined }, 'success', true, 'a password and a push factor'],
  ])('MFA %j → %s / %s (%s)', (change, outcome, mfa, _why) => {
    const event = one({ ...logon, ...change });
    expect(event.outcome).toBe(outcome);
    expect(event.authentication?.mfa).toBe(mfa);
  });

  it('a failure carries its detail as the reason', () => {
    expect(one({ ...logon, status_id: 2, status: 'Failure', status_detail: 'USER_DOES_NOT_EXIST' }).outcome_reason).toBe('USER_DOES_NOT_EXIST');
    expect(one({ ...logon, status_id: 99, status: 'failed', status_detail: undefined, status_code: 50126 })).toMatchObject({ outcome: 'failure', outcome_reason: '50126' });
  });

  it.each([
    [2, 'authentication.logout'],
    [3, 'authentication.ticket_requested'],
    [6, 'authentication.preauth'],
    [7, 'authentication.account_switched'],
    [99, 'authentication.other'],
  ])('activity %i → %s', (activityId, type) => {
    expect(one({ ...logon, activity_id: activityId, activity_name: undefined, type_uid: undefined }).type).toBe(type);
  });
});

describe('OCSF: IAM management classes', () => {
  const admin = { user: { name: 'bob', email_addr: 'bob@example.com', uid: 'u-bob', type_id: 2 }, session: { uid: 's-1', issuer: 'https://login.example.com', is_mfa: true } };
  const base = { category_uid: 3, time: T, status_id: 1, metadata, actor: admin, src_endpoint: { ip: '198.51.100.4' } };

  it('Account Change (3001) MFA Factor Disable: identity.mfa.disabled by the admin, on the user', () => {
    const event = one({ ...base, class_uid: 3001, activity_id: 11, user: { name: 'carol', email_addr: 'carol@example.com', uid: 'u-carol' } });
    expect(event).toMatchObject({
      category: 'identity',
      type: 'identity.mfa.disabled',
      action: 'MFA Factor Disable',
      actor: { subject: 'ocsf:entra-id:bob@example.com', principal: 'u-bob', kind: 'human', via: 'https://login.example.com' },
      target: { type: 'ocsf:user', id: 'ocsf:entra-id:carol@example.com', name: 'carol' },
      authentication: { factors: [], mfa: true },
    });
  });

  it('Account Change by activity name when the id is Other or absent ("Disable MFA")', () => {
    expect(one({ ...base, class_uid: 3001, activity_id: 99, activity_name: 'Disable MFA', user: { name: 'carol' } })).toMatchObject({ type: 'identity.mfa.disabled', action: 'Disable MFA' });
    expect(one({ ...base, class_uid: 3001, activity_name: 'MFA Factor Enable', user: { name: 'carol' } }).type).toBe('identity.mfa.enabled');
    expect(one({ ...base, class_uid: 3001, activity_name: 'Rename', user: { name: 'carol' } }).type).toBe('identity.account.changed');
    // type_uid = class_uid * 100 + activity_id
    expect(one({ ...base, class_uid: 3001, type_uid: 300107, user: { name: 'carol' } }).type).toBe('authorization.policy.attached');
  });

  it.each([
    [3001, 1, 'identity.user.created'],
    [3001, 3, 'identity.password.changed'],
    [3001, 7, 'authorization.policy.attached'],
    [3003, 1, 'authorization.session.privileges_assigned'],
    [3004, 1, 'identity.entity.created'],
    [3005, 1, 'authorization.privilege.granted'],
    [3005, 2, 'authorization.privilege.revoked'],
    [3006, 1, 'authorization.privilege.granted'],
    [3006, 3, 'identity.group.member_added'],
    [3006, 6, 'identity.group.created'],
    [3007, 13, 'identity.mfa.disabled'],
    [3007, 16, 'authorization.role.assigned'],
    [3008, 1, 'identity.role.created'],
    [3008, 8, 'authorization.policy.attached'],
    [6003, 3, 'activity.api_call'],
  ])('class %i activity %i → %s', (classUid, activityId, type) => {
    const event = one({ ...base, class_uid: classUid, activity_id: activityId, user: { name: 'carol' }, group: { name: 'Admins', uid: 'g-1' } });
    expect(event.type).toBe(type);
    expect(event.category).toBe(type.slice(0, type.indexOf('.')));
  });

  it('User Access Management (3005): the user gaining privileges is the target, privileges stay in raw', () => {
    const event = one({ ...base, class_uid: 3005, activity_id: 1, user: { name: 'dave', uid: 'u-dave' }, privileges: ['Global Administrator'] });
    expect(event.target).toEqual({ type: 'ocsf:user', id: 'ocsf:entra-id:dave', name: 'dave' });
  });

  it('Group Management (3006): the group; Entity Management (3004): the entity; Role Management (3008): the role', () => {
    expect(one({ ...base, class_uid: 3006, activity_id: 3, group: { name: 'Admins', uid: 'g-1' }, user: { name: 'dave' } }).target).toEqual({ type: 'ocsf:group', id: 'g-1', name: 'Admins' });
    expect(one({ ...base, class_uid: 3004, activity_id: 3, entity: { name: 'Conditional Access Policy 7', uid: 'cap-7', type: 'Policy' } }).target).toEqual({
      type: 'Policy',
      id: 'cap-7',
      name: 'Conditional Access Policy 7',
    });
    expect(one({ ...base, class_uid: 3008, activity_id: 4, iam_role: { name: 'Auditor', uid: 'r-9' } }).target).toEqual({ type: 'ocsf:role', id: 'r-9', name: 'Auditor' });
  });

  it('Authorize Session (3003): the user whose session got the privileges is the subject', () => {
    const event = one({ ...base, class_uid: 3003, activity_id: 1, actor: undefined, user: { name: 'Administrator', domain: 'CORP', type_id: 2 }, privileges: ['SeDebugPrivilege'] });
    expect(event.actor).toMatchObject({ subject: 'ocsf:entra-id:Administrator', kind: 'human' });
  });

  it('no user: the actor\'s application or process, as a service; nothing at all: unidentified', () => {
    expect(one({ ...base, class_uid: 3006, activity_id: 6, actor: { app_name: 'SCIM provisioning' }, group: { name: 'g' } }).actor).toMatchObject({
      subject: 'ocsf:entra-id:SCIM provisioning',
      kind: 'service',
      attribution: 'direct',
    });
    expect(one({ ...base, class_uid: 3006, activity_id: 6, actor: { user: { name: '   ' } }, group: { name: 'g' } }).actor).toMatchObject({
      subject: 'ocsf:entra-id:unidentified',
      kind: 'unknown',
      attribution: 'unresolved',
    });
  });
});

describe('OCSF: API Activity (6003)', () => {
  /** CloudTrail as Amazon Security Lake writes it in OCSF. */
  const lakeRecord = (user: Record<string, unknown>, session: Record<string, unknown> = {}) => ({
    class_uid: 6003,
    category_uid: 6,
    activity_id: 3,
    time: T,
    status_id: 1,
    metadata: { version: '1.1.0', uid: 'ct-7', product: { name: 'CloudTrail', vendor_name: 'AWS' } },
    api: { operation: 'AttachUserPolicy', service: { name: 'iam.amazonaws.com' }, request: { uid: 'req-1' } },
    actor: { user, session },
    src_endpoint: { ip: '203.0.113.8' },
    resources: [{ uid: 'arn:aws:iam::111122223333:user/bob', type: 'AWS::IAM::User', name: 'bob' }],
    cloud: { provider: 'AWS', region: 'eu-west-1', account: { uid: '111122223333' } },
  });

  it('CloudTrail through Security Lake: the same type and action as native CloudTrail, the ARN as subject', () => {
    const event = one(lakeRecord({ type: 'IAMUser', uid: 'arn:aws:iam::111122223333:user/alice', name: 'alice', credential_uid: 'AKIAEXAMPLE' }));
    expect(event).toMatchObject({
      category: 'authorization',
      type: 'authorization.policy.attached',
      action: 'iam:AttachUserPolicy',
      actor: { subject: 'arn:aws:iam::111122223333:user/alice', kind: 'human', attribution: 'direct', credential_id: 'AKIAEXAMPLE' },
      target: { type: 'AWS::IAM::User', id: 'arn:aws:iam::111122223333:user/bob', name: 'bob' },
      origin: { system: 'ocsf', account: '111122223333', region: 'eu-west-1' },
    });
  });

  it('trap 1: a role session is never attributed to the role; it stays unresolved, via the role', () => {
    const event = one(
      lakeRecord(
        { type: 'AssumedRole', uid: 'AROAEXAMPLE:deploy-bot', uid_alt: 'arn:aws:sts::111122223333:assumed-role/Deployer/deploy-bot', name: 'Deployer', credential_uid: 'ASIAEXAMPLE' },
        { issuer: 'arn:aws:iam::111122223333:role/Deployer', is_mfa: false },
      ),
    );
    expect(event.actor).toMatchObject({
      subject: 'arn:aws:sts::111122223333:assumed-role/Deployer/deploy-bot',
      kind: 'unknown',
      attribution: 'unresolved',
      via: 'arn:aws:iam::111122223333:role/Deployer',
    });
    expect(event.actor.subject).not.toBe(event.actor.via);
  });

  it('trap 4: root is the Root type or a :root ARN, never a user named root', () => {
    expect(one(lakeRecord({ type: 'Root', uid: 'arn:aws:iam::111122223333:root' })).actor.kind).toBe('root');
    expect(one(lakeRecord({ type: 'IAMUser', uid: 'arn:aws:iam::111122223333:user/root', name: 'root' })).actor.kind).toBe('human');
    expect(one({ ...lakeRecord({}), actor: { user: { name: 'root', type_id: 1 } } }).actor.kind).toBe('human');
  });

  it('other products: the operation is the action, the type activity.api_call', () => {
    const event = one({
      class_uid: 6003,
      activity_id: 2,
      time: T,
      status_id: 2,
      metadata: { uid: 'gh-1', product: { name: 'GitHub Audit Log', vendor_name: 'GitHub' } },
      api: { operation: 'repo.download_zip', response: { error: 'Forbidden', error_message: 'not allowed' } },
      actor: { user: { name: 'octocat', type: 'User' } },
      src_endpoint: { ip: 'AWS Internal' },
    });
    expect(event).toMatchObject({
      type: 'activity.api_call',
      action: 'repo.download_zip',
      actor: { subject: 'ocsf:github-audit-log:octocat' },
      outcome: 'failure',
      outcome_reason: 'not allowed',
      source: { ip: null, service: 'AWS Internal' },
    });
  });

  it('the actor\'s session says MFA was used', () => {
    expect(one(lakeRecord({ type: 'IAMUser', uid: 'arn:aws:iam::111122223333:user/alice' }, { is_mfa: true })).authentication).toEqual({ factors: [], mfa: true });
  });
});

describe('OCSF: ids, time, rejections', () => {
  it.each([
    [{ time: T }, '2024-07-30T21:53:13.123Z'],
    [{ time: T + 0.9 }, '2024-07-30T21:53:13.123Z'],
    [{ time: String(T) }, '2024-07-30T21:53:13.123Z'],
    [{ time: undefined, time_dt: '2024-07-30T23:53:13.123+02:00' }, '2024-07-30T21:53:13.123Z'],
    [{ time: undefined, time_dt: '2024-07-30T14:53:13.123-0700' }, '2024-07-30T21:53:13.123Z'],
  ])('time %j → %s', (change, iso) => {
    expect(one({ ...logon, ...change }).time).toBe(iso);
  });

  it.each([
    [{ time: undefined }, 'missing_event_time'],
    [{ time: 1722376393 }, 'invalid_event_time'],
    [{ time: T + 10 * 365 * 86_400_000 }, 'invalid_event_time'],
    [{ time: { ms: T } }, 'invalid_event_time'],
    [{ time: 'soon' }, 'invalid_event_time'],
    [{ metadata: { ...metadata, uid: { id: 1 } } }, 'missing_event_id'],
    [{ class_uid: 4001, class_name: 'Network Activity' }, 'unsupported_event'],
    [{ class_uid: 1001 }, 'unsupported_event'],
  ])('rejects %j: %s', (change, reason) => {
    expect(normalize(JSON.stringify({ ...logon, ...change })).rejected).toMatchObject([{ index: 0, reason }]);
  });

  it('names the class it does not read', () => {
    expect(normalize(JSON.stringify({ ...logon, class_uid: 4001, class_name: 'Network Activity' })).rejected[0]!.message).toContain('4001 (Network Activity)');
  });

  it('without metadata.uid the id is derived from the content: stable across spacing and key order', () => {
    const { metadata: _m, ...rest } = logon;
    const record = { ...rest, metadata: { product: metadata.product } };
    const a = one(record).id;
    const reordered = Object.fromEntries(Object.entries(record).reverse());
    expect(a).toMatch(/^sha256:[0-9a-f]{32}$/);
    expect(normalize(JSON.stringify(reordered, null, 2)).events[0]!.id).toBe(a);
    expect(one({ ...record, time: T + 1 }).id).not.toBe(a);
  });

  it('detection needs class_uid plus metadata, activity, category or type; declared, anything else is an invalid record', () => {
    expect(normalize(JSON.stringify({ class_uid: 3002 })).rejected).toMatchObject([{ reason: 'unknown_format' }]);
    expect(normalizeMessage({ body: '{"class_uid":"x"}', declaredFormat: 'ocsf' }, { now }).rejected).toMatchObject([{ reason: 'invalid_record' }]);
  });

  it('the product part of subjects: lower-cased, spaces and colons as dashes, the vendor when there is no product name', () => {
    const subject = (product: Record<string, unknown>) => one({ ...logon, metadata: { uid: 'x', product } }).actor.subject;
    expect(subject({ name: 'Microsoft Entra ID' })).toBe('ocsf:microsoft-entra-id:alice@example.com');
    expect(subject({ name: 'A:B  c' })).toBe('ocsf:a-b-c:alice@example.com');
    expect(subject({ vendor_name: 'Okta' })).toBe('ocsf:okta:alice@example.com');
    expect(subject({})).toBe('ocsf:unknown:alice@example.com');
  });

  it('the user part: e-mail, else name, else uid', () => {
    const subject = (user: Record<string, unknown>) => one({ ...logon, user }).actor.subject;
    expect(subject({ email_addr: 'a@x.io', name: 'a', uid: '1' })).toBe('ocsf:entra-id:a@x.io');
    expect(subject({ name: 'a', uid: '1' })).toBe('ocsf:entra-id:a');
    expect(subject({ uid: 1234 })).toBe('ocsf:entra-id:1234');
  });

  it('trap 11: NFC subjects and names, raw untouched', () => {
    const event = one({ ...logon, user: { name: 'Jose\u0301', email_addr: 'jose\u0301@example.com' } });
    expect(event.actor.subject).toBe('ocsf:entra-id:jos\u00e9@example.com');
    expect(event.raw).toContain('jose\u0301');
  });

  it('every class the table names maps every activity to a type that starts with its category', () => {
    for (const [classUid, ocsfClass] of Object.entries(OCSF_CLASSES)) {
      for (const id of [...Object.keys(ocsfClass.activities).map(Number), 0, 99, 12345]) {
        const activity = classifyOcsfActivity(Number(classUid), id, null)!;
        expect(activity.type).toMatch(/^[a-z]+(\.[a-z0-9_]+)+$/);
        expect(activity.type.startsWith(`${activity.category}.`)).toBe(true);
      }
    }
  });
});
