import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { LedgerEvent } from '#domain';
import { createTestDatabase, type TestDatabase } from '#test-support';
import { EventQueryRepository } from './event-query.repository.js';
import { EventStoreRepository } from './event-store.repository.js';
import { loadMigrations } from './migrator.js';
import { prepareEvent } from './prepared-event.js';

function event(id: string, overrides: Partial<LedgerEvent> = {}): LedgerEvent {
  const raw = overrides.raw ?? JSON.stringify({ eventID: id, eventName: 'GetObject', n: 1 });
  return {
    schema_version: 'v1',
    id,
    category: 'activity',
    type: 'activity.api_call',
    time: '2026-11-02T10:00:00.000Z',
    received_at: '2026-11-02T10:05:00.000Z',
    actor: { subject: 'arn:aws:iam::111122223333:user/alice', principal: 'arn:aws:iam::111122223333:user/alice', kind: 'human', via: null, attribution: 'direct' },
    authentication: null,
    action: 's3:GetObject',
    target: { type: 's3_object', id: 'arn:aws:s3:::bucket/key' },
    outcome: 'success',
    outcome_reason: null,
    source: { ip: '203.0.113.9', service: null, user_agent: 'aws-cli/2.15', host: null, geo: null },
    origin: { system: 'aws-cloudtrail', account: '111122223333', region: 'eu-west-1', kafka: null },
    raw,
    ...overrides,
  };
}

