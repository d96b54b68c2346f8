import { createPool, ensureDatabase, migrate } from '#event-store';
import { printResult, type CliContext } from './cli-context.js';

export async function migrateCommand(context: CliContext): Promise<void> {
  const created = await ensureDatabase(context.config.databaseUrl);
  const pool = createPool(context.config.databaseUrl, 1);
  try {
    const report = await migrate(pool);
    printResult(context, { database_created: created, applied: report.applied, already_applied: report.alreadyApplied }, () =>
      report.applied.length
        ? `applied ${report.applied.length} migration(s): ${report.applied.join(', ')}`
        : `database is up to date (${report.alreadyApplied} migration(s) applied earlier)`,
    );
  } finally {
    await pool.end();
  }
}
