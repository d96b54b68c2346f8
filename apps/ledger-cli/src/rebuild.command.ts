import { createPool, EventQueryRepository } from '#event-store';
import { ProjectionRunner, rebuildTogether } from '#projections';
import { PROJECTIONS } from '#service';
import { InvalidArgumentError } from '#domain';
import { printResult, type CliContext } from './cli-context.js';
import { createProgress } from './progress.js';

/** The projections `ledger rebuild` knows, by name. */
export const PROJECTION_NAMES: readonly string[] = PROJECTIONS.map((p) => p.name);

/**
 * `ledger rebuild [name]`: empties projections and replays the ledger into them from position
 * 0, all of them in one pass over the ledger.
 */
export async function rebuildCommand(context: CliContext, name: string | undefined): Promise<void> {
  const selected = name === undefined ? PROJECTIONS : PROJECTIONS.filter((p) => p.name === name);
  if (selected.length === 0) {
    throw new InvalidArgumentError('name', `no projection named ${name}; known: ${PROJECTIONS.map((p) => p.name).join(', ')}`);
  }
  // A connection per projection (each applies its batches in its own transaction) and one for reads.
  const pool = createPool(context.config.databaseUrl, selected.length + 1);
  const results: Array<{ projection: string; events: number; seconds: number; events_per_second: number }> = [];
  try {
    const events = new EventQueryRepository(pool);
    const runners = selected.map((projection) => new ProjectionRunner(pool, events, projection, context.logger, 5000));
    const label = selected.length === 1 ? `rebuilding ${selected[0]!.name}` : `rebuilding ${selected.length} projections`;
    const progress = createProgress(context.interactive, label);
    const started = process.hrtime.bigint();
    let reported = 0;
    const applied = await rebuildTogether(runners, (done, total) => {
      progress.setTotal(total);
      progress.increment(done - reported);
      reported = done;
    });
    progress.stop();
    // One pass for all of them: they share the wall time.
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    for (const runner of runners) {
      const count = applied.get(runner.name) ?? 0;
      results.push({ projection: runner.name, events: count, seconds: round(seconds), events_per_second: Math.round(count / Math.max(seconds, 1e-9)) });
    }
  } finally {
    await pool.end();
  }
  printResult(context, { rebuilt: results }, () =>
    results.map((r) => `rebuilt ${r.projection}: ${r.events} events in ${r.seconds} s (${r.events_per_second} events/s)`).join('\n'),
  );
}

const round = (value: number) => Math.round(value * 1000) / 1000;
