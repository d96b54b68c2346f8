import { createPool, ensureDatabase, migrate } from '#event-store';
import { createLedgerEventStore, IngestService, readSourceFiles, type IncomingMessage } from '#ingestion';
import { printResult, type CliContext } from './cli-context.js';
import { createProgress } from './progress.js';

const CHUNK = 1000;

/** Rejections listed one by one; past this many only the per-reason counts grow. */
const LISTED_REJECTIONS = 100;
/** The human summary shows this many of the listed ones; --json has all that were listed. */
const PRINTED_REJECTIONS = 20;

/** Exit code when the run finished but some records were rejected (kept in `ledger_rejections`). */
export const EXIT_SOME_REJECTED = 4;

interface ListedRejection {
  file: string;
  /** 1-based line of the file, null when the whole file was one message. */
  line: number | null;
  /** Position of the record inside its message (a delivery file's `Records[i]`), if any. */
  record_index: number | null;
  reason: string;
  message: string;
}

/** Where a message of the current chunk came from, so a rejection can name file and line. */
interface Origin {
  file: string;
  line: number | null;
}

/**
 * Appends files straight into the store (no Kafka): same normalization and append as the
 * service. Rejected records are kept in `ledger_rejections` (channel `cli`), named here by
 * file and line, and make the command exit with {@link EXIT_SOME_REJECTED}.
 */
export async function ingestCommand(context: CliContext, paths: string[]): Promise<void> {
  const files = await readSourceFiles(paths);
  await ensureDatabase(context.config.databaseUrl);
  const pool = createPool(context.config.databaseUrl, 2);
  const totals = { messages: 0, appended: 0, duplicates: 0, id_collisions: 0, rejected: 0 };
  const reasons: Record<string, number> = {};
  const listed: ListedRejection[] = [];
  const progress = createProgress(context.interactive, 'ingesting', 0);
  try {
    await migrate(pool);
    const ingest = new IngestService(createLedgerEventStore(pool));
    let chunk: IncomingMessage[] = [];
    let origins: Origin[] = [];
    const flush = async () => {
      if (!chunk.length) return;
      const outcome = await ingest.ingest(chunk, { channel: 'cli', maxMessageBytes: context.config.ingest.maxMessageBytes });
      totals.appended += outcome.appended;
      totals.duplicates += outcome.duplicates;
      totals.id_collisions += outcome.idCollisions;
      totals.rejected += outcome.rejected;
      for (const r of outcome.rejections) {
        reasons[r.reason] = (reasons[r.reason] ?? 0) + 1;
        const origin = origins[r.messageIndex];
        if (origin && listed.length < LISTED_REJECTIONS) {
          listed.push({ ...origin, record_index: r.recordIndex, reason: r.reason, message: r.message });
        }
      }
      progress.increment(chunk.length);
      chunk = [];
      origins = [];
    };
    for (const file of files) {
      for await (const message of file.messages) {
        totals.messages++;
        progress.setTotal(totals.messages);
        chunk.push({ body: message.body, headers: {}, kafka: null });
        origins.push({ file: file.path, line: message.line });
        if (chunk.length >= CHUNK) await flush();
      }
    }
    await flush();
  } finally {
    progress.stop();
    await pool.end();
  }
  if (totals.rejected > 0) process.exitCode = EXIT_SOME_REJECTED;
  printResult(context, { files: files.length, ...totals, rejection_reasons: reasons, rejections: listed }, () =>
    [
      `ingested ${files.length} file(s), ${totals.messages} messages: ${totals.appended} events stored, ` +
        `${totals.duplicates} already stored, ${totals.rejected} rejected`,
      ...Object.entries(reasons).map(([reason, n]) => `  rejected (${reason}): ${n}`),
      ...listed.slice(0, PRINTED_REJECTIONS).map(describe),
      ...(totals.rejected > PRINTED_REJECTIONS ? [`  ... ${totals.rejected - PRINTED_REJECTIONS} more (--json lists the first ${LISTED_REJECTIONS})`] : []),
      ...(totals.rejected > 0 ? ['rejected records are kept in the ledger_rejections table (channel cli); exit code 4'] : []),
    ].join('\n'),
  );
}

function describe(rejection: ListedRejection): string {
  const where = rejection.line === null ? rejection.file : `${rejection.file}:${rejection.line}`;
  return `  ${where}: ${rejection.reason}: ${rejection.message}`;
}
