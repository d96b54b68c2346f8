import type { LoggerService } from '@nestjs/common';
import { pino, type Logger } from 'pino';

/**
 * Structured JSON logging (pino) for every process role; one line per record on stdout, or
 * on stderr for the CLI, whose stdout carries its result (`--json` prints one object there).
 */
export function createLogger(level: string, name = 'ledger', stream: 'stdout' | 'stderr' = 'stdout'): Logger {
  const options = { name, level, base: { service: name }, timestamp: pino.stdTimeFunctions.isoTime };
  return stream === 'stderr' ? pino(options, pino.destination(2)) : pino(options);
}

/** Adapts pino to Nest's LoggerService so framework messages share the same JSON stream. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
}
