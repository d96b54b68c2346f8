import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NormalizedEvent } from '#domain';
import { describe, expect, it } from 'vitest';
import { ledgerEventSchemaViolation } from '../canonical/ledger-event-schema.js';
import { normalizeMessage } from '../index.js';

// libs/sources/src/cloudtrail → repository root, then the shared data next to it
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const dataDir = path.resolve(repoRoot, '../shared/data');
const stratusDir = path.join(dataDir, 'cloudtrail/stratus');
const labelledDir = path.join(dataDir, 'labelled');

// the recorded detonations are from 2024; any later "now" keeps them plausible
const now = Date.parse('2026-01-01T00:00:00Z');

/** Counted once from the files (310 non-blank lines in 35 files); a change in the data must be noticed. */
const STRATUS_RECORDS = 310;

function expectAttributed(event: NormalizedEvent, userIdentity: Record<string, unknown> | undefined): void {
  expect(event.actor.subject.trim()).not.toBe('');
  expect(event.actor.principal.trim()).not.toBe('');
  expect(ledgerEventSchemaViolation(event)).toBeNull();
  const type = userIdentity?.type;
  const arn = typeof userIdentity?.arn === 'string' ? userIdentity.arn : '';
  if (type === 'Root' || arn.endsWith(':root')) {
    expect(event.actor).toMatchObject({ kind: 'root', subject: expect.stringMatching(/^arn:aws:iam::[^:]*:root$/) });
  } else if (type === 'IAMUser') {
    expect(event.actor).toMatchObject({ kind: 'human', subject: arn, attribution: 'direct' });
  } else if (type === 'AssumedRole') {
    // never the role itself: a person (claimed or sourced) or the unresolved session
    expect(event.actor.subject).not.toBe(event.actor.via);
    expect(event.actor.attribution).not.toBe('direct');
    if (event.actor.attribution === 'unresolved') expect(event.actor.subject).toBe(arn);
  } else if (type === 'FederatedUser') {
    expect(event.actor).toMatchObject({ kind: 'human', attribution: 'credential_chain', via: arn });
  }
}

describe('real CloudTrail data (Stratus Red Team detonations)', () => {
  const files = readdirSync(stratusDir).filter((f) => f.endsWith('.ndjson'));

  it('normalizes every line of every file without rejection, each attributed', () => {
    let total = 0;
    for (const file of files) {
      const lines = readFileSync(path.join(stratusDir, file), 'utf8').split('\n').filter((l) => l.trim() !== '');
      for (const line of lines) {
        const result = normalizeMessage({ body: Buffer.from(line) }, { now });
        expect(result.rejected, `${file}: ${line.slice(0, 120)}`).toEqual([]);
        expect(result.events).toHaveLength(1);
        const [event] = result.events;
        expect(event.raw).toBe(line);
        const record = JSON.parse(line) as Record<string, unknown>;
        expect(event.id).toBe(record.eventID);
        expectAttributed(event, record.userIdentity as Record<string, unknown> | undefined);
        total++;
      }
    }
    expect(total).toBe(STRATUS_RECORDS);
  });

  it('normalizes each whole file as one NDJSON message, and as one delivery file', () => {
    let total = 0;
    for (const file of files) {
      const text = readFileSync(path.join(stratusDir, file), 'utf8');
      const lines = text.split('\n').filter((l) => l.trim() !== '');
      const asBatch = normalizeMessage({ body: text }, { now });
      expect(asBatch.rejected).toEqual([]);
      expect(asBatch.events.map((e) => e.raw)).toEqual(lines);
      const delivery = `{"Records":[${lines.join(',\n')}]}`;
      const asDelivery = normalizeMessage({ body: delivery }, { now });
      expect(asDelivery.rejected).toEqual([]);
      expect(asDelivery.events).toEqual(asBatch.events);
      total += asBatch.events.length;
    }
    expect(total).toBe(STRATUS_RECORDS);
  });

  it('sees what the techniques did: trail stopped, access key created, console login without MFA', () => {
    const first = (file: string, action: string) =>
      normalizeMessage({ body: readFileSync(path.join(stratusDir, file)) }, { now }).events.find((e) => e.action === action);
    expect(first('aws.defense-evasion.cloudtrail-stop.ndjson', 'cloudtrail:StopLogging')).toMatchObject({ target: { type: 'AWS::CloudTrail::Trail' } });
    expect(first('aws.persistence.iam-backdoor-user.ndjson', 'iam:CreateAccessKey')).toMatchObject({
      type: 'identity.access_key.created',
      target: { type: 'AWS::IAM::User', name: 'stratus-red-team-backdoor-u-user' },
    });
    expect(first('aws.initial-access.console-login-without-mfa.ndjson', 'signin:ConsoleLogin')).toMatchObject({
      category: 'authentication',
      actor: { kind: 'human' },
      authentication: { mfa: false },
    });
    expect(first('aws.persistence.sts-federation-token.ndjson', 'sts:GetCallerIdentity')).toMatchObject({
      actor: { subject: 'arn:aws:iam::742491224508:user/stratus-red-team-user-federation-user', attribution: 'credential_chain' },
    });
  });
});

