import { createPool, EventQueryRepository } from '#event-store';
import { ProjectionRunner } from '#projections';
import { PROJECTIONS } from '#service';
import { InvalidArgumentError } from '#domain';
import { printResult, type CliContext } from './cli-context.js';
import { createProgress } from './progress.js';

/** `ledger rebuild [name]`: empties projections and replays the ledger into them from position 0. */
export async function rebuildCommand(context: CliContext, name: string | undefined): Promise<void> {
  const selected = name === undefined ? PROJECTIONS : PROJECTIONS.filter((p) => p.name === name);
  if (selected.length === 0) {
    throw new InvalidArgumentError('name', `no projection named ${name}; known: ${PROJECTIONS.map((p) => p.name).join(', ')}`);
  }
  const pool = createPool(context.config.databaseUrl, 2);
  const results: Array<{ projection: string; events: number; seconds: number; events_per_second: number }> = [];
  try {
    const events = new EventQueryRepository(pool);
    for (const projection of selected) {
      const progress = createProgress(context.interactive, `rebuilding ${projection.name}`);
      const started = process.hrtime.bigint();
      const runner = new ProjectionRunner(pool, events, projection, context.logger, 5000);
      const applied = await runner.rebuild((done, total) => {
        progress.setTotal(total);
        progress.increment(done - lastDone(projection.name, done));
      });
      progress.stop();
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      results.push({ projection: projection.name, events: applied, seconds: round(seconds), events_per_second: Math.round(applied / Math.max(seconds, 1e-9)) });
    }
  } finally {
    await pool.end();
  }
  printResult(context, { rebuilt: results }, () =>
    results.map((r) => `rebuilt ${r.projection}: ${r.events} events in ${r.seconds} s (${r.events_per_second} events/s)`).join('\n'),
  );
}

const previous = new Map<string, number>();
/** Progress reports running totals; the bar wants increments. */
function lastDone(name: string, done: number): number {
  const before = previous.get(name) ?? 0;
  previous.set(name, done);
  return before;
}

const round = (value: number) => Math.round(value * 1000) / 1000;
