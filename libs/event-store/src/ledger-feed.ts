import type { StoredEvent } from './event-query.repository.js';

/**
 * The tail of the ledger as its in-process readers (projections, detection, anomaly
 * publishing) consume it. They all follow the same positions a few batches apart, and each
 * used to fetch and JSON-parse every stored document for itself; through this feed a range
 * is fetched and parsed once and handed to every reader.
 *
 * Positions are gap-free and become visible in order (migration 0001), so a contiguous run
 * of cached positions is exactly what the database would return for that range. Readers
 * receive shared objects: they must treat events as read-only (they are frozen to the first
 * level so a careless write fails loudly in strict mode rather than leaking between readers).
 */
export class LedgerFeed {
  private readonly events = new Map<number, StoredEvent>();
  private newest = -1;
  private readonly inFlight = new Map<number, Promise<StoredEvent[]>>();

  constructor(
    private readonly fetch: (afterPosition: number, limit: number) => Promise<StoredEvent[]>,
    /** Events kept; enough for the readers' batches to overlap (about 10 KB of heap each). */
    private readonly capacity = 10_000,
  ) {}

  async readAfter(afterPosition: number, limit: number): Promise<StoredEvent[]> {
    const cached = this.cachedRun(afterPosition, limit);
    if (cached.length === limit) return cached;
    const from = cached.length ? cached[cached.length - 1]!.position : afterPosition;
    const fetched = await this.fetchShared(from, limit - cached.length);
    return cached.length ? cached.concat(fetched) : fetched;
  }

  private cachedRun(afterPosition: number, limit: number): StoredEvent[] {
    const run: StoredEvent[] = [];
    for (let position = afterPosition + 1; run.length < limit; position++) {
      const event = this.events.get(position);
      if (!event) break;
      run.push(event);
    }
    return run;
  }

  /** Readers asking for the same range at the same time share one query. */
  private fetchShared(afterPosition: number, limit: number): Promise<StoredEvent[]> {
    const pending = this.inFlight.get(afterPosition);
    if (pending) return pending.then((events) => events.slice(0, limit));
    const request = this.fetch(afterPosition, limit)
      .then((events) => {
        for (const stored of events) this.remember(stored);
        return events;
      })
      .finally(() => this.inFlight.delete(afterPosition));
    this.inFlight.set(afterPosition, request);
    return request;
  }

  private remember(stored: StoredEvent): void {
    Object.freeze(stored);
    Object.freeze(stored.event);
    this.events.set(stored.position, stored);
    if (stored.position > this.newest) this.newest = stored.position;
    if (this.events.size > this.capacity + this.capacity / 4) {
      // Evicted in bulk, every so often: taking the oldest entry one at a time would walk the
      // Map's trail of deleted slots from its start on every insert (measured: ~30 us each).
      const keepAbove = this.newest - this.capacity;
      for (const position of this.events.keys()) if (position <= keepAbove) this.events.delete(position);
    }
  }
}
