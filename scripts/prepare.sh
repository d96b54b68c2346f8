#!/usr/bin/env bash
# Shared by `npm test` and `npm run demo`: everything a fresh clone needs before it runs.
#   - node modules (npm ci, only when package-lock.json changed since the last install)
#   - the compiled service and CLI (dist/)
#   - Postgres and a real Kafka broker (scripts/infra)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${ROOT}"

say() { printf '[prepare] %s\n' "$*" >&2; }

node_major="$(node -p 'process.versions.node.split(".")[0]')"
node_minor="$(node -p 'process.versions.node.split(".")[1]')"
if (( node_major < 20 || (node_major == 20 && node_minor < 19) )); then
  say "Node.js >= 20.19 is required (found $(node --version))"
  exit 1
fi

if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  say "installing node modules (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi

say "compiling TypeScript"
npm run --silent build

bash scripts/infra/infra.sh up
