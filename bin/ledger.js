#!/usr/bin/env node
// `npx ledger ...`: runs the compiled CLI, building it first on a fresh checkout.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'dist/apps/ledger-cli/src/main.js');
if (!existsSync(entry)) {
  process.stderr.write('[ledger] first run: compiling (npm run build)...\n');
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
}
await import(pathToFileURL(entry).href);
