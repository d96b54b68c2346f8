import cluster from 'node:cluster';
import { ConfigError, loadConfig, type LedgerConfig } from '#config';
import { createLogger } from '#logging';
import { startLedger } from './ledger-app.js';
import { runIngestWorker } from './workers/ingest-worker.js';
import { selectProcessRole } from './workers/process-role.js';

/**
 * `npm start`: the service alone, against running Postgres and Kafka, as in production. The
 * same entry point runs the ingest workers the service forks (LEDGER_INGEST_WORKERS).
 */
async function main(): Promise<void> {
  let config: LedgerConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  let role;
  try {
    role = selectProcessRole(config.processRole, cluster.isWorker);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  }
  if (role === 'ingest-worker') {
    const logger = createLogger(config.logLevel, 'ledger-ingest-worker').child({ pid: process.pid });
    await runIngestWorker(config, logger);
    return;
  }
  const logger = createLogger(config.logLevel, 'ledger-service');
  const ledger = await startLedger(config, logger);
  logger.info({ url: ledger.url, docs: `${ledger.url}/docs`, ingestWorkers: config.ingest.workers }, 'ledger service listening');
  let shuttingDown = false;
  const shutdown = async (signal: string) => {
    // Stay subscribed for the whole shutdown: Nest's own shutdown hook re-raises the signal
    // once the HTTP server is closed, and with no listener left that would kill the process
    // before the ingest workers have finished their batches.
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, 'shutting down');
    await ledger.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error) => {
  process.stderr.write(`ledger service failed to start: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
