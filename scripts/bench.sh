#!/usr/bin/env bash
# `npm run bench [-- --size small|medium|large] [-- --only ingest,query] [-- --runs N] [-- --profile]`:
# prepares the machine like `npm run demo` (node modules, compiled dist/, Postgres and Kafka),
# then runs the DESIGN 10 benchmarks (see docs/benchmarks.md). Results: bench/results/*.json.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${ROOT}"

bash scripts/prepare.sh
exec node dist/bench/run-benchmarks.js "$@"
