import type { LedgerEvent } from '#domain';
import type { Pool } from './database.js';
import * as sql from './event-query.sql.js';
import { LedgerFeed } from './ledger-feed.js';

export interface EventFilter {
  /** Any of these accountable subjects (a person's aliases), as attributed now: later re-attributions count. */
  subjects?: string[];
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
  /** The event with its accountable subject as attributed now (see `reattribution`). */
  event: LedgerEvent;
  /** Set when the subject was resolved after the event was stored (e.g. its AssumeRole arrived later). */
  reattribution: { previousSubject: string; previousAttribution: string; resolvedByPosition: number } | null;
  /**
   * The stored canonical JSON of `event`, when `event` is exactly that (no re-attribution
   * applied): an API response can send it as it is instead of parsing and re-serializing it.
   */
  document?: string;
}

export interface EventPage {
  items: StoredEvent[];
  next: PageCursor | null;
}

/** Columns a filter may constrain, each bound to a parameter, never spliced as text. */
const FILTER_COLUMNS: Array<[Exclude<keyof EventFilter, 'subjects'>, string]> = [
  ['principal', 'e.actor_principal = $'],
  ['action', 'e.action = $'],
  ['category', 'e.category = $'],
  ['outcome', 'e.outcome = $'],
  ['target', 'e.target_id = $'],
  ['sourceIp', 'e.source_ip = $::inet'],
  ['from', 'e.time >= $::timestamptz'],
  ['to', 'e.time < $::timestamptz'],
];

/** The read side of the event store: who-did-what searches in event-time order. */
export class EventQueryRepository {
  constructor(private readonly pool: Pool) {}

  async search(filter: EventFilter, limit: number, after: PageCursor | null): Promise<EventPage> {
    const clauses: string[] = [];
    const values: unknown[] = [];
    const bind = (value: unknown) => {
      values.push(value);
      return `$${values.length}`;
    };
    for (const [key, template] of FILTER_COLUMNS) {
      const value = filter[key];
      if (value !== undefined) clauses.push(template.replace('$', bind(value)));
    }
    if (after) clauses.push(`(e.time, e.position) > (${bind(after.time)}::timestamptz, ${bind(after.position)}::bigint)`);
    const limitParameter = bind(limit + 1);
    let rows: EventRow[];
    if (filter.subjects) {
      rows = (await this.pool.query<EventRow>(sql.searchSubjects(clauses, bind(filter.subjects), limitParameter), values)).rows;
    } else {
      rows = (await this.pool.query<EventRow>(sql.searchEvents(clauses, limitParameter), values)).rows;
    }
    const page = rows.slice(0, limit);
    const items = page.map(toStoredEvent);
    const last = page[page.length - 1];
    const next = rows.length > limit && last ? { time: last.time.toISOString(), position: last.position } : null;
    return { items, next };
  }

  /** Every stored event with this source id; more than one when different records shared the id. */
  async findBySourceId(eventId: string): Promise<StoredEvent[]> {
    const { rows } = await this.pool.query<EventRow>(sql.FIND_BY_SOURCE_ID, [eventId]);
    return rows.map(toStoredEvent);
  }

  /**
   * The next events in ledger order after `position` (exclusive), exactly as stored: what
   * position-driven readers consume. Later re-attributions are not applied here; readers see
   * them as the `identity.attribution.resolved` events that record them, in order, so a
   * replay from position 0 reproduces the live result.
   */
  async readAfter(position: number, limit: number): Promise<StoredEvent[]> {
    return this.feed.readAfter(position, limit);
  }

  private readonly feed = new LedgerFeed(async (position, limit) => {
    const { rows } = await this.pool.query<EventRow>(sql.READ_AFTER, [position, limit]);
    return rows.map(toStoredEvent);
  });

  async findByPosition(position: number): Promise<StoredEvent | null> {
    const { rows } = await this.pool.query<EventRow>(sql.FIND_BY_POSITION, [position]);
    return rows[0] ? toStoredEvent(rows[0]) : null;
  }

  async subjectExists(subjects: string[]): Promise<boolean> {
    const { rowCount } = await this.pool.query(sql.SUBJECT_EXISTS, [subjects]);
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
  time: Date;
  id_collision: boolean;
  document: string;
  r_subject: string | null;
  r_attribution: string | null;
  r_kind: string | null;
  r_via: string | null;
  r_claim_contradicted: boolean | null;
  r_resolved_by: number | null;
}

function toStoredEvent(row: EventRow): StoredEvent {
  if (row.r_subject === null) {
    // Parsed on first use: a reader needs the object, an API page usually only the text.
    let parsed: LedgerEvent | undefined;
    const { document } = row;
    return {
      position: row.position,
      idCollision: row.id_collision,
      reattribution: null,
      document,
      get event(): LedgerEvent {
        return (parsed ??= JSON.parse(document) as LedgerEvent);
      },
    };
  }
  const event = JSON.parse(row.document) as LedgerEvent;
  const reattribution = { previousSubject: event.actor.subject, previousAttribution: event.actor.attribution, resolvedByPosition: row.r_resolved_by! };
  event.actor = {
    ...event.actor,
    subject: row.r_subject,
    attribution: row.r_attribution as LedgerEvent['actor']['attribution'],
    kind: row.r_kind as LedgerEvent['actor']['kind'],
    via: row.r_via,
    ...(row.r_claim_contradicted ? { claim_contradicted: true } : {}),
  };
  return { position: row.position, idCollision: row.id_collision, event, reattribution };
}
