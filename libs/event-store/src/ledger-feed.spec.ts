import { describe, expect, it } from 'vitest';
import type { StoredEvent } from './event-query.repository.js';
import { LedgerFeed } from './ledger-feed.js';

/** A ledger of `size` events at positions 0..size-1 that counts the fetches made against it. */
function ledger(size: number) {
  const fetches: Array<{ after: number; limit: number }> = [];
  const fetch = async (after: number, limit: number): Promise<StoredEvent[]> => {
    fetches.push({ after, limit });
    const events: StoredEvent[] = [];
    for (let p = after + 1; p < size && events.length < limit; p++) {
      events.push({ position: p, idCollision: false, reattribution: null, event: { id: `e${p}` } as StoredEvent['event'] });
    }
    return events;
  };
  return { fetch, fetches };
}

const positions = (events: StoredEvent[]) => events.map((e) => e.position);

describe('LedgerFeed', () => {
  it('returns what the database returns, in position order', async () => {
    const db = ledger(10);
    const feed = new LedgerFeed(db.fetch);
    expect(positions(await feed.readAfter(-1, 4))).toEqual([0, 1, 2, 3]);
    expect(positions(await feed.readAfter(3, 100))).toEqual([4, 5, 6, 7, 8, 9]);
    expect(await feed.readAfter(9, 5)).toEqual([]);
  });

  it('serves a second reader of the same range from memory, with the same objects', async () => {
    const db = ledger(10);
    const feed = new LedgerFeed(db.fetch);
    const first = await feed.readAfter(-1, 5);
    const second = await feed.readAfter(-1, 5);
    expect(db.fetches).toHaveLength(1);
    expect(second[0]).toBe(first[0]);
  });

  it('fetches only the part of a range it does not hold', async () => {
    const db = ledger(10);
    const feed = new LedgerFeed(db.fetch);
    await feed.readAfter(-1, 3);
    expect(positions(await feed.readAfter(0, 5))).toEqual([1, 2, 3, 4, 5]);
    expect(db.fetches[1]).toEqual({ after: 2, limit: 3 });
  });

  it('shares one query between readers asking at the same time', async () => {
    const db = ledger(10);
    const feed = new LedgerFeed(db.fetch);
    const [a, b] = await Promise.all([feed.readAfter(-1, 5), feed.readAfter(-1, 3)]);
    expect(db.fetches).toHaveLength(1);
    expect(positions(a)).toEqual([0, 1, 2, 3, 4]);
    expect(positions(b)).toEqual([0, 1, 2]);
  });

  it('forgets the oldest events beyond its capacity and fetches them again', async () => {
    const db = ledger(10);
    const feed = new LedgerFeed(db.fetch, 4);
    await feed.readAfter(-1, 8);
    expect(positions(await feed.readAfter(3, 4))).toEqual([4, 5, 6, 7]);
    expect(db.fetches).toHaveLength(1);
    expect(positions(await feed.readAfter(-1, 2))).toEqual([0, 1]);
    expect(db.fetches).toHaveLength(2);
  });

  it('hands out events that a reader cannot change under another', async () => {
    const db = ledger(3);
    const feed = new LedgerFeed(db.fetch);
    const [event] = await feed.readAfter(-1, 1);
    expect(() => {
      (event as { position: number }).position = 99;
    }).toThrow(TypeError);
  });
});
