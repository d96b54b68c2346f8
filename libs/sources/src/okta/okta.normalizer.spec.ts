import type { NormalizedEvent } from '#domain';
import { describe, expect, it } from 'vitest';
import { ledgerEventSchemaViolation } from '../canonical/ledger-event-schema.js';
import { normalizeMessage, type NormalizeResult } from '../index.js';
import { classifyOktaEventType } from './okta-event-types.js';

const now = Date.parse('2025-01-01T00:00:00Z');

function normalize(body: string): NormalizeResult {
  const result = normalizeMessage({ body }, { now });
  for (const event of result.events) expect(ledgerEventSchemaViolation(event)).toBeNull();
  return result;
}

function one(record: unknown): NormalizedEvent {
  const result = normalize(JSON.stringify(record));
  expect(result.rejected).toEqual([]);
  expect(result.format).toBe('okta');
  expect(result.events).toHaveLength(1);
  return result.events[0]!;
}

/** A sign-in as the System Log API returns it. */
const sessionStart = {
  actor: { id: '00u1abcdEFGH2345ijkl', type: 'User', alternateId: 'alice@example.com', displayName: 'Alice Example', detailEntry: null },
  client: {
    userAgent: { rawUserAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0', os: 'Linux', browser: 'FIREFOX' },
    zone: 'null',
    device: 'Computer',
    id: null,
    ipAddress: '198.51.100.23',
    geographicalContext: { city: 'Berlin', state: 'Land Berlin', country: 'Germany', postalCode: '10115', geolocation: { lat: 52.5, lon: 13.4 } },
  },
  authenticationContext: { authenticationProvider: 'OKTA_AUTHENTICATION_PROVIDER', credentialProvider: 'OKTA_CREDENTIAL_PROVIDER', credentialType: 'PASSWORD', issuer: null, interface: null, authenticationStep: 0, externalSessionId: '102abcDEFsession' },
  displayMessage: 'User login to Okta',
  eventType: 'user.session.start',
  outcome: { result: 'SUCCESS', reason: null },
  published: '2024-07-30T21:53:13.123Z',
  securityContext: { asNumber: 3320, asOrg: 'deutsche telekom ag', isp: 'deutsche telekom ag', domain: 't-online.de', isProxy: false },
  severity: 'INFO',
  debugContext: { debugData: { requestId: 'ZqZ1', requestUri: '/idp/idx/identify', url: '/idp/idx/identify?' } },
  legacyEventType: 'core.user_auth.login_success',
  transaction: { type: 'WEB', id: 'ZqZ1', detail: {} },
  uuid: '8b8f3f4e-4ef6-11ef-9f0d-f1b5e2c7a9d1',
  version: '0',
  request: { ipChain: [{ ip: '198.51.100.23', geographicalContext: null, version: 'V4', source: null }] },
  target: [],
};

describe('Okta System Log events', () => {
  it('maps every field of a sign-in', () => {
    const text = JSON.stringify(sessionStart);
    expect(normalize(text)).toEqual({
      format: 'okta',
      rejected: [],
      events: [
        {
          schema_version: 'v1',
          id: '8b8f3f4e-4ef6-11ef-9f0d-f1b5e2c7a9d1',
          category: 'authentication',
          type: 'authentication.login',
          time: '2024-07-30T21:53:13.123Z',
          actor: {
            subject: 'okta:alice@example.com',
            principal: '00u1abcdEFGH2345ijkl',
            kind: 'human',
            via: null,
            attribution: 'direct',
            credential_id: '102abcDEFsession',
            session_name: null,
          },
          authentication: { factors: [{ type: 'knowledge', method: 'password' }], mfa: false },
          action: 'user.session.start',
          target: null,
          outcome: 'success',
          outcome_reason: null,
          source: { ip: '198.51.100.23', service: null, user_agent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0', host: null, geo: null },
          origin: { system: 'okta', account: null, region: null, kafka: null },
          raw: text,
        },
      ],
    });
  });

  it.each([
    ['SUCCESS', 'success', null],
    ['ALLOW', 'success', null],
    ['FAILURE', 'failure', 'INVALID_CREDENTIALS'],
    ['DENY', 'failure', 'INVALID_CREDENTIALS'],
    ['CHALLENGE', 'unknown', 'CHALLENGE: INVALID_CREDENTIALS'],
    ['SKIPPED', 'unknown', 'SKIPPED: INVALID_CREDENTIALS'],
    ['UNKNOWN', 'unknown', 'UNKNOWN: INVALID_CREDENTIALS'],
  ])('outcome %s → %s', (result, outcome, reason) => {
    const event = one({ ...sessionStart, outcome: { result, reason: 'INVALID_CREDENTIALS' } });
    expect([event.outcome, event.outcome_reason]).toEqual([outcome, reason]);
  });

  it('an absent outcome is unknown, not success', () => {
    const { outcome: _omitted, ...withoutOutcome } = sessionStart;
    expect(one(withoutOutcome).outcome).toBe('unknown');
  });

  it.each([
    ['User', 'okta:alice@example.com', 'human', 'direct'],
    ['SystemPrincipal', 'okta:system@okta.com', 'service', 'direct'],
    ['PublicClientApp', 'okta:0oa1app', 'service', 'direct'],
    ['AppInstance', 'okta:0oa1app', 'service', 'direct'],
    ['SomethingNew', 'okta:0oa1app', 'unknown', 'unresolved'],
  ])('actor type %s → %s, %s', (type, subject, kind, attribution) => {
    const alternateId = type === 'User' ? 'alice@example.com' : type === 'SystemPrincipal' ? 'system@okta.com' : '0oa1app';
    const event = one({ ...sessionStart, eventType: 'user.lifecycle.create', actor: { id: 'x1', type, alternateId, displayName: 'n' } });
    expect(event.actor).toMatchObject({ subject, kind, attribution, principal: 'x1' });
  });

  it('an actor without a usable alternateId falls back to its id; no actor at all is unresolved', () => {
    expect(one({ ...sessionStart, actor: { id: '00u9', type: 'User', alternateId: 'unknown' } }).actor.subject).toBe('okta:00u9');
    expect(one({ ...sessionStart, actor: null }).actor).toMatchObject({ subject: 'okta:unidentified', kind: 'unknown', attribution: 'unresolved' });
  });

  it('a failed sign-in names the login that was typed, and says nothing about MFA (trap 3)', () => {
    const event = one({ ...sessionStart, actor: { id: 'unknown', type: 'User', alternateId: 'bob@example.com', displayName: 'unknown' }, outcome: { result: 'FAILURE', reason: 'VERIFICATION_ERROR' } });
    expect(event.actor).toMatchObject({ subject: 'okta:bob@example.com', principal: 'bob@example.com', kind: 'human' });
    expect(event.authentication).toEqual({ factors: [{ type: 'knowledge', method: 'password' }], mfa: 'unknown' });
  });

  describe('MFA from the authentication context and debug data', () => {
    const withFactor = (eventType: string, credentialType: string | null, factor: string | null, provider = 'OKTA_AUTHENTICATION_PROVIDER') =>
      one({
        ...sessionStart,
        eventType,
        authenticationContext: { ...sessionStart.authenticationContext, credentialType, authenticationProvider: provider },
        debugContext: { debugData: factor === null ? {} : { factor } },
      }).authentication;

    it('a password alone is no MFA', () => {
      expect(withFactor('user.session.start', 'PASSWORD', null)).toEqual({ factors: [{ type: 'knowledge', method: 'password' }], mfa: false });
    });

    it('a password and a possession factor is MFA', () => {
      expect(withFactor('user.session.start', 'PASSWORD', 'OKTA_VERIFY_PUSH')).toEqual({
        factors: [{ type: 'knowledge', method: 'password' }, { type: 'possession', method: 'push' }],
        mfa: true,
      });
    });

    it.each([
      ['FIDO_WEBAUTHN', 'webauthn'],
      ['SIGNED_NONCE', 'device_bound_key'],
      ['GOOGLE_OTP', 'totp'],
      ['SMS_FACTOR', 'sms'],
      ['EMAIL_FACTOR', 'email'],
      ['YUBIKEY_TOKEN', 'hardware_token'],
    ])('an MFA step with %s is MFA (%s)', (factor, method) => {
      expect(withFactor('user.authentication.auth_via_mfa', null, factor)).toEqual({ factors: [{ type: 'possession', method }], mfa: true });
    });

    it('a federated sign-in delegates MFA to the identity provider', () => {
      expect(withFactor('user.authentication.auth_via_IDP', 'ASSERTION', null, 'FEDERATION')).toEqual({ factors: [], mfa: 'delegated' });
    });

    it('a sign-in that names no factor says nothing', () => {
      expect(withFactor('user.authentication.sso', null, null)).toEqual({ factors: [], mfa: 'unknown' });
    });

    it('events other than sign-ins carry no authentication block', () => {
      expect(one({ ...sessionStart, eventType: 'user.lifecycle.create' }).authentication).toBeNull();
    });
  });

  it('targets: the user an event is about, named like a subject so that it joins that user\'s activity', () => {
    const event = one({
      ...sessionStart,
      eventType: 'user.account.privilege.grant',
      target: [
        { id: '0oaApp', type: 'AppInstance', alternateId: 'Salesforce', displayName: 'Salesforce' },
        { id: '00uBob', type: 'User', alternateId: 'bob@example.com', displayName: 'Bob Example' },
      ],
    });
    expect(event).toMatchObject({
      category: 'authorization',
      type: 'authorization.privilege.granted',
      target: { type: 'okta:User', id: 'okta:bob@example.com', name: 'Bob Example' },
    });
    const group = one({
      ...sessionStart,
      eventType: 'group.user_membership.add',
      target: [
        { id: '00uBob', type: 'User', alternateId: 'bob@example.com', displayName: 'Bob' },
        { id: '00gAdmins', type: 'UserGroup', alternateId: 'unknown', displayName: 'Admins' },
      ],
    });
    expect(group.target).toEqual({ type: 'okta:UserGroup', id: '00gAdmins', name: 'Admins' });
  });

  it('reads exports that lower-cased every key', () => {
    const lowered = Object.fromEntries(Object.entries(sessionStart).map(([k, v]) => [k.toLowerCase(), v]));
    const event = one(lowered);
    expect(event).toMatchObject({ id: sessionStart.uuid, type: 'authentication.login', actor: { subject: 'okta:alice@example.com', credential_id: '102abcDEFsession' } });
    expect(event.authentication?.mfa).toBe(false);
  });

  it('an event hook delivery: each event of data.events on its own, raw its exact slice', () => {
    const second = { ...sessionStart, uuid: 'second-uuid', eventType: 'user.session.end' };
    const events = `[${JSON.stringify(sessionStart)},\n  ${JSON.stringify(second)}]`;
    const body = `{"eventType":"com.okta.event_hook","eventTypeVersion":"1.0","cloudEventsVersion":"0.1","source":"https://example.okta.com/api/v1/eventHooks/who","eventId":"hook-1","data":{"events":${events}},"eventTime":"2024-07-30T21:53:14.000Z","contentType":"application/json"}`;
    const result = normalize(body);
    expect(result.rejected).toEqual([]);
    expect(result.events.map((e) => [e.id, e.type, e.raw])).toEqual([
      [sessionStart.uuid, 'authentication.login', JSON.stringify(sessionStart)],
      ['second-uuid', 'authentication.logout', JSON.stringify(second)],
    ]);
  });

  it('without a uuid the id is derived from the content, so a re-delivery still dedupes', () => {
    const { uuid: _uuid, ...withoutUuid } = sessionStart;
    const compact = one(withoutUuid);
    const pretty = normalize(JSON.stringify(withoutUuid, null, 2)).events[0]!;
    expect(compact.id).toMatch(/^sha256:[0-9a-f]{32}$/);
    expect(pretty.id).toBe(compact.id);
    expect(one({ ...withoutUuid, displayMessage: 'other' }).id).not.toBe(compact.id);
  });

  it.each([
    [{ ...sessionStart, uuid: 42 }, 'missing_event_id'],
    [{ ...sessionStart, published: undefined }, 'missing_event_time'],
    [{ ...sessionStart, published: 'yesterday' }, 'invalid_event_time'],
    [{ ...sessionStart, published: '2031-01-01T00:00:00Z' }, 'invalid_event_time'],
  ])('rejects %#: %s', (record, reason) => {
    expect(normalize(JSON.stringify(record)).rejected).toMatchObject([{ index: 0, reason }]);
  });

  it('declared as okta, a record without an eventType is an invalid record', () => {
    expect(normalizeMessage({ body: '{"uuid":"x"}', declaredFormat: 'okta' }, { now }).rejected).toMatchObject([{ reason: 'invalid_record', message: expect.stringContaining('eventType') }]);
  });

  it('times without a zone are UTC; Okta\'s nanosecond exports keep millisecond precision', () => {
    expect(one({ ...sessionStart, published: '2022-03-22 14:21:53.225' }).time).toBe('2022-03-22T14:21:53.225Z');
    expect(one({ ...sessionStart, published: '2020-11-25 21:27:03.496000000' }).time).toBe('2020-11-25T21:27:03.496Z');
  });

  it('source: the client IP in canonical form, else the first IP of the request chain; "UNKNOWN" agents are no agent', () => {
    expect(one({ ...sessionStart, client: { ipAddress: '2001:DB8::0:5', userAgent: { rawUserAgent: 'UNKNOWN' } } }).source).toMatchObject({ ip: '2001:db8::5', user_agent: null });
    expect(one({ ...sessionStart, client: null }).source.ip).toBe('198.51.100.23');
  });

  it('trap 11: names are NFC in subjects and targets, raw keeps the bytes', () => {
    const event = one({ ...sessionStart, actor: { ...sessionStart.actor, alternateId: 'jose\u0301@example.com' }, target: [{ id: '1', type: 'User', alternateId: 'rene\u0301@example.com', displayName: 'Rene\u0301' }] });
    expect(event.actor.subject).toBe('okta:jos\u00e9@example.com');
    expect(event.target).toEqual({ type: 'okta:User', id: 'okta:ren\u00e9@example.com', name: 'Ren\u00e9' });
    expect(event.raw).toContain('jose\u0301');
  });
});

describe('Okta event types', () => {
  it.each([
    ['user.session.start', 'authentication', 'authentication.login'],
    ['user.authentication.auth_via_IDP', 'authentication', 'authentication.federated'],
    ['user.mfa.factor.deactivate', 'identity', 'identity.mfa.disabled'],
    ['user.mfa.factor.reset_all', 'identity', 'identity.mfa.reset'],
    ['user.mfa.factor.suspend', 'identity', 'identity.mfa.suspended'],
    ['system.mfa.factor.deactivate', 'identity', 'identity.mfa.org_factor_disabled'],
    ['user.account.privilege.grant', 'authorization', 'authorization.privilege.granted'],
    ['group.privilege.grant', 'authorization', 'authorization.privilege.granted'],
    ['policy.lifecycle.update', 'authorization', 'authorization.access_policy.updated'],
    ['group.user_membership.add', 'identity', 'identity.group.member_added'],
    // families not in the table
    ['user.authentication.auth_via_newthing', 'authentication', 'authentication.authentication.auth_via_newthing'],
    ['user.lifecycle.password_mass_expire', 'identity', 'identity.lifecycle.password_mass_expire'],
    ['policy.entity_risk.evaluate', 'authorization', 'authorization.policy.entity_risk.evaluate'],
    ['app.oauth2.as.token.grant', 'activity', 'activity.event'],
    ['User.Account.Weird--Type..X', 'identity', 'identity.account.weird_type.x'],
  ])('%s → %s / %s', (eventType, category, type) => {
    expect(classifyOktaEventType(eventType)).toEqual({ category, type });
  });
});