describe('event store (real Postgres)', () => {
  let db: TestDatabase;
  let store: EventStoreRepository;
  let queries: EventQueryRepository;

  beforeAll(async () => {
    db = await createTestDatabase(inject('databaseUrl'), 'event_store');
    store = new EventStoreRepository(db.pool);
    queries = new EventQueryRepository(db.pool);
  });
  afterAll(async () => db?.drop());

  it('applies every numbered migration to an empty database', async () => {
    const { rows } = await db.pool.query('SELECT version, name FROM schema_migrations ORDER BY version');
    expect(rows.map((row) => row.name)).toEqual(loadMigrations().map((m) => m.name));
  });

  it('stores a record once however often it is delivered, counting the re-deliveries', async () => {
    const first = await store.append({ events: [prepareEvent(event('dup-1'))] });
    expect(first.appended).toBe(1);
    // Same record, re-serialized with other spacing and key order: still the same record.
    const again = event('dup-1', { raw: '{ "n": 1, "eventName": "GetObject", "eventID": "dup-1" }', received_at: '2026-11-02T11:00:00.000Z' });
    const second = await store.append({ events: [prepareEvent(again), prepareEvent(again)] });
    expect(second).toMatchObject({ appended: 0, duplicates: 2 });
    const stored = await queries.findBySourceId('dup-1');
    expect(stored).toHaveLength(1);
    const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM ledger_duplicate_receipts WHERE position = $1', [stored[0]!.position]);
    expect(rows[0].n).toBe(2);
  });

  it('keeps two different records that share an event id, and flags the second', async () => {
    const a = event('shared-id', { raw: JSON.stringify({ eventID: 'shared-id', eventName: 'A' }) });
    const b = event('shared-id', { raw: JSON.stringify({ eventID: 'shared-id', eventName: 'B' }), action: 's3:PutObject' });
    const result = await store.append({ events: [prepareEvent(a), prepareEvent(b)] });
    expect(result).toMatchObject({ appended: 2, idCollisions: 1 });
    const stored = await queries.findBySourceId('shared-id');
    expect(stored.map((s) => [s.event.action, s.idCollision])).toEqual([
      ['s3:GetObject', false],
      ['s3:PutObject', true],
    ]);
  });

  it('hands out contiguous positions and creates monthly partitions on demand', async () => {
    const before = (await queries.statistics()).events;
    await store.append({
      events: [
        prepareEvent(event('p-2019', { time: '2019-03-04T05:06:07.000Z', raw: '{"eventID":"p-2019"}' })),
        prepareEvent(event('p-2031', { time: '2031-12-31T23:59:59.999Z', raw: '{"eventID":"p-2031"}' })),
      ],
    });
    const { rows } = await db.pool.query(
      "SELECT relname FROM pg_class WHERE relname IN ('ledger_events_2019_03', 'ledger_events_2031_12') ORDER BY relname",
    );
    expect(rows.map((r) => r.relname)).toEqual(['ledger_events_2019_03', 'ledger_events_2031_12']);
    const positions = await db.pool.query('SELECT position FROM ledger_events ORDER BY position');
    expect(positions.rows.map((r) => r.position)).toEqual([...Array(before + 2).keys()]);
  });

  it('refuses UPDATE, DELETE and TRUNCATE on ledger tables, even on a partition and for the owner', async () => {
    const attempts = [
      "UPDATE ledger_events SET actor_subject = 'mallory'",
      'DELETE FROM ledger_events',
      "DELETE FROM ledger_events WHERE event_id = 'no-such-id'",
      'TRUNCATE ledger_events',
      "UPDATE ledger_events_2026_11 SET action = 'x'",
      'DELETE FROM ledger_events_2026_11',
      'TRUNCATE ledger_events_2026_11',
      'DELETE FROM ledger_event_keys',
      'DELETE FROM ledger_rejections',
    ];
    for (const statement of attempts) {
      await expect(db.pool.query(statement), statement).rejects.toThrow(/append-only/);
    }
    const count = await db.pool.query('SELECT count(*)::int AS n FROM ledger_events');
    expect(count.rows[0].n).toBeGreaterThan(0);
  });

  it('refuses changes as the restricted service role too', async () => {
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SET LOCAL ROLE ledger_service');
      await expect(client.query("UPDATE ledger_events SET action = 'x'")).rejects.toThrow();
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
  });

  it('records consumed offsets with the events and drops what another consumer already stored', async () => {
    const kafka = (offset: string) => ({ topic: 'ledger.activity', partition: 0, offset });
    const offsets = [{ groupId: 'g', topic: 'ledger.activity', partition: 0, nextOffset: '2' }];
    const batch = () => [
      prepareEvent(event('k-0', { raw: '{"eventID":"k-0"}', origin: { system: 'aws-cloudtrail', account: null, region: null, kafka: kafka('0') } })),
      prepareEvent(event('k-1', { raw: '{"eventID":"k-1"}', origin: { system: 'aws-cloudtrail', account: null, region: null, kafka: kafka('1') } })),
    ];
    const rejection = { receivedAt: new Date().toISOString(), channel: 'kafka' as const, reason: 'invalid_json', message: 'x', recordIndex: null, kafka: kafka('1'), headers: {}, raw: Buffer.from('{') };
    const first = await store.append({ events: batch(), rejections: [rejection], offsets });
    expect(first).toMatchObject({ appended: 2, rejected: 1 });
    // The same messages consumed again by a second worker during a rebalance.
    const second = await store.append({ events: batch(), rejections: [rejection], offsets });
    expect(second).toMatchObject({ appended: 0, duplicates: 0, rejected: 0 });
    expect(await store.consumedOffsets('g')).toEqual([{ groupId: 'g', topic: 'ledger.activity', partition: 0, nextOffset: '2' }]);
  });

  it('pages a subject timeline in event-time order with a stable cursor', async () => {
    const subject = 'arn:aws:iam::111122223333:user/timeline';
    const times = ['2026-11-02T09:00:00.000Z', '2026-11-02T08:00:00.000Z', '2026-11-02T08:00:00.000Z', '2026-11-02T07:30:00.000Z'];
    await store.append({
      events: times.map((time, i) =>
        prepareEvent(event(`t-${i}`, { time, raw: `{"eventID":"t-${i}"}`, actor: { subject, principal: subject, kind: 'human', via: null, attribution: 'direct' } })),
      ),
    });
    const seen: string[] = [];
    let cursor = null;
    do {
      const page = await queries.search({ subjects: [subject] }, 3, cursor);
      seen.push(...page.items.map((item) => item.event.id));
      cursor = page.next;
    } while (cursor);
    expect(seen).toEqual(['t-3', 't-1', 't-2', 't-0']);
    const window = await queries.search({ subjects: [subject], from: '2026-11-02T08:00:00.000Z', to: '2026-11-02T09:00:00.000Z' }, 10, null);
    expect(window.items.map((item) => item.event.id)).toEqual(['t-1', 't-2']);
  });
});
