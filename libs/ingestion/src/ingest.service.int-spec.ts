import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '#test-support';
import { createLedgerEventStore } from './ledger-event-store.js';
import { IngestService, type IncomingMessage } from './ingest.service.js';

function canonical(id: string, subject: string): IncomingMessage {
  const event = {
    id,
    category: 'activity',
    type: 'activity.api_call',
    time: '2026-11-02T10:00:00Z',
    actor: { subject, principal: subject, kind: 'human', attribution: 'direct' },
    action: 'app:Read',
    outcome: 'success',
    origin: { system: 'my-app' },
  };
  return { body: Buffer.from(JSON.stringify(event)), headers: {}, declaredFormat: 'canonical', kafka: null };
}

/** Incompressible CJK text: 3 bytes a character in UTF-8, so 1,000 of them pass the schema's length limit but not a Postgres btree entry. */
function oversizedName(): string {
  let seed = 7;
  return Array.from({ length: 1000 }, () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return String.fromCharCode(0x4e00 + (seed % 20000));
  }).join('');
}

describe('IngestService against real Postgres', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(inject('databaseUrl'), 'ingest');
  });
  afterAll(async () => db?.drop());

  it('dead-letters a record the database refuses and stores the others, recording the offsets once', async () => {
    const ingest = new IngestService(createLedgerEventStore(db.pool));
    const messages = [canonical('ok-1', 'alice'), canonical('too-big', oversizedName()), canonical('ok-2', 'bob')].map((m, i) => ({
      ...m,
      kafka: { topic: 'ledger.activity', partition: 0, offset: String(i) },
    }));
    const outcome = await ingest.ingest(messages, {
      channel: 'kafka',
      maxMessageBytes: 1 << 20,
      offsets: [{ groupId: 'g', topic: 'ledger.activity', partition: 0, nextOffset: '3' }],
    });
    expect(outcome).toMatchObject({ appended: 2, rejected: 1 });
    expect(outcome.rejections).toEqual([expect.objectContaining({ messageIndex: 1, reason: 'store_refused' })]);
    const { rows } = await db.pool.query('SELECT reason, kafka_offset, raw FROM ledger_rejections');
    expect(rows).toHaveLength(1);
    expect(rows[0].reason).toBe('store_refused');
    expect(Number(rows[0].kafka_offset)).toBe(1);
    expect(rows[0].raw.equals(messages[1]!.body)).toBe(true);
    const offsets = await db.pool.query('SELECT next_offset FROM ledger_consumer_offsets');
    expect(offsets.rows.map((r) => Number(r.next_offset))).toEqual([3]);
  });
});
