#!/usr/bin/env bash
# `npm run demo [-- --exit] [-- --input PATH]`: installs what it needs, starts Postgres and
# Kafka, then runs `ledger demo` (see `npx ledger demo --help`).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${ROOT}"

bash scripts/prepare.sh
exec node bin/ledger.js demo "$@"
