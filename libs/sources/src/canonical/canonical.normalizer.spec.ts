import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { LEDGER_EVENT_V1_SCHEMA, normalizeMessage, type NormalizeResult, type SourceMessage } from '../index.js';

const now = Date.parse('2025-01-01T00:00:00Z');

const minimal = {
  id: 'evt-1',
  category: 'authentication',
  type: 'authentication.login',
  time: '2024-07-30T23:53:13.5+02:00',
  actor: { subject: 'okta:alice@example.com', kind: 'human', attribution: 'direct' },
  action: 'user.session.start',
  outcome: 'success',
};

const expectedFromMinimal = {
  schema_version: 'v1',
  id: 'evt-1',
  category: 'authentication',
  type: 'authentication.login',
  time: '2024-07-30T21:53:13.500Z',
  actor: {
    subject: 'okta:alice@example.com',
    principal: 'okta:alice@example.com',
    kind: 'human',
    via: null,
    attribution: 'direct',
    credential_id: null,
    session_name: null,
  },
  authentication: null,
  action: 'user.session.start',
  target: null,
  outcome: 'success',
  outcome_reason: null,
  source: { ip: null, service: null, user_agent: null, host: null, geo: null },
  origin: { system: 'unspecified', account: null, region: null, kafka: null },
};

function normalize(message: SourceMessage): NormalizeResult {
  return normalizeMessage(message, { now });
}

