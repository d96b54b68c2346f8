#!/usr/bin/env bash
# `npm test`: installs what it needs, starts Postgres and Kafka, then runs every tier:
# unit (*.spec.ts), integration (*.int-spec.ts) and end-to-end (*.e2e-spec.ts), against the
# real services. Extra arguments go to Vitest (e.g. `npm test -- --project unit`).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${ROOT}"

kafka_was_running=0
bash scripts/infra/kafka.sh status >/dev/null 2>&1 && kafka_was_running=1

bash scripts/prepare.sh

# A broker this run started is stopped again afterwards; one that was already up is left alone.
if [[ "${kafka_was_running}" == 0 && "${LEDGER_KEEP_INFRA:-0}" != 1 ]]; then
  trap 'bash scripts/infra/kafka.sh down >/dev/null 2>&1 || true' EXIT
fi

echo "[test] type-checking tests"
npx tsc -p tsconfig.json --noEmit

echo "[test] running tests"
npx vitest run "$@"
