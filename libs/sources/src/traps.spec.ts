import type { NormalizedEvent } from '#domain';
import { contentHash } from '#integrity';
import { describe, expect, it } from 'vitest';
import { ledgerEventSchemaViolation } from './canonical/ledger-event-schema.js';
import { normalizeMessage, type NormalizeOptions, type NormalizeResult } from './index.js';

/**
 * DESIGN section 5, "Known traps": one named test per trap, across every source format that
 * the trap applies to. The format specs test each format in depth; these are the regression
 * guard for the twelve behaviours the product promises.
 */

const now = Date.parse('2026-11-03T00:00:00Z');

function normalize(body: string, options: NormalizeOptions = {}): NormalizeResult {
  const result = normalizeMessage({ body }, { now, ...options });
  for (const event of result.events) expect(ledgerEventSchemaViolation(event)).toBeNull();
  return result;
}

/** As the Kafka consumer hands a record over: with the record's timestamp (kafkajs gives it as text). */
function viaKafka(body: string, kafkaTimestamp: number | string): NormalizeResult {
  const result = normalizeMessage({ body, transportTime: { source: 'kafka_timestamp', epochMs: String(kafkaTimestamp) } }, { now });
  for (const event of result.events) expect(ledgerEventSchemaViolation(event)).toBeNull();
  return result;
}

function one(body: string, options: NormalizeOptions = {}): NormalizedEvent {
  const result = normalize(body, options);
  expect(result.rejected).toEqual([]);
  expect(result.events).toHaveLength(1);
  return result.events[0]!;
}

const cloudTrail = (changes: Record<string, unknown> = {}) =>
  JSON.stringify({
    eventVersion: '1.08',
    eventID: 'ct-1',
    eventTime: '2026-11-02T08:00:00Z',
    eventSource: 'iam.amazonaws.com',
    eventName: 'CreateUser',
    userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/alice', accountId: '111122223333', accessKeyId: 'AKIAEXAMPLE' },
    requestParameters: { userName: 'bob' },
    sourceIPAddress: '198.51.100.7',
    recipientAccountId: '111122223333',
    ...changes,
  });

const okta = (changes: Record<string, unknown> = {}) =>
  JSON.stringify({
    uuid: 'okta-1',
    published: '2026-11-02T08:00:00.000Z',
    eventType: 'user.session.start',
    actor: { id: '00u1', type: 'User', alternateId: 'alice@example.com', displayName: 'Alice' },
    client: { ipAddress: '198.51.100.7', userAgent: { rawUserAgent: 'curl/8' } },
    outcome: { result: 'SUCCESS' },
    authenticationContext: { credentialType: 'PASSWORD' },
    target: [],
    ...changes,
  });

const ocsf = (changes: Record<string, unknown> = {}) =>
  JSON.stringify({
    class_uid: 3002,
    activity_id: 1,
    time: Date.parse('2026-11-02T08:00:00Z'),
    status_id: 1,
    metadata: { uid: 'ocsf-1', product: { name: 'Entra ID' } },
    user: { name: 'alice', email_addr: 'alice@example.com' },
    src_endpoint: { ip: '198.51.100.7' },
    ...changes,
  });

const sshdLine = (message: string, stamp = 'Nov  2 08:00:00') => `${stamp} web-1 sshd[42]: ${message}`;

