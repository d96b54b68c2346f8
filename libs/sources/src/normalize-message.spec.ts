import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ledgerEventSchemaViolation } from './canonical/ledger-event-schema.js';
import { REJECTION_REASONS, normalizeMessage, type NormalizeResult, type SourceMessage } from './index.js';
import { normalizeWith } from './normalize-message.js';
import { NORMALIZERS } from './normalizer-registry.js';
import type { SourceNormalizer } from './source-normalizer.js';

const now = Date.parse('2025-01-01T00:00:00Z');

const cloudTrailRecord = (id: string) =>
  JSON.stringify({
    eventVersion: '1.08',
    eventID: id,
    eventTime: '2024-07-30T21:53:13Z',
    eventSource: 'iam.amazonaws.com',
    eventName: 'CreateUser',
    userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/alice', accountId: '111122223333', accessKeyId: 'AKIAEXAMPLE000000001' },
    requestParameters: { userName: 'bob' },
    sourceIPAddress: '198.51.100.7',
    recipientAccountId: '111122223333',
  });

function normalize(message: SourceMessage): NormalizeResult {
  return normalizeMessage(message, { now });
}

/** Every result must account for itself: known reasons, messages, and in-range distinct indexes. */
function expectWellFormed(result: NormalizeResult): void {
  expect(Array.isArray(result.events)).toBe(true);
  expect(Array.isArray(result.rejected)).toBe(true);
  for (const rejected of result.rejected) {
    expect(REJECTION_REASONS).toContain(rejected.reason);
    expect(rejected.message.length).toBeGreaterThan(0);
    expect(typeof rejected.raw).toBe('string');
  }
  const indexes = result.rejected.map((r) => r.index).filter((i): i is number => i !== null);
  expect(new Set(indexes).size).toBe(indexes.length);
  for (const index of indexes) expect(index).toBeLessThan(result.events.length + result.rejected.length);
  for (const event of result.events) expect(ledgerEventSchemaViolation(event)).toBeNull();
}

