import type { Pool, PoolClient } from './database.js';
import { copyInto, inTransaction } from './database.js';
import { BinaryCopyWriter } from './binary-copy.js';
import type { PreparedEvent } from './prepared-event.js';
import * as sql from './event-store.sql.js';

export interface RejectionInput {
  receivedAt: string;
  channel: 'kafka' | 'http' | 'cli' | 'ledger';
  reason: string;
  message: string;
  recordIndex: number | null;
  kafka: { topic: string; partition: number; offset: string } | null;
  headers: Record<string, string>;
  raw: Buffer;
}

export interface ConsumedOffset {
  groupId: string;
  topic: string;
  partition: number;
  /** The offset of the next message to consume (last processed + 1). */
  nextOffset: string;
}

export interface AppendRequest {
  events: PreparedEvent[];
  rejections?: RejectionInput[];
  offsets?: ConsumedOffset[];
  /** A position-driven reader that produced these events (e.g. detection) moves its checkpoint atomically with them. */
  readerCheckpoint?: { reader: string; position: number };
}

export type AppendOutcome = 'appended' | 'duplicate';

export interface AppendResult {
  appended: number;
  duplicates: number;
  idCollisions: number;
  rejected: number;
  /** Per input event, in input order: where it is stored and whether this call stored it. */
  placements: Array<{ position: number; outcome: AppendOutcome }>;
}

/**
 * The write side of the event store. One append is one transaction that stores the new
 * events, counts duplicate receipts, records rejections (the DLQ outbox) and the Kafka
 * offsets consumed; either all of it happens or none of it does.
 */
export class EventStoreRepository {
  private readonly knownPartitions = new Set<string>();
  private readonly appendListeners: Array<(head: number) => void> = [];

  constructor(
    private readonly pool: Pool,
    private readonly participants: AppendParticipant[] = [],
  ) {}

  async append(request: AppendRequest): Promise<AppendResult> {
    const created = new Set<string>();
    const { result, head } = await inTransaction(this.pool, (client) => this.appendWith(client, request, created));
    // Only a committed partition is known to exist: one created by a transaction that
    // rolled back is gone again, and must be created by the next append that needs it.
    for (const month of created) this.knownPartitions.add(month);
    if (result.appended > 0 || result.rejected > 0) for (const listener of this.appendListeners) listener(head);
    return result;
  }

  /**
   * Called after every committed append that stored something, with the head it left (the
   * next position): wakes this process's readers. Other processes learn of it through the
   * `ledger_appended` notification (AppendNotificationListener).
   */
  onAppended(listener: (head: number) => void): void {
    this.appendListeners.push(listener);
  }

