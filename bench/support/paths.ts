import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, found by walking up to the package.json whatever the compiled depth. */
function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'libs'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the repository root above the benchmark scripts');
    dir = parent;
  }
}

export const REPO_ROOT = findRoot();
export const DIST = resolve(REPO_ROOT, 'dist');
export const SERVICE_MAIN = resolve(DIST, 'apps/ledger-service/src/main.js');
export const CLI_MAIN = resolve(DIST, 'apps/ledger-cli/src/main.js');
export const RAW_CONSUMER_MAIN = resolve(DIST, 'bench/raw-copy-consumer.js');
export const RESULTS_DIR = resolve(REPO_ROOT, 'bench/results');
export const EMMETT_DIR = resolve(REPO_ROOT, 'bench/peers/emmett');
