import { ConfigError, loadConfig } from '#config';
import { createLogger } from '#logging';
import { startLedger } from './ledger-app.js';

/** `npm start`: the service alone, against running Postgres and Kafka, as in production. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel, 'ledger-service');
  const ledger = await startLedger(config, logger);
  logger.info({ url: ledger.url, docs: `${ledger.url}/docs` }, 'ledger service listening');
  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    await ledger.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error) => {
  process.stderr.write(`ledger service failed to start: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
