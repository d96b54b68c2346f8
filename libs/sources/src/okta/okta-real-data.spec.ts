import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ledgerEventSchemaViolation } from '../canonical/ledger-event-schema.js';
import { normalizeMessage } from '../index.js';

// libs/sources/src/okta → repository root, then the shared data next to it
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const labelledDir = path.resolve(repoRoot, '../shared/data/labelled');
const now = Date.parse('2026-01-01T00:00:00Z');

interface Label {
  file: string;
  format: string;
  must_include?: string;
  must_not_include?: string;
}

/** Types that take MFA away from a user or from everyone: what `mfa_disabled` looks for. */
const MFA_REMOVED = ['identity.mfa.disabled', 'identity.mfa.reset', 'identity.mfa.suspended', 'identity.mfa.org_factor_disabled'];

describe('real Okta data (labelled rule test cases)', () => {
  const labels = readFileSync(path.join(labelledDir, 'expected.ndjson'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Label)
    .filter((l) => l.format === 'okta');
  const files = readdirSync(path.join(labelledDir, 'okta'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.json'))
    .map((f) => `okta/${f.split(path.sep).join('/')}`)
    .sort();
  // This rule test case has neither uuid nor published. Its id is derived from its content; its
  // time only from a transport that gives one (the Kafka record timestamp), never "now" (trap 6).
  const TIMELESS = 'okta/okta_user_mfa_reset/01.json';
  const read = (file: string) => readFileSync(path.join(labelledDir, file), 'utf8');
  const shippedAt = Date.parse('2025-06-01T12:00:00.250Z');
  const viaKafka = (text: string) => normalizeMessage({ body: text, transportTime: { source: 'kafka_timestamp', epochMs: String(shippedAt) } }, { now });

  it('covers every labelled Okta file', () => {
    expect(files).toHaveLength(6);
    expect(new Set(labels.map((l) => l.file))).toEqual(new Set(files));
  });

  it('normalizes every file that has a time without rejection: a non-empty okta subject, a person', () => {
    for (const file of files.filter((f) => f !== TIMELESS)) {
      const text = read(file);
      const result = normalizeMessage({ body: text }, { now });
      expect(result.rejected, file).toEqual([]);
      expect(result.format, file).toBe('okta');
      expect(result.events, file).toHaveLength(1);
      const [event] = result.events;
      const record = JSON.parse(text) as { actor: { alternateId: string } };
      expect(event!.actor, file).toMatchObject({ subject: `okta:${record.actor.alternateId}`, kind: 'human', attribution: 'direct' });
      expect(event!.raw).toBe(text.trim());
      expect(ledgerEventSchemaViolation(event)).toBeNull();
      // its own time: a transport time changes nothing
      expect(viaKafka(text).events, file).toEqual(result.events);
    }
  });

  it('rejects the file without a time when no transport gives one (HTTP, files), never defaulting to now', () => {
    expect(normalizeMessage({ body: read(TIMELESS) }, { now })).toMatchObject({ events: [], rejected: [{ index: 0, reason: 'missing_event_time' }] });
  });

  it('over Kafka the file without a time takes the Kafka timestamp, says so, and normalizes like the others', () => {
    const text = read(TIMELESS);
    const result = viaKafka(text);
    expect(result.rejected).toEqual([]);
    expect(result.events[0]).toMatchObject({
      id: expect.stringMatching(/^sha256:[0-9a-f]{32}$/),
      time: new Date(shippedAt).toISOString(),
      time_source: 'kafka_timestamp',
      type: 'identity.mfa.disabled',
      actor: { subject: 'okta:homer@springfield.gov', kind: 'human', attribution: 'direct' },
      target: { type: 'okta:User', id: 'okta:homer@springfield.gov' },
      raw: text.trim(),
    });
    expect(ledgerEventSchemaViolation(result.events[0])).toBeNull();
    // completed with a time of its own, that time is used and the event names no other source
    const completed = JSON.stringify({ ...JSON.parse(text), published: '2022-06-22T18:18:29.015Z' });
    const [timed] = normalizeMessage({ body: completed }, { now }).events;
    expect(timed).toMatchObject({ time: '2022-06-22T18:18:29.015Z', type: 'identity.mfa.disabled' });
    expect(timed).not.toHaveProperty('time_source');
  });

  it('gives the facts the anomaly verdicts rest on', () => {
    for (const label of labels) {
      const [event] = viaKafka(read(label.file)).events;
      if (label.must_include === 'mfa_disabled') expect(MFA_REMOVED, label.file).toContain(event!.type);
      if (label.must_include === 'admin_privilege_granted') expect(event!.type, label.file).toBe('authorization.privilege.granted');
    }
    const [grant] = normalizeMessage({ body: read('okta/okta_admin_role_assigned/01.json') }, { now }).events;
    expect(grant).toMatchObject({ outcome: 'success', target: { type: 'okta:User', id: 'okta:alice@acme.io', name: 'Alice Green' }, source: { ip: '136.24.229.58' } });
  });
});
