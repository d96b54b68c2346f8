import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { EMMETT_DIR } from './paths.js';

const run = promisify(execFile);

export const EMMETT_APPENDER = join(EMMETT_DIR, 'emmett-appender.mjs');

/**
 * Emmett's PostgreSQL store lives in its own folder (bench/peers/emmett) because its peer
 * dependencies conflict with the root package's; it is installed there on first use, from
 * its lock file, and never into the root node_modules.
 */
export async function ensureEmmettInstalled(log: (message: string) => void): Promise<string> {
  const marker = join(EMMETT_DIR, 'node_modules/@event-driven-io/emmett-postgresql/package.json');
  if (!existsSync(marker)) {
    const useLock = existsSync(join(EMMETT_DIR, 'package-lock.json'));
    log(`installing Emmett for the peer benchmark (npm ${useLock ? 'ci' : 'install'} --prefix bench/peers/emmett)`);
    await run('npm', [useLock ? 'ci' : 'install', '--prefix', EMMETT_DIR, '--no-audit', '--no-fund', '--loglevel=error'], {
      timeout: 300_000,
      maxBuffer: 16 * 1024 * 1024,
    });
  }
  return (JSON.parse(readFileSync(marker, 'utf8')) as { version: string }).version;
}
