import type { Logger } from 'pino';
import { storableText } from '#domain';
import { inTransaction, PollingLoop, quoteIdentifier, type EventQueryRepository, type Pool, type PoolClient } from '#event-store';
import type { Projection } from './projection.js';

const SELECT_CHECKPOINT = 'SELECT position FROM ledger_reader_checkpoints WHERE reader = $1 FOR UPDATE';
const SAVE_CHECKPOINT = `
  INSERT INTO ledger_reader_checkpoints (reader, position) VALUES ($1, $2)
  ON CONFLICT (reader) DO UPDATE SET position = EXCLUDED.position, updated_at = now()`;
const HEAD = 'SELECT next_position FROM ledger_head';
// One runner per projection at a time, whichever process: the live service or a rebuild.
const LOCK = 'SELECT pg_try_advisory_xact_lock(hashtext($1)::bigint)';

/** A checkpoint is the number of events the projection has applied: it resumes at that position. */
export class ProjectionRunner {
  private readonly loop = new PollingLoop(
    () => this.catchUp(),
    (error) => this.logger.warn({ projection: this.projection.name, error: String(error) }, 'projection pass failed; will retry'),
  );

  constructor(
    private readonly pool: Pool,
    private readonly events: EventQueryRepository,
    private readonly projection: Projection<unknown>,
    private readonly logger: Logger,
    private readonly batchSize = 2000,
  ) {}

  get name(): string {
    return this.projection.name;
  }

  private get reader(): string {
    return `projection:${this.projection.name}`;
  }

  start(intervalMs = 250): void {
    this.loop.start(intervalMs);
  }

  /** Runs the next pass now: something was just appended in this process. */
  wake(): void {
    this.loop.wake();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }

  /** Applies every event stored so far; returns how many it applied. */
  async catchUp(onProgress: (applied: number) => void = () => undefined): Promise<number> {
    let applied = 0;
    for (;;) {
      const step = await this.step();
      if (step === null) return applied;
      applied += step;
      onProgress(applied);
    }
  }

  /** One batch in one transaction with the checkpoint; null when there was nothing to do (or another runner holds it). */
  private async step(): Promise<number | null> {
    return inTransaction(this.pool, async (client) => {
      const locked = await client.query<{ pg_try_advisory_xact_lock: boolean }>(LOCK, [this.reader]);
      if (!locked.rows[0]!.pg_try_advisory_xact_lock) return null;
      const { rows } = await client.query<{ position: number }>(SELECT_CHECKPOINT, [this.reader]);
      const applied = rows[0]?.position ?? 0;
      const batch = await this.events.readAfter(applied - 1, this.batchSize);
      if (batch.length === 0) return null;
      await this.projection.write(withStorableText(client), this.projection.evolve(batch));
      await client.query(SAVE_CHECKPOINT, [this.reader, batch[batch.length - 1]!.position + 1]);
      return batch.length;
    });
  }

  /** Empties the projection and replays the whole ledger into it. */
  async rebuild(onProgress: (applied: number, total: number) => void = () => undefined): Promise<number> {
    const total = await this.reset();
    return this.catchUp((applied) => onProgress(applied, total));
  }

  /** Empties the projection and sets its checkpoint to position 0; returns the ledger's size. */
  async reset(): Promise<number> {
    const total = Number((await this.pool.query<{ next_position: number }>(HEAD)).rows[0]!.next_position);
    await inTransaction(this.pool, async (client) => {
      for (const table of this.projection.tables) await client.query(`DELETE FROM ${quoteIdentifier(table)}`);
      await client.query(SAVE_CHECKPOINT, [this.reader, 0]);
    });
    return total;
  }
}

/**
 * Rebuilds several projections in one pass over the ledger: the runners advance side by
 * side, so each batch is read and parsed once (the EventQueryRepository's feed hands the
 * same batch to all of them) instead of once per projection. The runners must share one
 * EventQueryRepository, and the pool needs a connection per runner plus one for reads.
 */
export async function rebuildTogether(
  runners: readonly ProjectionRunner[],
  onProgress: (applied: number, total: number) => void = () => undefined,
): Promise<Map<string, number>> {
  let total = 0;
  for (const runner of runners) total = await runner.reset();
  const applied = new Map(runners.map((runner) => [runner.name, 0]));
  const report = () => onProgress(Math.min(...applied.values()), total);
  await Promise.all(
    runners.map((runner) =>
      runner.catchUp((done) => {
        applied.set(runner.name, done);
        report();
      }),
    ),
  );
  return applied;
}

/**
 * The client a projection writes through. Text from the ledger is whatever sources sent,
 * and Postgres text cannot hold U+0000: one such character in a group name or a triage note
 * would make the projection fail on that batch forever (the ledger cannot be edited). So
 * every string parameter goes through storableText (U+0000 becomes U+FFFD); JSON
 * parameters must be built with `storableJson`, since jsonb refuses the escape `\u0000` too.
 */
function withStorableText(client: PoolClient): PoolClient {
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property !== 'query') return Reflect.get(target, property, receiver);
      return (text: string, values?: unknown[]) => target.query(text, values?.map(storableValue));
    },
  });
}

function storableValue(value: unknown): unknown {
  if (typeof value === 'string') return storableText(value);
  if (Array.isArray(value)) return value.map(storableValue);
  return value;
}

/** JSON text for a jsonb parameter, with U+0000 in any string replaced by U+FFFD (see withStorableText). */
export function storableJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => (typeof item === 'string' ? storableText(item) : item));
}