describe('normalizeMessage: messages as a whole', () => {
  it.each([
    ['', 'empty_message'],
    ['  \n\t\r\n ', 'empty_message'],
    ['\uFEFF', 'empty_message'],
    ['not json at all', 'invalid_json'],
    ['{"a": 1', 'invalid_json'],
    ['{\n  "a": 1,\n  "b": \n}', 'invalid_json'],
    ['42', 'unknown_format'],
    ['{"hello":"world"}', 'unknown_format'],
    ['[]', 'empty_message'],
  ])('rejects %j as a whole: %s', (body, reason) => {
    const result = normalize({ body });
    expect(result.events).toEqual([]);
    // a byte order mark is not part of the text
    expect(result.rejected).toEqual([{ index: null, reason, message: expect.any(String), raw: body.replace(/^\uFEFF/, '') }]);
  });

  it('rejects a message above the size limit without decoding it', () => {
    const result = normalizeMessage({ body: new Uint8Array(2048).fill(0x20) }, { now, maxMessageBytes: 1024 });
    expect(result.rejected).toEqual([{ index: null, reason: 'message_too_large', message: expect.stringContaining('1024'), raw: '' }]);
    const text = normalizeMessage({ body: 'é'.repeat(600) }, { now, maxMessageBytes: 1024 });
    expect(text.rejected).toMatchObject([{ reason: 'message_too_large', message: expect.stringContaining('1200 bytes') }]);
  });

  it('an unknown declared format rejects the message; the header is read case-insensitively', () => {
    const body = cloudTrailRecord('d-1');
    expect(normalize({ body, declaredFormat: 'gelf' })).toMatchObject({
      format: null,
      events: [],
      rejected: [{ index: null, reason: 'unknown_format', message: expect.stringContaining('"gelf"'), raw: body }],
    });
    expect(normalize({ body, headers: { 'Ledger-Format': 'cef' } }).rejected).toMatchObject([{ reason: 'unknown_format' }]);
    expect(normalize({ body, headers: { 'ledger-format': 'aws-cloudtrail' } })).toMatchObject({ format: 'aws-cloudtrail', rejected: [] });
    // the explicit declaration wins over the header
    expect(normalize({ body, declaredFormat: 'aws-cloudtrail', headers: { 'ledger-format': 'cef' } }).events).toHaveLength(1);
    // a declared format the record does not fit rejects the record, not the message
    expect(normalize({ body, headers: { 'ledger-format': 'okta' } }).rejected).toMatchObject([{ index: 0, reason: 'invalid_record' }]);
  });

  it('bad UTF-8 in one line of a batch rejects that line only', () => {
    const bytes = Buffer.concat([Buffer.from(cloudTrailRecord('u-1') + '\n'), Buffer.from([0x7b, 0xff, 0xfe, 0x7d, 0x0a]), Buffer.from(cloudTrailRecord('u-3'))]);
    const result = normalize({ body: bytes });
    expect(result.events.map((e) => e.id)).toEqual(['u-1', 'u-3']);
    expect(result.rejected).toEqual([{ index: 1, reason: 'invalid_encoding', message: 'line 2: the line is not valid UTF-8', raw: '{\uFFFD\uFFFD}' }]);
  });

  it('bad UTF-8 in a single document rejects the message', () => {
    const result = normalize({ body: Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d]) });
    expect(result.rejected).toMatchObject([{ index: null, reason: 'invalid_encoding' }]);
  });

  it('NDJSON may mix formats; each line is detected on its own and blank lines are not records', () => {
    const canonical = JSON.stringify({
      id: 'c-1',
      category: 'activity',
      type: 'activity.privileged_command',
      time: '2024-07-30T21:53:13Z',
      actor: { subject: 'linux:web-1:alice', kind: 'human', attribution: 'direct' },
      action: 'sudo',
      outcome: 'success',
    });
    const result = normalize({ body: `${cloudTrailRecord('m-1')}\n\n${canonical}\n["nested array"]\n` });
    expect(result.format).toBe('aws-cloudtrail');
    expect(result.events.map((e) => [e.id, e.origin.system])).toEqual([
      ['m-1', 'aws-cloudtrail'],
      ['c-1', 'unspecified'],
    ]);
    expect(result.rejected).toMatchObject([{ index: 2, reason: 'unknown_format', message: expect.stringMatching(/^line 4, \[0\]: /) }]);
  });

  it('a later text format plugs in as one more normalizer', () => {
    const cef: SourceNormalizer = {
      format: 'canonical',
      detects: () => false,
      normalize: () => undefined,
      detectsText: (line) => line.startsWith('CEF:0|'),
      normalizeText: (line, _context, sink) => sink.reject('invalid_record', 'recognised but not implemented', line),
    };
    const body = 'CEF:0|Acme|VPN|1.0|100|login|3|suser=alice\nnot cef\n' + cloudTrailRecord('t-1');
    const result = normalizeWith([...NORMALIZERS, cef], { body }, { now });
    expect(result.events.map((e) => e.id)).toEqual(['t-1']);
    expect(result.rejected).toMatchObject([
      { index: 0, reason: 'invalid_record', raw: 'CEF:0|Acme|VPN|1.0|100|login|3|suser=alice' },
      { index: 1, reason: 'invalid_json', raw: 'not cef' },
    ]);
  });

  it('a normalizer that throws costs one record, not the message', () => {
    const broken: SourceNormalizer = {
      format: 'canonical',
      detects: (value) => typeof value === 'object' && value !== null && 'boom' in value,
      normalize: () => {
        throw new Error('bug');
      },
    };
    const result = normalizeWith([broken, ...NORMALIZERS], { body: `{"boom":1}\n${cloudTrailRecord('b-2')}` }, { now });
    expect(result.events.map((e) => e.id)).toEqual(['b-2']);
    expect(result.rejected).toEqual([{ index: 0, reason: 'internal_error', message: 'line 1: normalization failed unexpectedly: bug', raw: '{"boom":1}' }]);
  });

  it('takes "now" from a clock function or a Date', () => {
    const body = cloudTrailRecord('n-1').replace('2024-07-30T21:53:13Z', '2030-01-01T00:00:00Z');
    expect(normalizeMessage({ body }, { now: () => new Date('2029-12-31T12:00:00Z') }).events).toHaveLength(1);
    expect(normalizeMessage({ body }, { now: new Date('2029-12-30T00:00:00Z') }).rejected).toMatchObject([{ reason: 'invalid_event_time' }]);
  });
});

