#!/usr/bin/env bash
# Brings the whole local infrastructure (Postgres + Kafka) up or down.
#
#   scripts/infra/infra.sh up      # npm run infra:up
#   scripts/infra/infra.sh down    # npm run infra:down
#   scripts/infra/infra.sh status  # exit 0 only when both answer
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

log() { printf '[infra] %s\n' "$*" >&2; }

case "${1:-}" in
  up)
    bash "${SCRIPT_DIR}/postgres.sh" up
    bash "${SCRIPT_DIR}/kafka.sh" up
    log "infrastructure is up"
    ;;
  down)
    rc=0
    bash "${SCRIPT_DIR}/kafka.sh" down || rc=$?
    bash "${SCRIPT_DIR}/postgres.sh" down || rc=$?
    exit "${rc}"
    ;;
  status)
    rc=0
    bash "${SCRIPT_DIR}/postgres.sh" status || rc=1
    bash "${SCRIPT_DIR}/kafka.sh" status || rc=1
    exit "${rc}"
    ;;
  *)
    echo "usage: $(basename "$0") up|down|status" >&2
    exit 2
    ;;
esac
