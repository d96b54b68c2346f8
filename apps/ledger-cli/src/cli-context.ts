import { ConfigError, loadConfig, type LedgerConfig } from '#config';
import { createLogger, type Logger } from '#logging';
import { DomainError } from '#domain';

/** What every command gets: validated configuration, a logger, and how to report a result. */
export interface CliContext {
  config: LedgerConfig;
  logger: Logger;
  json: boolean;
  /** True when progress bars and colours make sense. */
  interactive: boolean;
}

export function createCliContext(options: { json?: boolean; verbose?: boolean }): CliContext {
  const config = loadConfig();
  const json = Boolean(options.json);
  // Logs go to stderr so that `--json` output on stdout stays one parseable object.
  const logger = createLogger(options.verbose ? 'debug' : 'error', 'ledger-cli', 'stderr');
  return { config, logger, json, interactive: !json && Boolean(process.stderr.isTTY) };
}

/** Prints a command's result: one JSON object with --json, readable lines otherwise. */
export function printResult(context: Pick<CliContext, 'json'>, result: object, human: () => string): void {
  process.stdout.write(context.json ? `${JSON.stringify(result)}\n` : `${human()}\n`);
}

/** Turns any failure into a one-line message and a non-zero exit code. */
export function exitWithError(error: unknown, json: boolean): never {
  const message =
    error instanceof ConfigError || error instanceof DomainError || error instanceof Error ? error.message : String(error);
  const code = error instanceof ConfigError ? 'invalid_configuration' : error instanceof DomainError ? error.code : 'failed';
  if (json) process.stdout.write(`${JSON.stringify({ error: { code, message } })}\n`);
  else process.stderr.write(`ledger: ${message}\n`);
  process.exit(error instanceof ConfigError ? 2 : 1);
}
