import { describe, expect, it } from 'vitest';
import type { LedgerEvent } from '#domain';
import type { StoredEventColumns } from '#event-store';
import { generateSigningKey } from '../signed-note.js';
import { columnMismatches } from './event-columns.js';
import { parseVerifierKeys, toVerifierKeys } from './signing-key-files.js';

describe('trusted keys given to ledger verify', () => {
  const a = generateSigningKey('ledger.test/keys');
  const b = generateSigningKey('ledger.test/keys');

  it('reads a keyring file (the JSON of GET /v1/integrity/keys)', () => {
    const keys = parseVerifierKeys(
      JSON.stringify({
        origin: 'ledger.test/keys',
        keys: [
          { vkey: a.vkey, not_before: '2026-01-01T00:00:00Z', not_after: '2026-07-01T00:00:00.000Z' },
          { vkey: b.vkey, not_before: '2026-07-01T00:00:00.000Z', not_after: null },
        ],
      }),
    );
    expect(keys).toEqual([
      { name: 'ledger.test/keys', key_id: a.keyId, vkey: a.vkey, not_before: '2026-01-01T00:00:00.000Z', not_after: '2026-07-01T00:00:00.000Z' },
      { name: 'ledger.test/keys', key_id: b.keyId, vkey: b.vkey, not_before: '2026-07-01T00:00:00.000Z', not_after: null },
    ]);
    expect(toVerifierKeys(keys)[0]).toMatchObject({ name: 'ledger.test/keys', notAfter: '2026-07-01T00:00:00.000Z' });
  });

  it('reads bare vkeys, one per line, with optional windows and comments', () => {
    const keys = parseVerifierKeys(`# from the operator\n${a.vkey} 2026-01-01T00:00:00Z 2026-07-01T00:00:00Z\n${b.vkey} 2026-07-01T00:00:00Z -\n`);
    expect(keys.map((k) => [k.key_id, k.not_after])).toEqual([
      [a.keyId, '2026-07-01T00:00:00.000Z'],
      [b.keyId, null],
    ]);
    expect(parseVerifierKeys(a.vkey)[0]).toMatchObject({ key_id: a.keyId, not_after: null });
  });

  it('refuses a vkey whose key id does not match its key, and times that are not times', () => {
    const forged = a.vkey.replace(`+${a.keyId}+`, '+00000000+');
    expect(() => parseVerifierKeys(forged)).toThrow(/key id/);
    expect(() => parseVerifierKeys(`${a.vkey} yesterday`)).toThrow(/not_before/);
    expect(() => parseVerifierKeys('{"keys": 3}')).toThrow(/keys/);
    expect(() => parseVerifierKeys('   ')).toThrow(/no key/);
  });
});

describe('event columns against the signed document', () => {
  const event = {
    id: 'e-1',
    category: 'activity',
    type: 'activity.api_call',
    time: '2026-11-02T10:00:00.000Z',
    received_at: '2026-11-02T10:05:00.123Z',
    actor: { subject: 'arn:aws:iam::111122223333:user/alice', principal: 'arn:aws:iam::111122223333:user/alice', kind: 'human' },
    action: 's3:GetObject',
    target: { type: 's3_object', id: 'arn:aws:s3:::b/k' },
    outcome: 'success',
    source: { ip: '2001:db8:0:0:0:0:0:7' },
    origin: { system: 'aws-cloudtrail', kafka: { topic: 'ledger.activity', partition: 2, offset: '41' } },
  } as unknown as LedgerEvent;
  const columns: StoredEventColumns = {
    timeMs: Date.parse('2026-11-02T10:00:00.000Z'),
    receivedAtMs: Date.parse('2026-11-02T10:05:00.123Z'),
    eventId: 'e-1',
    originSystem: 'aws-cloudtrail',
    category: 'activity',
    type: 'activity.api_call',
    actorSubject: 'arn:aws:iam::111122223333:user/alice',
    actorPrincipal: 'arn:aws:iam::111122223333:user/alice',
    actorKind: 'human',
    action: 's3:GetObject',
    targetId: 'arn:aws:s3:::b/k',
    outcome: 'success',
    sourceIp: '2001:db8::7',
    kafkaTopic: 'ledger.activity',
    kafkaPartition: 2,
    kafkaOffset: '41',
  };

  it('agree when they are copies (Postgres prints IPv6 in its own short form)', () => {
    expect(columnMismatches(columns, event)).toEqual([]);
    expect(columnMismatches({ ...columns, sourceIp: '::ffff:192.0.2.1' }, { ...event, source: { ...event.source, ip: '0:0:0:0:0:ffff:c000:201' } })).toEqual([]);
  });

  it('name every column that was changed behind the document', () => {
    expect(columnMismatches({ ...columns, actorSubject: 'mallory', timeMs: columns.timeMs + 1, sourceIp: '2001:db8::8', kafkaOffset: null }, event)).toEqual([
      'time',
      'actor_subject',
      'source_ip',
      'kafka_offset',
    ]);
  });
});