describe('canonical events', () => {
  it('accepts a minimal bare event, fills the defaults, and keeps the text as raw', () => {
    const text = JSON.stringify(minimal, null, 2);
    expect(normalize({ body: text })).toEqual({ format: 'canonical', events: [{ ...expectedFromMinimal, raw: text }], rejected: [] });
  });

  it('ignores received_at and producer-set Kafka provenance, keeps a given raw, canonicalizes the IP, NFC-normalizes names', () => {
    const full = {
      ...minimal,
      schema_version: 'v1',
      received_at: '1999-01-01T00:00:00Z',
      actor: { subject: 'linux:web-1:jose\u0301', principal: 'uid=1000', kind: 'human', via: 'sudo', attribution: 'identity_map', credential_id: null, session_name: null },
      authentication: { factors: [{ type: 'possession', method: 'ssh_key' }], mfa: false },
      target: { type: 'host', id: 'web-1', name: null },
      outcome: 'failure',
      outcome_reason: 'Permission denied',
      source: { ip: '2001:DB8::0:1', service: null, user_agent: null, host: 'laptop-7', geo: { country: 'DE', asn: 3320, as_org: 'DTAG' } },
      origin: { system: 'linux-auth', account: null, region: null, kafka: { topic: 'forged', partition: 0, offset: '1' } },
      raw: 'Jul 30 23:53:13 web-1 sshd[42]: Failed publickey for jose from 2001:db8::1',
    };
    const [event] = normalize({ body: JSON.stringify(full) }).events;
    expect(event).toMatchObject({
      actor: { subject: 'linux:web-1:jos\u00e9', principal: 'uid=1000', via: 'sudo', attribution: 'identity_map' },
      authentication: { factors: [{ type: 'possession', method: 'ssh_key' }], mfa: false },
      source: { ip: '2001:db8::1', host: 'laptop-7', geo: { country: 'DE', asn: 3320, as_org: 'DTAG' } },
      origin: { system: 'linux-auth', kafka: null },
      raw: full.raw,
    });
    expect(event).not.toHaveProperty('received_at');
  });

  it.each([
    [{ ...minimal, id: undefined }, 'missing_event_id', 'id is missing'],
    [{ ...minimal, time: undefined }, 'missing_event_time', 'time is missing'],
    [{ ...minimal, time: 'tuesday' }, 'invalid_event_time', '/time'],
    [{ ...minimal, actor: { ...minimal.actor, kind: 'robot' } }, 'schema_violation', '/actor/kind must be one of "human", "service", "root", "unknown"'],
    [{ ...minimal, actor: { kind: 'human', attribution: 'direct' } }, 'schema_violation', '/actor is missing required property "subject"'],
    [{ ...minimal, outcom: 'success' }, 'schema_violation', '/ has unknown property "outcom"'],
    [{ ...minimal, schema_version: 'v2' }, 'schema_violation', '/schema_version must be "v1"'],
    [{ ...minimal, type: 'identity.user.created' }, 'schema_violation', '/type must start with the category'],
    [{ ...minimal, source: { ip: 'AWS Internal' } }, 'schema_violation', '/source/ip'],
    [{ ...minimal, authentication: { factors: [{ type: 'magic', method: 'x' }], mfa: true } }, 'schema_violation', '/authentication/factors/0/type'],
    [{ ...minimal, time_source: 'received_at' }, 'schema_violation', '/time_source must be one of "kafka_timestamp"'],
  ])('rejects %j with %s', (event, reason, message) => {
    const result = normalize({ body: JSON.stringify(event), declaredFormat: 'canonical' });
    expect(result.events).toEqual([]);
    expect(result.rejected).toEqual([{ index: 0, reason, message: expect.stringContaining(message), raw: JSON.stringify(event) }]);
  });

  it('accepts the review vocabulary (accountability.*) under any category, e.g. a two-person-rule witness', () => {
    const witness = { ...minimal, type: 'accountability.witness', action: 'accountability:witness' };
    const result = normalize({ body: JSON.stringify(witness), declaredFormat: 'canonical' });
    expect(result.rejected).toEqual([]);
    expect(result.events[0]).toMatchObject({ type: 'accountability.witness', category: minimal.category });
  });

  it('accepts a batch as a JSON array, each element with its own raw', () => {
    const text = `[${JSON.stringify(minimal)} , ${JSON.stringify({ ...minimal, id: 'evt-2' })}]`;
    const result = normalize({ body: text });
    expect(result.events.map((e) => [e.id, e.raw])).toEqual([
      ['evt-1', JSON.stringify(minimal)],
      ['evt-2', JSON.stringify({ ...minimal, id: 'evt-2' })],
    ]);
  });

  it('round-trips: a normalized event sent back as a canonical event comes out unchanged', () => {
    const first = normalize({ body: JSON.stringify(minimal) }).events[0];
    const again = normalize({ body: JSON.stringify({ ...first, received_at: '2025-01-01T00:00:00.000Z' }) });
    expect(again.events).toEqual([first]);
  });

  it('round-trips an event whose time came from the Kafka timestamp, keeping time_source; a canonical event never takes the transport time', () => {
    const cloudTrail = JSON.stringify({ eventSource: 'iam.amazonaws.com', eventName: 'ListUsers', userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/alice' } });
    const [timed] = normalizeMessage({ body: cloudTrail, transportTime: { source: 'kafka_timestamp', epochMs: '1722376393000' } }, { now }).events;
    expect(timed).toMatchObject({ time: '2024-07-30T21:53:13.000Z', time_source: 'kafka_timestamp' });
    const again = normalize({ body: JSON.stringify(timed) });
    expect(again.events).toEqual([timed]);
    const timeless = normalizeMessage({ body: JSON.stringify({ ...minimal, time: undefined }), transportTime: { source: 'kafka_timestamp', epochMs: 1722376393000 } }, { now });
    expect(timeless.rejected).toMatchObject([{ reason: 'missing_event_time' }]);
  });

  it('publishes a valid draft 2020-12 schema', () => {
    const ajv = new Ajv2020.default({ strict: true, allowUnionTypes: true });
    expect(ajv.validateSchema(LEDGER_EVENT_V1_SCHEMA)).toBe(true);
    expect(LEDGER_EVENT_V1_SCHEMA).toMatchObject({ $schema: 'https://json-schema.org/draft/2020-12/schema' });
  });
});

describe('CloudEvents', () => {
  const envelope = {
    specversion: '1.0',
    id: 'ce-1',
    source: 'urn:acme:hr-system',
    type: 'dev.ledger.event.v1',
    time: '2024-07-30T21:53:13Z',
    datacontenttype: 'application/json',
    data: minimal,
  };

  it('structured mode: data is the event, raw the whole envelope, source names the origin system', () => {
    const text = JSON.stringify(envelope);
    expect(normalize({ body: text })).toEqual({
      format: 'cloudevents',
      events: [{ ...expectedFromMinimal, origin: { ...expectedFromMinimal.origin, system: 'urn:acme:hr-system' }, raw: text }],
      rejected: [],
    });
  });

  it('structured mode: envelope id and time fill in for the event, data_base64 is read', () => {
    const { id: _id, time: _time, ...withoutIdAndTime } = minimal;
    const text = JSON.stringify({ ...envelope, data: undefined, data_base64: Buffer.from(JSON.stringify(withoutIdAndTime)).toString('base64') });
    const [event] = normalize({ body: text }).events;
    expect(event).toMatchObject({ id: 'ce-1', time: '2024-07-30T21:53:13.000Z', raw: text });
  });

  it('binary mode: the ce_ (Kafka) or ce- (HTTP) headers are the envelope, the body is the event', () => {
    const body = JSON.stringify({ ...minimal, id: undefined });
    const kafka = normalize({
      body: Buffer.from(body),
      headers: { ce_specversion: '1.0', ce_id: 'ce-9', ce_source: 'urn:acme:vpn', ce_type: 'dev.ledger.event.v1', 'content-type': 'application/json' },
    });
    expect(kafka).toMatchObject({ format: 'cloudevents', rejected: [], events: [{ id: 'ce-9', origin: { system: 'urn:acme:vpn' }, raw: body }] });
    const http = normalize({ body, headers: { 'CE-SpecVersion': '1.0', 'ce-id': 'ce-10', 'ce-source': 'urn:acme:vpn', 'ce-type': 't' } });
    expect(http.events).toMatchObject([{ id: 'ce-10' }]);
  });

  it.each([
    [{ ...envelope, specversion: '0.3' }, 'unsupported specversion'],
    [{ ...envelope, source: undefined }, 'missing required attribute source'],
    [{ ...envelope, datacontenttype: 'application/xml' }, 'is not JSON'],
    [{ ...envelope, data: 'text' }, '"data" must be the canonical event object'],
    [{ ...envelope, data: undefined }, 'no "data"'],
  ])('rejects a broken envelope %j', (broken, message) => {
    expect(normalize({ body: JSON.stringify(broken) }).rejected).toMatchObject([{ index: 0, reason: 'invalid_envelope', message: expect.stringContaining(message) }]);
  });

  it('validates the event inside the envelope like a bare one', () => {
    const text = JSON.stringify({ ...envelope, data: { ...minimal, outcome: 'maybe' } });
    expect(normalize({ body: text }).rejected).toMatchObject([{ reason: 'schema_violation', message: expect.stringContaining('/outcome') }]);
  });

  it('declared as cloudevents but neither structured nor binary', () => {
    expect(normalize({ body: JSON.stringify(minimal), declaredFormat: 'cloudevents' }).rejected).toMatchObject([{ reason: 'invalid_envelope' }]);
  });
});