describe('real CloudTrail data (labelled rule test cases)', () => {
  interface Label {
    file: string;
    format: string;
    must_include?: string;
    must_not_include?: string;
  }
  const labels = readFileSync(path.join(labelledDir, 'expected.ndjson'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Label)
    .filter((l) => l.format === 'cloudtrail');
  const files = readdirSync(path.join(labelledDir, 'cloudtrail'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.json'))
    .map((f) => `cloudtrail/${f.split(path.sep).join('/')}`)
    .sort();
  // This rule test case has neither eventID nor eventTime. Its id comes from its content; its
  // time only from a transport that gives one (the Kafka record timestamp), never "now" (trap 6).
  const INCOMPLETE = 'cloudtrail/aws_console_login_without_mfa/07.json';
  // When a shipper handed the files to Kafka (what the Kafka record timestamp says)
  const shippedAt = Date.parse('2025-06-01T12:00:00.250Z');
  const viaKafka = (text: string) => normalizeMessage({ body: text, transportTime: { source: 'kafka_timestamp', epochMs: String(shippedAt) } }, { now });

  it('covers every labelled CloudTrail file', () => {
    expect(files).toHaveLength(15);
    expect(new Set(labels.map((l) => l.file))).toEqual(new Set(files));
  });

  it('normalizes every complete file without rejection, each attributed, over any channel', () => {
    for (const file of files.filter((f) => f !== INCOMPLETE)) {
      const text = readFileSync(path.join(labelledDir, file), 'utf8');
      const result = normalizeMessage({ body: text }, { now });
      expect(result.rejected, file).toEqual([]);
      expect(result.events, file).toHaveLength(1);
      expect(result.events[0].raw).toBe(text.trim());
      expectAttributed(result.events[0], JSON.parse(text).userIdentity);
      // its own time: a transport time changes nothing
      expect(viaKafka(text).events, file).toEqual(result.events);
    }
  });

  it('normalizes the incomplete file over Kafka: id from its content, time from the Kafka timestamp, marked as such', () => {
    const text = readFileSync(path.join(labelledDir, INCOMPLETE), 'utf8');
    const result = viaKafka(text);
    expect(result.rejected).toEqual([]);
    expect(result.events).toHaveLength(1);
    const [event] = result.events;
    expect(event).toMatchObject({ id: expect.stringMatching(/^sha256:[0-9a-f]{32}$/), time: new Date(shippedAt).toISOString(), time_source: 'kafka_timestamp', raw: text.trim() });
    expectAttributed(event, JSON.parse(text).userIdentity);
    expect(event.actor).toMatchObject({ subject: 'tester@example.com', kind: 'human', attribution: 'session_name_claim' });
  });

  it('rejects the incomplete file without a transport time (HTTP, files) instead of defaulting its time to now', () => {
    const result = normalizeMessage({ body: readFileSync(path.join(labelledDir, INCOMPLETE)) }, { now });
    expect(result).toMatchObject({ events: [], rejected: [{ index: 0, reason: 'missing_event_time' }] });
  });

  it('gives the facts the anomaly verdicts rest on', () => {
    const eventOf = (file: string) => viaKafka(readFileSync(path.join(labelledDir, file), 'utf8')).events[0];
    for (const label of labels) {
      const event = eventOf(label.file);
      if (label.must_include === 'console_login_without_mfa') expect(event.authentication?.mfa, label.file).toBe(false);
      if (label.must_not_include === 'console_login_without_mfa') expect(event.authentication?.mfa, label.file).not.toBe(false);
      if (label.must_include === 'root_access_key_created') {
        expect(event).toMatchObject({ actor: { kind: 'root' }, type: 'identity.access_key.created', outcome: 'success' });
      }
      if (label.file.includes('aws_cloudtrail_stopped')) {
        expect(event.action).toBe('cloudtrail:StopLogging');
        expect(event.outcome).toBe(label.must_include ? 'success' : 'failure');
      }
    }
    expect(eventOf('cloudtrail/aws_console_root_login/01.json').actor).toMatchObject({ kind: 'root', subject: 'arn:aws:iam::123456789012:root' });
  });
});