  private async appendWith(
    client: PoolClient,
    request: AppendRequest,
    createdPartitions: Set<string>,
  ): Promise<{ result: AppendResult; head: number }> {
    const result: AppendResult = { appended: 0, duplicates: 0, idCollisions: 0, rejected: 0, placements: [] };

    // Taking the head row lock serializes appends until commit: see migration 0001.
    const head = await client.query<{ next_position: number }>(sql.LOCK_HEAD);
    let nextPosition = head.rows[0]!.next_position;

    // Two consumers may briefly hold the same partition during a rebalance. Under the lock,
    // whatever another transaction already consumed is dropped here, so its rejections are
    // not recorded twice and its events not even counted as duplicate receipts.
    const consumed = await this.consumedUpTo(client, request.offsets ?? []);
    const isFresh = (kafka: { topic: string; partition: number; offset: string } | null) =>
      !kafka || BigInt(kafka.offset) >= (consumed.get(`${kafka.topic}\u0000${kafka.partition}`) ?? 0n);
    const events = request.events.filter((prepared) => isFresh(prepared.event.origin.kafka));
    const rejections = (request.rejections ?? []).filter((rejection) => isFresh(rejection.kafka));

    // Participants (attribution, identity map) see and may refine the batch under the lock,
    // so what they read (credentials, aliases) is exactly what earlier appends committed.
    const duplicates: Array<{ prepared: PreparedEvent; position: number }> = [];
    let pending = events;
    for (let round = 0; pending.length > 0; round++) {
      if (round > 4) throw new Error('append participants kept producing events; giving up');
      for (const participant of this.participants) {
        if (participant.beforeAppend) pending = await participant.beforeAppend(client, pending);
      }
      const placed = await this.place(client, pending, nextPosition, result, duplicates, createdPartitions);
      nextPosition += placed.length;
      pending = [];
      if (placed.length === 0) continue;
      for (const participant of this.participants) {
        if (participant.afterAppend) pending.push(...(await participant.afterAppend(client, placed)));
      }
    }
    if (nextPosition !== head.rows[0]!.next_position) await client.query(sql.ADVANCE_HEAD, [nextPosition]);

    if (duplicates.length) {
      await client.query(sql.INSERT_DUPLICATE_RECEIPTS, [
        duplicates.map((row) => row.position),
        duplicates.map((row) => row.prepared.event.received_at),
        duplicates.map((row) => row.prepared.event.origin.kafka?.topic ?? null),
        duplicates.map((row) => row.prepared.event.origin.kafka?.partition ?? null),
        duplicates.map((row) => row.prepared.event.origin.kafka?.offset ?? null),
      ]);
    }
    if (rejections.length) {
      await client.query(sql.INSERT_REJECTIONS, [
        rejections.map((r) => r.receivedAt),
        rejections.map((r) => r.channel),
        rejections.map((r) => r.reason),
        rejections.map((r) => r.message),
        rejections.map((r) => r.recordIndex),
        rejections.map((r) => r.kafka?.topic ?? null),
        rejections.map((r) => r.kafka?.partition ?? null),
        rejections.map((r) => r.kafka?.offset ?? null),
        rejections.map((r) => JSON.stringify(r.headers)),
        rejections.map((r) => r.raw),
      ]);
    }
    if (request.readerCheckpoint) {
      await client.query(sql.SAVE_READER_CHECKPOINT, [request.readerCheckpoint.reader, request.readerCheckpoint.position]);
    }
    for (const offset of request.offsets ?? []) {
      await client.query(sql.UPSERT_OFFSET, [offset.groupId, offset.topic, offset.partition, offset.nextOffset]);
    }
    result.duplicates = duplicates.length;
    result.rejected = rejections.length;
    if (result.appended > 0 || result.rejected > 0) {
      // One notification per transaction, sent by Postgres only if it commits; the payload is
      // the head it leaves (a rejection-only append leaves it where it was: the DLQ relay still
      // has work).
      await client.query(sql.NOTIFY_APPENDED, [String(nextPosition)]);
    }
    return { result, head: nextPosition };
  }

  /** Stores the events that are new, counts the ones already stored, and returns the new ones with their positions. */
  private async place(
    client: PoolClient,
    events: PreparedEvent[],
    firstPosition: number,
    result: AppendResult,
    duplicates: Array<{ prepared: PreparedEvent; position: number }>,
    createdPartitions: Set<string>,
  ): Promise<PlacedEvent[]> {
    const existing = events.length ? await this.lookupKeys(client, events) : new Map<string, KeyState>();
    const fresh: PlacedEvent[] = [];
    let nextPosition = firstPosition;
    for (const prepared of events) {
      const idKey = sourceIdKey(prepared);
      const state = existing.get(idKey) ?? { hashes: new Map<string, number>() };
      const hashHex = prepared.contentHash.toString('hex');
      const storedAt = state.hashes.get(hashHex);
      if (storedAt !== undefined) {
        duplicates.push({ prepared, position: storedAt });
        result.placements.push({ position: storedAt, outcome: 'duplicate' });
        continue;
      }
      const idCollision = state.hashes.size > 0;
      const position = nextPosition++;
      state.hashes.set(hashHex, position);
      existing.set(idKey, state);
      fresh.push({ prepared, position, idCollision });
      result.placements.push({ position, outcome: 'appended' });
      if (idCollision) result.idCollisions++;
    }
    if (fresh.length) {
      await this.ensurePartitions(client, fresh.map((row) => row.prepared.partitionMonth), createdPartitions);
      await copyInto(client, sql.COPY_EVENTS, eventRows(fresh));
      await copyInto(client, sql.COPY_KEYS, keyRows(fresh));
    }
    result.appended += fresh.length;
    return fresh;
  }

  private async consumedUpTo(client: PoolClient, offsets: ConsumedOffset[]): Promise<Map<string, bigint>> {
    const consumed = new Map<string, bigint>();
    for (const offset of offsets) {
      const { rows } = await client.query<{ next_offset: number }>(sql.SELECT_OFFSET, [offset.groupId, offset.topic, offset.partition]);
      if (rows[0]) consumed.set(`${offset.topic}\u0000${offset.partition}`, BigInt(rows[0].next_offset));
    }
    return consumed;
  }