describe('DESIGN 5 traps', () => {
  it('trap 1: a role session is attributed to the person behind it, never to the role', () => {
    const sourced = one(
      cloudTrail({
        userIdentity: {
          type: 'AssumedRole',
          arn: 'arn:aws:sts::111122223333:assumed-role/Admin/i-0abc',
          accountId: '111122223333',
          sessionContext: { sessionIssuer: { type: 'Role', arn: 'arn:aws:iam::111122223333:role/Admin' }, sourceIdentity: 'alice@example.com' },
        },
      }),
    );
    expect(sourced.actor).toMatchObject({ subject: 'alice@example.com', attribution: 'source_identity', via: 'arn:aws:iam::111122223333:role/Admin' });
    const claimed = one(cloudTrail({ userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::111122223333:assumed-role/Admin/bob@example.com', accountId: '111122223333' } }));
    expect(claimed.actor).toMatchObject({ subject: 'bob@example.com', attribution: 'session_name_claim' });
    // OCSF role sessions stay unresolved (for the credential chain to resolve), never the role
    const lake = one(
      ocsf({
        class_uid: 6003,
        activity_id: 3,
        api: { operation: 'PutObject', service: { name: 's3.amazonaws.com' } },
        user: undefined,
        actor: { user: { type: 'AssumedRole', uid_alt: 'arn:aws:sts::111122223333:assumed-role/Admin/x' }, session: { issuer: 'arn:aws:iam::111122223333:role/Admin' } },
      }),
    );
    expect(lake.actor).toMatchObject({ attribution: 'unresolved', via: 'arn:aws:iam::111122223333:role/Admin' });
    for (const event of [sourced, claimed, lake]) expect(event.actor.subject).not.toBe(event.actor.via);
  });

  it('trap 2: a service name or a malformed address is never an IP; IPv6 is canonical in every format', () => {
    expect(one(cloudTrail({ sourceIPAddress: 'AWS Internal' })).source).toMatchObject({ ip: null, service: 'AWS Internal' });
    expect(one(cloudTrail({ sourceIPAddress: 'ec2.amazonaws.com' })).source).toMatchObject({ ip: null, service: 'ec2.amazonaws.com' });
    expect(one(ocsf({ src_endpoint: { ip: 'AWS Internal' } })).source).toMatchObject({ ip: null, service: 'AWS Internal' });
    expect(one(okta({ client: { ipAddress: '10.0.010.1' } })).source).toMatchObject({ ip: null, host: '10.0.010.1' });
    expect(one(cloudTrail({ sourceIPAddress: '2001:DB8:0::1' })).source.ip).toBe('2001:db8::1');
    expect(one(okta({ client: { ipAddress: '::ffff:198.51.100.7' } })).source.ip).toBe('198.51.100.7');
    expect(one(ocsf({ src_endpoint: { ip: '2001:0db8::0001' } })).source.ip).toBe('2001:db8::1');
    expect(one(sshdLine('Accepted password for alice from 2001:DB8::1 port 22 ssh2')).source.ip).toBe('2001:db8::1');
  });

  it('trap 3: "no MFA" on a federated or failed sign-in is not a login without MFA', () => {
    const consoleMfa = (changes: Record<string, unknown>) =>
      one(cloudTrail({ eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', eventType: 'AwsConsoleSignIn', requestParameters: null, ...changes })).authentication?.mfa;
    const sso = { type: 'AssumedRole', arn: 'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Admin_0123/alice', accountId: '111122223333' };
    expect(consoleMfa({ userIdentity: sso, additionalEventData: { MFAUsed: 'No' }, responseElements: { ConsoleLogin: 'Success' } })).toBe('delegated');
    expect(consoleMfa({ additionalEventData: { MFAUsed: 'no' }, responseElements: { ConsoleLogin: 'Failure' }, errorMessage: 'Failed authentication' })).toBe('unknown');
    expect(consoleMfa({ additionalEventData: { MFAUsed: 'NO' }, responseElements: { ConsoleLogin: 'Success' } })).toBe(false);
    expect(consoleMfa({ responseElements: { ConsoleLogin: 'Success' } })).toBe('unknown');
    expect(one(okta({ authenticationContext: { authenticationProvider: 'FEDERATION', credentialType: 'ASSERTION' } })).authentication?.mfa).toBe('delegated');
    expect(one(okta({ outcome: { result: 'FAILURE' } })).authentication?.mfa).toBe('unknown');
    expect(one(ocsf({ is_mfa: false, auth_protocol_id: 5 })).authentication?.mfa).toBe('delegated');
    expect(one(ocsf({ is_mfa: false, status_id: 2 })).authentication?.mfa).toBe('unknown');
    expect(one(sshdLine('Failed password for alice from 192.0.2.1 port 22 ssh2')).authentication?.mfa).toBe('unknown');
  });

  it('trap 4: root is a type or an ARN, never a user who is merely named root (on Linux, uid 0 is root)', () => {
    expect(one(cloudTrail({ userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/root', accountId: '111122223333' } })).actor.kind).toBe('human');
    expect(one(cloudTrail({ userIdentity: { type: 'Root', arn: 'arn:aws:iam::111122223333:root', accountId: '111122223333' } })).actor.kind).toBe('root');
    expect(one(ocsf({ user: { name: 'root', type: 'User' } })).actor.kind).toBe('human');
    expect(one(ocsf({ user: { type: 'Root', uid: 'arn:aws:iam::111122223333:root' } })).actor.kind).toBe('root');
    // on a Linux host "root" is the superuser itself; a name that only starts with root is not
    expect(one(sshdLine('Accepted publickey for root from 192.0.2.1 port 22 ssh2')).actor.kind).toBe('root');
    expect(one(sshdLine('Failed password for invalid user root from 6.6.6.6 port 22 ssh2 from 192.0.2.1 port 4 ssh2')).actor.kind).toBe('unknown');
    // AssumeRoot task sessions and service-invoked root calls are still root use, marked in via
    const assumedRoot = one(cloudTrail({ userIdentity: { type: 'Root', arn: 'arn:aws:iam::111122223333:root', accountId: '111122223333', sessionContext: { assumedRoot: 'true' } } }));
    expect(assumedRoot.actor).toMatchObject({ kind: 'root', via: 'sts:AssumeRoot' });
  });

  it('trap 5: temporary keys minted for a console session are the console, not a stolen key', () => {
    const event = one(
      cloudTrail({
        userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/alice', accountId: '111122223333', accessKeyId: 'ASIAEXAMPLE', sessionContext: { attributes: { mfaAuthenticated: 'true' } } },
        sessionCredentialFromConsole: 'true',
      }),
    );
    expect(event.authentication).toEqual({ factors: [{ type: 'possession', method: 'console_session' }], mfa: true });
  });

  it('trap 6: every time form is read, in UTC, and a missing or unreadable time is rejected, never "now"', () => {
    expect(one(cloudTrail({ eventTime: '2020-06-15T23:47:54Z' })).time).toBe('2020-06-15T23:47:54.000Z');
    expect(one(okta({ published: '2023-05-26 20:14:51' })).time).toBe('2023-05-26T20:14:51.000Z');
    expect(one(cloudTrail({ eventTime: '20131102T010628Z' })).time).toBe('2013-11-02T01:06:28.000Z');
    expect(one(ocsf({ time: undefined, time_dt: '2020-06-15T16:47:54-0700' })).time).toBe('2020-06-15T23:47:54.000Z');
    expect(one('<38>1 2020-06-15T16:47:54-0700 web-1 sshd 1 - - Accepted password for a from 192.0.2.1 port 22 ssh2').time).toBe('2020-06-15T23:47:54.000Z');
    // syslog without a year: the year that puts the line just before now
    expect(one(sshdLine('Accepted password for a from 192.0.2.1 port 22 ssh2', 'Dec 31 23:59:58'), { now: Date.parse('2027-01-01T00:00:30Z') }).time).toBe(
      '2026-12-31T23:59:58.000Z',
    );
    const rejected = [
      normalize(cloudTrail({ eventTime: undefined })),
      normalize(okta({ published: null })),
      normalize(ocsf({ time: undefined })),
      normalize('<38>1 - web-1 sshd 1 - - Accepted password for a from 192.0.2.1 port 22 ssh2'),
      normalize(cloudTrail({ eventTime: 'Tuesday' })),
      normalize(okta({ published: '2026-13-01T00:00:00Z' })),
      normalize(ocsf({ time: 0 })),
    ];
    expect(rejected.map((r) => [r.events.length, r.rejected[0]?.reason])).toEqual([
      [0, 'missing_event_time'],
      [0, 'missing_event_time'],
      [0, 'missing_event_time'],
      [0, 'missing_event_time'],
      [0, 'invalid_event_time'],
      [0, 'invalid_event_time'],
      [0, 'invalid_event_time'],
    ]);
  });

  it('trap 6 over Kafka: a record with no time at all takes the Kafka timestamp and says so; a time that is there is the only one used', () => {
    const shipped = Date.parse('2026-11-02T09:30:00.123Z');
    const absent = [cloudTrail({ eventTime: undefined }), cloudTrail({ eventTime: null }), okta({ published: undefined }), okta({ published: null }), ocsf({ time: undefined })];
    for (const record of absent) {
      const result = viaKafka(record, shipped);
      expect(result.rejected, record).toEqual([]);
      expect(result.events[0], record).toMatchObject({ time: '2026-11-02T09:30:00.123Z', time_source: 'kafka_timestamp' });
    }
    // the record's own time wins, and then the event carries no time_source
    for (const record of [cloudTrail(), okta(), ocsf()]) {
      const [event] = viaKafka(record, shipped).events;
      expect(event!.time).toBe('2026-11-02T08:00:00.000Z');
      expect(event).not.toHaveProperty('time_source');
    }
    // without a transport time (HTTP, files) an absent time is still rejected
    for (const record of absent) expect(normalize(record).rejected.map((r) => r.reason)).toEqual(['missing_event_time']);

    const stillRejected = [
      // present but unreadable or implausible: never replaced by the transport's time
      [viaKafka(cloudTrail({ eventTime: 'Tuesday' }), shipped), 'invalid_event_time'],
      [viaKafka(okta({ published: '2026-13-01T00:00:00Z' }), shipped), 'invalid_event_time'],
      [viaKafka(ocsf({ time: 0 }), shipped), 'invalid_event_time'],
      [viaKafka(cloudTrail({ eventTime: '2031-01-01T00:00:00Z' }), shipped), 'invalid_event_time'],
      [viaKafka(cloudTrail({ eventTime: '' }), shipped), 'missing_event_time'],
      // canonical events must carry their time (the v1 schema requires it), and a Linux
      // line's id is built from its time: neither takes the transport's
      [viaKafka(JSON.stringify({ id: 'c-1', category: 'activity', type: 'activity.api_call', actor: { subject: 's', kind: 'human', attribution: 'direct' }, action: 'x', outcome: 'success' }), shipped), 'missing_event_time'],
      [viaKafka('<38>1 - web-1 sshd 1 - - Accepted password for a from 192.0.2.1 port 22 ssh2', shipped), 'missing_event_time'],
      // a Kafka timestamp that is itself no time (none, -1, 1970, next week) stands in for nothing
      [viaKafka(cloudTrail({ eventTime: undefined }), ''), 'missing_event_time'],
      [viaKafka(cloudTrail({ eventTime: undefined }), -1), 'missing_event_time'],
      [viaKafka(cloudTrail({ eventTime: undefined }), 0), 'missing_event_time'],
      [viaKafka(cloudTrail({ eventTime: undefined }), 'soon'), 'missing_event_time'],
      [viaKafka(cloudTrail({ eventTime: undefined }), now + 7 * 86_400_000), 'missing_event_time'],
    ] as const;
    expect(stillRejected.map(([result, reason]) => [result.events.length, result.rejected[0]?.reason, reason])).toEqual(
      stillRejected.map(([, reason]) => [0, reason, reason]),
    );
    expect(viaKafka(cloudTrail({ eventTime: undefined }), -1).rejected[0]!.message).toMatch(/Kafka record timestamp cannot stand in/);
  });

  it('trap 7: the same record twice has the same id and raw (stored once); different records sharing an id keep their own raw (both kept)', () => {
    const records = [cloudTrail(), okta(), ocsf(), sshdLine('Accepted password for a from 192.0.2.1 port 22 ssh2')];
    for (const record of records) {
      const [a, b] = [one(record), one(record)];
      expect([b.id, b.raw]).toEqual([a.id, a.raw]);
    }
    const first = one(cloudTrail({ eventName: 'CreateUser' }));
    const second = one(cloudTrail({ eventName: 'DeleteUser' }));
    expect(second.id).toBe(first.id);
    expect(second.raw).not.toBe(first.raw);
    expect(second.type).not.toBe(first.type);
    // both in one batch: two events, never merged
    expect(normalize(`${cloudTrail({ eventName: 'CreateUser' })}\n${cloudTrail({ eventName: 'DeleteUser' })}`).events).toHaveLength(2);

    // without a source id the id comes from the content: a re-delivery, sent later (another
    // Kafka timestamp) and spaced or ordered differently, is still the same record
    const bare = JSON.parse(cloudTrail({ eventID: undefined, eventTime: undefined })) as Record<string, unknown>;
    const reordered = JSON.stringify(Object.fromEntries(Object.entries(bare).reverse()), null, 2);
    const [sent, resent] = [viaKafka(JSON.stringify(bare), now - 3_600_000).events[0]!, viaKafka(reordered, now - 60_000).events[0]!];
    expect(sent.id).toMatch(/^sha256:[0-9a-f]{32}$/);
    expect(resent.id).toBe(sent.id);
    expect(resent.time).not.toBe(sent.time);
    // ... and its content hash, the other half of the store's idempotency key, is the same
    expect(contentHash(JSON.parse(resent.raw))).toEqual(contentHash(JSON.parse(sent.raw)));
    const other = viaKafka(JSON.stringify({ ...bare, eventName: 'DeleteUser' }), now).events[0]!;
    expect(other.id).toMatch(/^sha256:/);
    expect(other.id).not.toBe(sent.id);
    const oktaBare = okta({ uuid: undefined });
    expect(one(oktaBare).id).toBe(one(oktaBare).id);
    expect(one(oktaBare).id).toMatch(/^sha256:[0-9a-f]{32}$/);
  });

  it('trap 8: a late or out-of-order record keeps its own event time, whatever the order and time of receipt', () => {
    const late = (minutes: number, id: string) => cloudTrail({ eventID: id, eventTime: new Date(Date.parse('2026-11-02T08:00:00Z') - minutes * 60_000).toISOString() });
    const result = normalize([late(0, 'a'), late(45, 'b'), late(15, 'c')].join('\n'), { now: Date.parse('2026-11-02T08:46:00Z') });
    expect(result.events.map((e) => [e.id, e.time])).toEqual([
      ['a', '2026-11-02T08:00:00.000Z'],
      ['b', '2026-11-02T07:15:00.000Z'],
      ['c', '2026-11-02T07:45:00.000Z'],
    ]);
    expect(result.events.every((e) => !('received_at' in e))).toBe(true);
  });

  it('trap 9: null where an object is expected, and absent fields, still normalize', () => {
    const nulls = [
      cloudTrail({ requestParameters: null, responseElements: null, additionalEventData: null, userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/alice', sessionContext: null } }),
      okta({ client: null, target: null, authenticationContext: null, debugContext: null, outcome: null, request: null }),
      ocsf({ src_endpoint: null, actor: null, metadata: null, auth_factors: null, cloud: null, http_request: null }),
      JSON.stringify({ MESSAGE: 'Accepted password for a from 192.0.2.1 port 22 ssh2', SYSLOG_IDENTIFIER: 'sshd', _HOSTNAME: null, __REALTIME_TIMESTAMP: '1793606400000000' }),
    ];
    for (const record of nulls) {
      const event = one(record);
      expect(event.actor.subject.length).toBeGreaterThan(0);
    }
  });

  it('trap 10: 200 KB+ records normalize with their large fields intact in raw; the others in the batch are untouched', () => {
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: Array.from({ length: 2500 }, (_, i) => ({ Sid: `S${i}`, Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::bucket-${i}/*` })) });
    const big = [
      cloudTrail({ eventID: 'big-ct', eventName: 'PutUserPolicy', requestParameters: { userName: 'bob', policyName: 'p', policyDocument: policy } }),
      okta({ uuid: 'big-okta', debugContext: { debugData: { blob: policy } }, client: { ipAddress: '198.51.100.7', userAgent: { rawUserAgent: 'x'.repeat(20_000) } } }),
      ocsf({ metadata: { uid: 'big-ocsf', product: { name: 'p' } }, unmapped: { policy }, user: { name: 'n'.repeat(5000) } }),
    ];
    for (const record of big) expect(record.length).toBeGreaterThan(200 * 1024);
    const result = normalize([cloudTrail({ eventID: 'small-1' }), ...big, cloudTrail({ eventID: 'small-2' })].join('\n'));
    expect(result.rejected).toEqual([]);
    expect(result.events.map((e) => e.id)).toEqual(['small-1', 'big-ct', 'big-okta', 'big-ocsf', 'small-2']);
    expect(result.events.slice(1, 4).map((e) => e.raw)).toEqual(big);
    // fields beyond the schema's limits are cut (ids keep a hash so they stay unique), raw keeps everything
    const [, , oktaEvent, ocsfEvent] = result.events;
    expect(oktaEvent!.source.user_agent!.length).toBeLessThanOrEqual(8192);
    expect(ocsfEvent!.actor.subject.length).toBeLessThanOrEqual(1024);
    expect(ocsfEvent!.actor.subject).toMatch(/…~[0-9a-f]{16}$/);
    // text a database cannot hold (NUL, half a surrogate pair) is replaced in the event, never in raw
    const hostile = one(okta({ uuid: 'nul\u0000id', actor: { id: '1', type: 'User', alternateId: 'ev\u0000il\ud800@example.com' } }));
    expect(hostile.id).toBe('nul\ufffdid');
    expect(hostile.actor.subject).toBe('okta:ev\ufffdil\ufffd@example.com');
    expect(hostile.raw).toContain('\\u0000');
    // a message above the configured limit is refused as a whole, explicitly, with the limit named
    const refused = normalizeMessage({ body: big[0]! }, { now, maxMessageBytes: 100 * 1024 });
    expect(refused.rejected).toMatchObject([{ index: null, reason: 'message_too_large', message: expect.stringContaining(String(100 * 1024)) }]);
  });

  it('trap 11: one canonical form (NFC) for subject ids and names, in every format', () => {
    const decomposed = 'jose\u0301';
    const composed = 'jos\u00e9';
    expect(one(cloudTrail({ userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::111122223333:user/${decomposed}` } })).actor.subject).toBe(`arn:aws:iam::111122223333:user/${composed}`);
    expect(one(okta({ actor: { id: '1', type: 'User', alternateId: `${decomposed}@example.com` } })).actor.subject).toBe(`okta:${composed}@example.com`);
    expect(one(ocsf({ user: { name: decomposed } })).actor.subject).toBe(`ocsf:entra-id:${composed}`);
    expect(one(sshdLine(`Accepted password for ${decomposed} from 192.0.2.1 port 22 ssh2`)).actor.subject).toBe(`linux:web-1:${composed}`);
    const hostDecomposed = one(`Nov  2 08:00:00 Cafe\u0301 sudo: ${decomposed} : TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/bin/ls`);
    expect(hostDecomposed.actor.subject).toBe(`linux:caf\u00e9:${composed}`);
    expect(hostDecomposed.raw).toContain(decomposed);
  });

  it('trap 12: sshd variants: empty names, sshd-session, repeated messages, one attempt logged twice, injected text, IPv6', () => {
    const result = normalize(
      [
        sshdLine('Invalid user  from 192.0.2.1 port 22'),
        'Nov  2 08:00:00 web-1 sshd-session[43]: Accepted publickey for alice from 2001:db8::1 port 22 ssh2: ED25519 SHA256:k',
        sshdLine('message repeated 2 times: [ Failed password for bob from 192.0.2.2 port 22 ssh2]'),
        sshdLine('pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=192.0.2.3  user=carol'),
        sshdLine('Failed password for carol from 192.0.2.3 port 22 ssh2'),
        sshdLine('Failed password for invalid user root from 6.6.6.6 port 22 ssh2 from 192.0.2.4 port 22 ssh2'),
        '<38>1 2026-11-02T08:00:00Z 2001:db8::9 sshd 7 - - Failed password for dave from ::ffff:192.0.2.5 port 22 ssh2',
      ].join('\n'),
    );
    expect(result.rejected).toEqual([]);
    expect(result.events.map((e) => [e.type, e.actor.subject, e.actor.kind, e.source.ip])).toEqual([
      ['authentication.invalid_user', 'linux:web-1:(empty)', 'unknown', '192.0.2.1'],
      ['authentication.login', 'linux:web-1:alice', 'human', '2001:db8::1'],
      ['authentication.login', 'linux:web-1:bob', 'human', '192.0.2.2'],
      ['authentication.login', 'linux:web-1:bob', 'human', '192.0.2.2'],
      ['authentication.pam_auth_failure', 'linux:web-1:carol', 'human', '192.0.2.3'],
      ['authentication.login', 'linux:web-1:carol', 'human', '192.0.2.3'],
      ['authentication.login', 'linux:web-1:root from 6.6.6.6 port 22 ssh2', 'unknown', '192.0.2.4'],
      ['authentication.login', 'linux:[2001:db8::9]:dave', 'human', '192.0.2.5'],
    ]);
    // counting failed attempts per subject counts each attempt once
    const carolLogins = result.events.filter((e) => e.type === 'authentication.login' && e.actor.subject === 'linux:web-1:carol');
    expect(carolLogins).toHaveLength(1);
    expect(new Set(result.events.map((e) => e.id)).size).toBe(result.events.length);
  });
});
