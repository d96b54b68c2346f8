import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, eventually, syntheticEvent, type TestDatabase } from '#test-support';
import { AppendNotificationListener } from './append-notification.listener.js';
import { EventStoreRepository, type RejectionInput } from './event-store.repository.js';
import { prepareEvent } from './prepared-event.js';

function rejection(n: number): RejectionInput {
  return {
    receivedAt: new Date().toISOString(),
    channel: 'cli',
    reason: 'invalid_json',
    message: 'not JSON',
    recordIndex: null,
    kafka: null,
    headers: {},
    raw: Buffer.from(`{ broken ${n}`),
  };
}

/**
 * The cross-process wake-up: every append transaction that stores something notifies
 * `ledger_appended` with the head it leaves, once, at commit; a listener on its own
 * connection hears appends made through any other connection, and survives losing it.
 */
describe('append notifications (real Postgres)', () => {
  let db: TestDatabase;
  let store: EventStoreRepository;
  let listener: AppendNotificationListener;
  const heads: Array<number | null> = [];
  const connections: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase(inject('databaseUrl'), 'append_notify');
    store = new EventStoreRepository(db.pool);
    listener = new AppendNotificationListener(db.url, {
      appended: (head) => heads.push(head),
      listening: (reconnected) => connections.push(reconnected ? 'reconnected' : 'listening'),
      lost: () => connections.push('lost'),
    });
    await listener.start();
  });
  afterAll(async () => {
    await listener?.stop();
    await db?.drop();
  });

  it('notifies once per committed append with the head it leaves; nothing for an append that stored nothing', async () => {
    expect(connections).toEqual(['listening']);
    await store.append({ events: [1, 2, 3].map((n) => prepareEvent(syntheticEvent(n))) });
    // Only duplicates: nothing stored, nobody needs waking.
    await store.append({ events: [prepareEvent(syntheticEvent(2))] });
    // Only a rejection: the head stays, but the DLQ relay has work.
    await store.append({ events: [], rejections: [rejection(1)] });
    await store.append({ events: [4, 5].map((n) => prepareEvent(syntheticEvent(n))) });
    // Notifications arrive in commit order: one for the duplicate-only append would sit second.
    await eventually(async () => (heads.length >= 3 ? true : undefined), 10_000, 'three notifications');
    expect(heads).toEqual([3, 3, 5]);
  });

  it('sends nothing for an append that rolls back', async () => {
    heads.length = 0;
    const bad = prepareEvent(syntheticEvent(6));
    // A participant that fails after the events are placed: the whole transaction rolls back.
    const failing = new EventStoreRepository(db.pool, [
      {
        afterAppend: async () => {
          throw new Error('participant refused');
        },
      },
    ]);
    await expect(failing.append({ events: [bad] })).rejects.toThrow('participant refused');
    await store.append({ events: [prepareEvent(syntheticEvent(7))] });
    await eventually(async () => (heads.length >= 1 ? true : undefined), 10_000, 'a notification');
    expect(heads).toEqual([6]);
  });

  it('reconnects when its connection is killed, wakes once to cover the gap, and hears appends again', async () => {
    heads.length = 0;
    const killed = await db.pool.query<{ killed: boolean }>(
      `SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity
        WHERE datname = current_database() AND application_name = 'accountability-ledger-listener'`,
    );
    expect(killed.rows).toEqual([{ killed: true }]);
    await eventually(async () => (connections.includes('reconnected') ? true : undefined), 20_000, 'the listener to reconnect');
    expect(connections).toEqual(['listening', 'lost', 'reconnected']);
    expect(listener.isListening).toBe(true);
    // Appends made while it was not listening were never notified: it says so with a null head.
    expect(heads).toEqual([null]);
    await store.append({ events: [prepareEvent(syntheticEvent(8))] });
    await eventually(async () => (heads.length >= 2 ? true : undefined), 10_000, 'a notification after reconnecting');
    expect(heads).toEqual([null, 7]);
  });

  it('stays stopped once stopped', async () => {
    await listener.stop();
    expect(listener.isListening).toBe(false);
    // The backend leaves pg_stat_activity a moment after the client hung up.
    const listening = async () =>
      (
        await db.pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'accountability-ledger-listener'`,
        )
      ).rows[0]!.n;
    await eventually(async () => ((await listening()) === 0 ? true : undefined), 10_000, 'the listening backend to go');
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(await listening()).toBe(0);
    expect(connections.filter((c) => c === 'lost')).toHaveLength(1);
  });
});
