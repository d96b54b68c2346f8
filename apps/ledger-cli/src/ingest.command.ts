import { createPool, ensureDatabase, migrate } from '#event-store';
import { createLedgerEventStore, IngestService, readSourceFiles, type IncomingMessage } from '#ingestion';
import { printResult, type CliContext } from './cli-context.js';
import { createProgress } from './progress.js';

const CHUNK = 1000;

/** Appends files straight into the store (no Kafka): same normalization and append as the service. */
export async function ingestCommand(context: CliContext, paths: string[]): Promise<void> {
  const files = await readSourceFiles(paths);
  await ensureDatabase(context.config.databaseUrl);
  const pool = createPool(context.config.databaseUrl, 2);
  const totals = { messages: 0, appended: 0, duplicates: 0, id_collisions: 0, rejected: 0 };
  const reasons: Record<string, number> = {};
  const progress = createProgress(context.interactive, 'ingesting', 0);
  try {
    await migrate(pool);
    const ingest = new IngestService(createLedgerEventStore(pool));
    let chunk: IncomingMessage[] = [];
    const flush = async () => {
      if (!chunk.length) return;
      const outcome = await ingest.ingest(chunk, { channel: 'cli', maxMessageBytes: context.config.ingest.maxMessageBytes });
      totals.appended += outcome.appended;
      totals.duplicates += outcome.duplicates;
      totals.id_collisions += outcome.idCollisions;
      totals.rejected += outcome.rejected;
      for (const r of outcome.rejections) reasons[r.reason] = (reasons[r.reason] ?? 0) + 1;
      progress.increment(chunk.length);
      chunk = [];
    };
    for (const file of files) {
      for await (const body of file.messages) {
        totals.messages++;
        progress.setTotal(totals.messages);
        chunk.push({ body, headers: {}, kafka: null });
        if (chunk.length >= CHUNK) await flush();
      }
    }
    await flush();
  } finally {
    progress.stop();
    await pool.end();
  }
  printResult(context, { files: files.length, ...totals, rejection_reasons: reasons }, () =>
    [
      `ingested ${files.length} file(s), ${totals.messages} messages: ${totals.appended} events stored, ` +
        `${totals.duplicates} already stored, ${totals.rejected} rejected`,
      ...Object.entries(reasons).map(([reason, n]) => `  rejected (${reason}): ${n}`),
    ].join('\n'),
  );
}