  private async lookupKeys(client: PoolClient, events: PreparedEvent[]): Promise<Map<string, KeyState>> {
    const systems: string[] = [];
    const ids: string[] = [];
    const seen = new Set<string>();
    for (const prepared of events) {
      const key = sourceIdKey(prepared);
      if (seen.has(key)) continue;
      seen.add(key);
      systems.push(prepared.event.origin.system);
      ids.push(prepared.event.id);
    }
    const { rows } = await client.query<{ origin_system: string; event_id: string; content_hash: Buffer; position: number }>(
      sql.LOOKUP_KEYS,
      [systems, ids],
    );
    const states = new Map<string, KeyState>();
    for (const row of rows) {
      const key = `${row.origin_system}\u0000${row.event_id}`;
      const state = states.get(key) ?? { hashes: new Map<string, number>() };
      state.hashes.set(row.content_hash.toString('hex'), row.position);
      states.set(key, state);
    }
    return states;
  }

  private async ensurePartitions(client: PoolClient, months: string[], created: Set<string>): Promise<void> {
    for (const month of new Set(months)) {
      if (this.knownPartitions.has(month) || created.has(month)) continue;
      await client.query(sql.ENSURE_PARTITION, [month]);
      created.add(month);
    }
  }

  /** Offsets this store has durably consumed, so a consumer never re-processes past them. */
  async consumedOffsets(groupId: string): Promise<ConsumedOffset[]> {
    const { rows } = await this.pool.query<{ topic: string; partition: number; next_offset: number }>(
      sql.SELECT_OFFSETS,
      [groupId],
    );
    return rows.map((row) => ({ groupId, topic: row.topic, partition: row.partition, nextOffset: String(row.next_offset) }));
  }
}

export interface PlacedEvent {
  prepared: PreparedEvent;
  position: number;
  idCollision: boolean;
}

/**
 * Work that must happen atomically with an append and see a consistent ledger: it runs in
 * the append transaction, under the head lock. `beforeAppend` may replace events (e.g. with a
 * resolved accountable subject: same source record, same content hash, new document);
 * `afterAppend` may maintain its own tables and return further events to append in the same
 * transaction (e.g. the attribution record of an earlier event).
 */
export interface AppendParticipant {
  beforeAppend?(client: PoolClient, events: PreparedEvent[]): Promise<PreparedEvent[]>;
  afterAppend?(client: PoolClient, placed: PlacedEvent[]): Promise<PreparedEvent[]>;
}

interface KeyState {
  hashes: Map<string, number>;
}

function sourceIdKey(prepared: PreparedEvent): string {
  return `${prepared.event.origin.system}\u0000${prepared.event.id}`;
}

/** ledger_events rows, fields in the order of sql.COPY_EVENTS. */
function eventRows(rows: PlacedEvent[]): Buffer[] {
  const copy = new BinaryCopyWriter();
  for (const { prepared, position, idCollision } of rows) {
    const { event } = prepared;
    copy
      .startRow(21)
      .bigint(position)
      .timestamp(event.time)
      .timestamp(event.received_at)
      .text(event.id)
      .text(event.origin.system)
      .text(event.category)
      .text(event.type)
      .text(event.actor.subject)
      .text(event.actor.principal)
      .text(event.actor.kind)
      .text(event.action)
      .text(event.target?.id ?? null)
      .text(event.outcome)
      // The column is typed inet; a value Postgres would refuse is left out (the document keeps it).
      .inet(event.source.ip ?? null)
      .text(event.origin.kafka?.topic ?? null)
      .integer(event.origin.kafka?.partition ?? null)
      .bigint(event.origin.kafka?.offset ?? null)
      .boolean(idCollision)
      .bytea(prepared.contentHash)
      .bytea(prepared.leafHash)
      .utf8(prepared.documentBytes);
  }
  return copy.finish();
}

/** ledger_event_keys rows, fields in the order of sql.COPY_KEYS. */
function keyRows(rows: PlacedEvent[]): Buffer[] {
  const copy = new BinaryCopyWriter(64 * 1024);
  for (const { prepared, position } of rows) {
    copy.startRow(4).text(prepared.event.origin.system).text(prepared.event.id).bytea(prepared.contentHash).bigint(position);
  }
  return copy.finish();
}