const oktaRecord = JSON.stringify({
  uuid: 'o-1',
  published: '2024-07-30T21:53:13.000Z',
  eventType: 'user.session.start',
  actor: { id: '00u1', type: 'User', alternateId: 'alice@example.com', displayName: 'Alice' },
  client: { ipAddress: '198.51.100.7', userAgent: { rawUserAgent: 'curl/8.5' } },
  outcome: { result: 'SUCCESS' },
  authenticationContext: { credentialType: 'PASSWORD', externalSessionId: 'idx1' },
  debugContext: { debugData: { factor: 'OKTA_VERIFY_PUSH' } },
  target: [{ id: '00u2', type: 'User', alternateId: 'bob@example.com', displayName: 'Bob' }],
});
const ocsfRecord = JSON.stringify({
  class_uid: 3002,
  activity_id: 1,
  time: Date.parse('2024-07-30T21:53:13Z'),
  status_id: 1,
  metadata: { uid: 'oc-1', product: { name: 'Entra ID' } },
  user: { name: 'alice', email_addr: 'alice@example.com', type_id: 1 },
  src_endpoint: { ip: '198.51.100.7', hostname: 'laptop' },
  is_mfa: true,
  auth_protocol_id: 5,
});
const journaldRecord = JSON.stringify({
  MESSAGE: 'Failed password for bob from 198.51.100.7 port 22 ssh2',
  _HOSTNAME: 'web-1',
  SYSLOG_IDENTIFIER: 'sshd',
  _PID: '7',
  __REALTIME_TIMESTAMP: '1722376393000000',
});
const syslogLines = [
  'Jul 30 21:53:13 web-1 sshd[42]: Accepted publickey for alice from 198.51.100.7 port 22 ssh2: ED25519 SHA256:abc',
  '<38>1 2024-07-30T21:53:13.5+02:00 web-1 sudo - - - alice : TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/bin/ls -la',
  'Jul 30 21:53:13 web-1 su[9]: pam_unix(su:session): session opened for user root(uid=0) by alice(uid=1000)',
  'Jul 30 21:53:13 web-1 sshd-session[43]: Connection closed by invalid user  198.51.100.7 port 22 [preauth]',
];

