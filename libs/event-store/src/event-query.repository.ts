import type { LedgerEvent } from '#domain';
import type { Pool } from './database.js';
import * as sql from './event-query.sql.js';

export interface EventFilter {
  subject?: string;
  principal?: string;
  action?: string;
  category?: string;
  outcome?: string;
  target?: string;
  sourceIp?: string;
  /** Inclusive lower bound on event time (ISO). */
  from?: string;
  /** Exclusive upper bound on event time (ISO). */
  to?: string;
}

/** Position in the (time, position) order of a result page: opaque to API clients. */
export interface PageCursor {
  time: string;
  position: number;
}

export interface StoredEvent {
  position: number;
  idCollision: boolean;
  event: LedgerEvent;
}

export interface EventPage {
  items: StoredEvent[];
  next: PageCursor | null;
}

/** Columns a filter may constrain, each bound to a parameter, never spliced as text. */
const FILTER_COLUMNS: Array<[keyof EventFilter, string]> = [
  ['subject', 'actor_subject = $'],
  ['principal', 'actor_principal = $'],
  ['action', 'action = $'],
  ['category', 'category = $'],
  ['outcome', 'outcome = $'],
  ['target', 'target_id = $'],
  ['sourceIp', 'source_ip = $::inet'],
  ['from', 'time >= $::timestamptz'],
  ['to', 'time < $::timestamptz'],
];

/** The read side of the event store: who-did-what searches in event-time order. */
export class EventQueryRepository {
  constructor(private readonly pool: Pool) {}

  async search(filter: EventFilter, limit: number, after: PageCursor | null): Promise<EventPage> {
    const clauses: string[] = [];
    const values: unknown[] = [];
    for (const [key, template] of FILTER_COLUMNS) {
      const value = filter[key];
      if (value === undefined) continue;
      values.push(value);
      clauses.push(template.replace('$', `$${values.length}`));
    }
    if (after) {
      values.push(after.time, after.position);
      clauses.push(`(time, position) > ($${values.length - 1}::timestamptz, $${values.length}::bigint)`);
    }
    values.push(limit + 1);
    const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
    const { rows } = await this.pool.query<EventRow>(sql.searchEvents(where, values.length), values);
    const items = rows.slice(0, limit).map(toStoredEvent);
    const last = items[items.length - 1];
    const next = rows.length > limit && last ? { time: last.event.time, position: last.position } : null;
    return { items, next };
  }

  /** Every stored event with this source id; more than one when different records shared the id. */
  async findBySourceId(eventId: string): Promise<StoredEvent[]> {
    const { rows } = await this.pool.query<EventRow>(sql.FIND_BY_SOURCE_ID, [eventId]);
    return rows.map(toStoredEvent);
  }

  async findByPosition(position: number): Promise<StoredEvent | null> {
    const { rows } = await this.pool.query<EventRow>(sql.FIND_BY_POSITION, [position]);
    return rows[0] ? toStoredEvent(rows[0]) : null;
  }

  async subjectExists(subject: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(sql.SUBJECT_EXISTS, [subject]);
    return (rowCount ?? 0) > 0;
  }

  async statistics(): Promise<LedgerStatistics> {
    const { rows } = await this.pool.query<{ events: number; rejections: number; duplicates: number }>(sql.STATISTICS);
    return rows[0]!;
  }
}

export interface LedgerStatistics {
  events: number;
  rejections: number;
  duplicates: number;
}

interface EventRow {
  position: number;
  id_collision: boolean;
  document: string;
}

function toStoredEvent(row: EventRow): StoredEvent {
  return { position: row.position, idCollision: row.id_collision, event: JSON.parse(row.document) as LedgerEvent };
}