describe('normalizeMessage never throws', () => {
  const validRecords = [cloudTrailRecord('p-1'), JSON.stringify({ Records: [JSON.parse(cloudTrailRecord('p-2'))] }), oktaRecord, ocsfRecord, journaldRecord];

  it('the valid records of every format used below are valid', () => {
    for (const text of [...validRecords, ...syslogLines]) {
      const result = normalize({ body: text });
      expect(result.rejected, text).toEqual([]);
      expect(result.events.length, text).toBeGreaterThan(0);
    }
  });

  it('for random text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (body) => {
        expectWellFormed(normalize({ body }));
      }),
      { numRuns: 400 },
    );
  });

  it('for random bytes, with random declared formats and headers', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.option(fc.constantFrom('canonical', 'cloudevents', 'aws-cloudtrail', 'ocsf', 'okta', 'linux-auth', 'syslog', 'nonsense', '')),
        fc.dictionary(fc.constantFrom('ce_specversion', 'ce_id', 'ce_source', 'ce_type', 'ledger-format', 'content-type'), fc.string()),
        (body, declaredFormat, headers) => {
          expectWellFormed(normalize({ body, declaredFormat: declaredFormat ?? undefined, headers }));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('for random JSON, bare or shaped like the formats we detect', () => {
    const shaped = fc.oneof(
      fc.jsonValue(),
      fc.record({ Records: fc.array(fc.jsonValue(), { maxLength: 4 }) }),
      fc.record({ specversion: fc.constantFrom('1.0', '0.3'), id: fc.string(), source: fc.string(), type: fc.string(), data: fc.jsonValue() }),
      fc.record({ 'detail-type': fc.constant('AWS API Call via CloudTrail'), detail: fc.dictionary(fc.string(), fc.jsonValue()) }),
      fc.record(
        {
          eventID: fc.oneof(fc.string(), fc.jsonValue()),
          eventTime: fc.oneof(fc.constant('2024-07-30T21:53:13Z'), fc.string(), fc.jsonValue()),
          eventName: fc.oneof(fc.string(), fc.jsonValue()),
          eventSource: fc.constantFrom('iam.amazonaws.com', 'signin.amazonaws.com', 'sts.amazonaws.com', 'x'),
          userIdentity: fc.oneof(fc.jsonValue(), fc.record({ type: fc.string(), arn: fc.string(), sessionContext: fc.jsonValue() }, { requiredKeys: [] })),
          requestParameters: fc.jsonValue(),
          responseElements: fc.jsonValue(),
          additionalEventData: fc.jsonValue(),
          sourceIPAddress: fc.oneof(fc.string(), fc.ipV4(), fc.ipV6(), fc.jsonValue()),
        },
        { requiredKeys: ['eventSource'] },
      ),
      fc.record(
        {
          id: fc.jsonValue(),
          category: fc.constantFrom('identity', 'activity', 'x'),
          type: fc.string(),
          time: fc.oneof(fc.constant('2024-07-30T21:53:13Z'), fc.jsonValue()),
          actor: fc.jsonValue(),
          action: fc.string(),
          outcome: fc.constantFrom('success', 'failure', 'nope'),
          source: fc.jsonValue(),
        },
        { requiredKeys: ['actor', 'action', 'category'] },
      ),
    );
    const loose = fc.oneof(fc.jsonValue(), fc.constant(null), fc.string());
    const ocsfShaped = fc.record(
      {
        class_uid: fc.oneof(fc.constantFrom(3001, 3002, 3003, 3004, 3005, 3006, 3007, 3008, 6003, 4001, '3002'), fc.jsonValue()),
        activity_id: fc.oneof(fc.integer({ min: -1, max: 120 }), fc.jsonValue()),
        activity_name: loose,
        type_uid: fc.oneof(fc.integer(), fc.jsonValue()),
        time: fc.oneof(fc.constant(Date.parse('2024-07-30T21:53:13Z')), fc.double(), fc.string(), fc.jsonValue()),
        time_dt: loose,
        status_id: fc.oneof(fc.integer({ min: 0, max: 99 }), fc.jsonValue()),
        metadata: fc.oneof(fc.jsonValue(), fc.record({ uid: loose, product: fc.oneof(fc.jsonValue(), fc.record({ name: loose, vendor_name: loose }, { requiredKeys: [] })) }, { requiredKeys: [] })),
        user: fc.oneof(fc.jsonValue(), fc.record({ name: loose, uid: loose, email_addr: loose, type: loose, type_id: fc.jsonValue() }, { requiredKeys: [] })),
        actor: fc.oneof(fc.jsonValue(), fc.record({ user: fc.jsonValue(), session: fc.jsonValue(), app_name: loose, process: fc.jsonValue() }, { requiredKeys: [] })),
        api: fc.oneof(fc.jsonValue(), fc.record({ operation: loose, service: fc.record({ name: fc.oneof(fc.constant('iam.amazonaws.com'), fc.string()) }) }, { requiredKeys: [] })),
        src_endpoint: fc.oneof(fc.jsonValue(), fc.record({ ip: fc.oneof(fc.ipV4(), fc.ipV6(), fc.string()), hostname: loose }, { requiredKeys: [] })),
        auth_factors: fc.oneof(fc.jsonValue(), fc.array(fc.record({ factor_type_id: fc.jsonValue(), factor_type: loose }, { requiredKeys: [] }), { maxLength: 3 })),
        is_mfa: fc.jsonValue(),
        resources: fc.jsonValue(),
        group: fc.jsonValue(),
        entity: fc.jsonValue(),
      },
      { requiredKeys: ['class_uid'] },
    );
    const oktaShaped = fc.record(
      {
        eventType: fc.oneof(fc.constantFrom('user.session.start', 'user.mfa.factor.deactivate', 'group.privilege.grant', 'user.authentication.auth_via_mfa', 'x.y'), fc.string(), fc.jsonValue()),
        uuid: loose,
        published: fc.oneof(fc.constant('2024-07-30 21:53:13.123'), fc.string(), fc.jsonValue()),
        actor: fc.oneof(fc.jsonValue(), fc.record({ id: loose, type: fc.oneof(fc.constantFrom('User', 'SystemPrincipal'), fc.string()), alternateId: loose }, { requiredKeys: [] })),
        client: fc.oneof(fc.jsonValue(), fc.record({ ipAddress: fc.oneof(fc.ipV4(), fc.ipV6(), fc.string()), userAgent: fc.jsonValue() }, { requiredKeys: [] })),
        outcome: fc.oneof(fc.jsonValue(), fc.record({ result: loose, reason: loose }, { requiredKeys: [] })),
        authenticationContext: fc.jsonValue(),
        debugContext: fc.oneof(fc.jsonValue(), fc.record({ debugData: fc.dictionary(fc.constantFrom('factor', 'x'), loose) })),
        target: fc.oneof(fc.jsonValue(), fc.array(fc.record({ id: loose, type: loose, alternateId: loose, displayName: loose }, { requiredKeys: [] }), { maxLength: 3 })),
      },
      { requiredKeys: ['eventType'] },
    );
    const wrappedLine = fc.record(
      {
        MESSAGE: fc.oneof(fc.string(), fc.constantFrom(...syslogLines), fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 40 }), fc.jsonValue()),
        message: fc.oneof(fc.string(), fc.constantFrom(...syslogLines)),
        _HOSTNAME: loose,
        SYSLOG_IDENTIFIER: fc.oneof(fc.constantFrom('sshd', 'sudo', 'su', 'cron'), loose),
        _PID: loose,
        __REALTIME_TIMESTAMP: fc.oneof(fc.constant('1722376393000000'), loose),
        timestamp: fc.oneof(fc.double(), fc.string(), fc.jsonValue()),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(shaped, ocsfShaped, oktaShaped, wrappedLine), fc.integer({ min: 0, max: 2 }), (value, indent) => {
        expectWellFormed(normalize({ body: JSON.stringify(value, null, indent) ?? 'null' }));
      }),
      { numRuns: 1000 },
    );
  });

  it('for deeply nested or large input', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(normalize({ body: deep }).rejected).toMatchObject([{ index: 0, reason: 'unknown_format' }]);
    const deepRecords = `{"Records":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    expect(normalize({ body: deepRecords }).rejected).toMatchObject([{ index: 0, reason: 'invalid_record', message: 'Records[0]: a CloudTrail record must be a JSON object, got an array' }]);
    const batch = Array.from({ length: 5000 }, (_, i) => cloudTrailRecord(`big-${i}`)).join('\n');
    const result = normalize({ body: batch });
    expect(result.rejected).toEqual([]);
    expect(result.events).toHaveLength(5000);
  });

  it('for random syslog lines from auth programs, with hostile user names', () => {
    const user = fc.oneof(
      fc.constantFrom('', ' ', 'root', 'alice', 'john doe', 'root from 6.6.6.6 port 22 ssh2', 'x : TTY=y ; USER=root', 'jose\u0301'),
      fc.string({ maxLength: 40 }),
      fc.string({ unit: 'grapheme', maxLength: 20 }),
    );
    const peer = fc.oneof(fc.ipV4(), fc.ipV6(), fc.constantFrom('::ffff:1.2.3.4', 'host.example.com', '', '[::1]'), fc.string({ maxLength: 20 }));
    const message = fc.oneof(
      fc.tuple(
        fc.constantFrom(
          'Accepted password for ',
          'Accepted publickey for ',
          'Failed password for invalid user ',
          'Failed none for ',
          'Partial publickey for ',
          'Invalid user ',
          'error: maximum authentication attempts exceeded for ',
          'error: PAM: Authentication failure for ',
          'User ',
        ),
        user,
        peer,
        fc.constantFrom(' port 22 ssh2', ' port 22 ssh2: RSA SHA256:abc', '', ' port x', ' port 22 ssh2 [preauth]'),
      ).map(([head, u, p, tail]) => `${head}${u} from ${p}${tail}`),
      fc.tuple(fc.constantFrom('Connection closed by authenticating user ', 'Disconnecting invalid user ', 'Disconnected from user '), user, peer, fc.constantFrom(' port 22 [preauth]', ' port 22: Too many', ''))
        .map(([head, u, p, tail]) => `${head}${u} ${p}${tail}`),
      fc.tuple(fc.integer({ min: -2, max: 2000 }), fc.string({ maxLength: 60 })).map(([n, inner]) => `message repeated ${n} times: [ Failed password for ${inner}]`),
      fc.tuple(user, fc.string({ maxLength: 60 })).map(([u, rest]) => `${u} : TTY=pts/0 ; PWD=/ ; USER=${rest} ; COMMAND=/bin/${rest}`),
      fc.tuple(fc.constantFrom('sshd', 'su', 'sudo', 'cron', 'passwd'), fc.constantFrom('auth', 'session', 'chauthtok'), user, peer).map(
        ([service, facility, u, p]) => `pam_unix(${service}:${facility}): authentication failure; logname=${u} uid=0 euid=0 tty=ssh ruser= rhost=${p}  user=${u}`,
      ),
      fc.tuple(fc.constantFrom('su', 'sudo', 'cron', 'sshd'), user).map(([service, u]) => `pam_unix(${service}:session): session opened for user ${u}(uid=0) by ${u}(uid=1000)`),
      fc.string({ maxLength: 120 }),
    );
    const header = fc.oneof(
      fc.tuple(fc.constantFrom('Jul 30 21:53:13', 'Feb 29 00:00:00', 'Dec 31 23:59:59', 'Jan  1 00:00:00'), fc.constantFrom('web-1', '2001:db8::1', 'WEB', '-'), fc.constantFrom('sshd[1]', 'sshd-session[2]', 'sudo', 'su[3]', 'login[4]', 'CRON[5]', 'kernel'))
        .map(([stamp, host, tag]) => `${stamp} ${host} ${tag}: `),
      fc.tuple(fc.constantFrom('2024-07-30T21:53:13Z', '2024-07-30T21:53:13.123-0700', '-', '2099-01-01T00:00:00Z'), fc.constantFrom('web-1', '-', '2001:db8::1'), fc.constantFrom('sshd', 'sudo', '-'), fc.constantFrom('-', '[x a="]"]', '[x a="\\"]'))
        .map(([stamp, host, app, data]) => `<38>1 ${stamp} ${host} ${app} 7 - ${data} `),
    );
    fc.assert(
      // one line each: line breaks inside a message would make more lines than generated
      fc.property(fc.array(fc.tuple(header, message).map(([h, m]) => h + m.replace(/[\r\n]/g, ' ')), { minLength: 1, maxLength: 5 }), (lines) => {
        const result = normalize({ body: lines.join('\n') });
        expectWellFormed(result);
        // every line is at least one outcome (more only for "message repeated N times")
        expect(result.events.length + result.rejected.length).toBeGreaterThanOrEqual(lines.length);
        for (const event of result.events) {
          expect(event.origin.system).toBe('linux-auth');
          expect(event.actor.subject).toMatch(/^linux:[^:]/);
          expect(lines.map((l) => l.trim())).toContain(event.raw);
        }
      }),
      { numRuns: 800 },
    );
  });

  it('for truncated syslog lines: one outcome each, never an exception', () => {
    fc.assert(
      fc.property(fc.constantFrom(...syslogLines), fc.nat(), (line, cut) => {
        const truncated = line.slice(0, cut % line.length);
        const result = normalize({ body: truncated });
        expectWellFormed(result);
        expect(result.events.length + result.rejected.length).toBe(1);
      }),
      { numRuns: 400 },
    );
  });

  it('for truncated valid records', () => {
    fc.assert(
      fc.property(fc.constantFrom(...validRecords), fc.nat(), (text, cut) => {
        const truncated = text.slice(0, cut % text.length);
        const result = normalize({ body: truncated });
        expectWellFormed(result);
        expect(result.events).toEqual([]);
        expect(result.rejected.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });

  it('for NDJSON batches holding at least one record: every line is exactly one event or one rejection, in order', () => {
    const line = fc.oneof(
      fc.constantFrom(cloudTrailRecord('q-1'), cloudTrailRecord('q-2')),
      fc.constant(cloudTrailRecord('q-3')).chain((t) => fc.nat({ max: t.length - 2 }).map((n) => t.slice(0, n + 1))),
      fc.dictionary(fc.string().filter((k) => k !== 'Records'), fc.jsonValue()).map((v) => JSON.stringify(v)),
    );
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 8 }), fc.nat(), (others, at) => {
        // with no line recognisable as JSON the text is one broken document, rejected once
        const lines = [...others];
        lines.splice(at % (lines.length + 1), 0, cloudTrailRecord('q-1'));
        const result = normalize({ body: lines.join('\n') });
        expectWellFormed(result);
        expect(result.events.length + result.rejected.length).toBe(lines.length);
        expect(result.rejected.every((r) => r.index !== null && r.raw === lines[r.index])).toBe(true);
        const valid = lines.filter((l) => l === cloudTrailRecord('q-1') || l === cloudTrailRecord('q-2'));
        expect(result.events.map((e) => e.raw)).toEqual(valid);
      }),
      { numRuns: 300 },
    );
  });
});
