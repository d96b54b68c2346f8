#!/usr/bin/env bash
# Local PostgreSQL for development and tests.
#
#   scripts/infra/postgres.sh up       make sure Postgres accepts connections
#   scripts/infra/postgres.sh down     leaves the machine's shared Postgres alone
#   scripts/infra/postgres.sh status   exit 0 when Postgres accepts connections
#
# If Postgres already answers, nothing is done. Otherwise, where a Docker
# engine answers (`docker info`), the `postgres` service of the repo's
# docker-compose.yml is started; else the machine's own cluster is started
# with pg_ctlcluster. See scripts/infra/README.md.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "${SCRIPT_DIR}/../.." && pwd)"
COMPOSE_FILE="${REPO_ROOT}/docker-compose.yml"

PG_HOST="${PGHOST:-127.0.0.1}"
PG_PORT="${PGPORT:-5432}"
PG_TIMEOUT="${LEDGER_PG_TIMEOUT:-60}"

log() { printf '[infra] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

now_ms() { date +%s%3N; }
elapsed_s() {
  local d=$(( $(now_ms) - $1 ))
  printf '%d.%d' $(( d / 1000 )) $(( (d % 1000) / 100 ))
}

# Docker is used only when an engine answers AND a compose command exists.
COMPOSE_CMD=()
docker_available() {
  command -v docker >/dev/null 2>&1 && timeout 15 docker info >/dev/null 2>&1 || return 1
  if docker compose version >/dev/null 2>&1; then COMPOSE_CMD=(docker compose)
  elif command -v docker-compose >/dev/null 2>&1; then COMPOSE_CMD=(docker-compose)
  else
    log "a Docker engine answers but no 'docker compose' / docker-compose; not using Docker"
    return 1
  fi
}

compose() { "${COMPOSE_CMD[@]}" -f "${COMPOSE_FILE}" "$@"; }

pg_answers() {
  if command -v pg_isready >/dev/null 2>&1; then
    pg_isready -q -h "${PG_HOST}" -p "${PG_PORT}" -t 2
  else
    # No client tools: an open TCP port has to do.
    # shellcheck disable=SC2016 # expanded by the inner shell
    timeout 2 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "${PG_HOST}" "${PG_PORT}" >/dev/null 2>&1
  fi
}

wait_ready() { # start_ms
  local t0="$1" deadline=$(( $(date +%s) + PG_TIMEOUT ))
  while (( $(date +%s) < deadline )); do
    if pg_answers; then
      log "Postgres accepts connections on ${PG_HOST}:${PG_PORT} after $(elapsed_s "${t0}") s"
      return 0
    fi
    sleep 0.5
  done
  die "Postgres did not accept connections on ${PG_HOST}:${PG_PORT} within ${PG_TIMEOUT} s"
}

as_root() {
  if [[ "$(id -u)" -eq 0 ]]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo -n "$@"
  else "$@"
  fi
}

start_local_cluster() {
  command -v pg_ctlcluster >/dev/null 2>&1 \
    || die "no Postgres answers on ${PG_HOST}:${PG_PORT}, no Docker engine and no pg_ctlcluster (install Debian's postgresql)"
  local started=0 ver name port _rest
  # Clusters on the wanted port first (pg_lsclusters -h: ver cluster port status owner dir log).
  if command -v pg_lsclusters >/dev/null 2>&1; then
    while read -r ver name port _rest; do
      [[ "${port}" == "${PG_PORT}" ]] || continue
      log "starting Postgres cluster ${ver}/${name} (port ${port})"
      as_root pg_ctlcluster --skip-systemctl-redirect "${ver}" "${name}" start >&2 || true
      started=1
    done < <(pg_lsclusters -h 2>/dev/null || true)
  fi
  if (( started == 0 )) && [[ -d /etc/postgresql ]]; then
    for ver in /etc/postgresql/*/; do
      ver="$(basename "${ver}")"
      [[ -d "/etc/postgresql/${ver}/main" ]] || continue
      log "starting Postgres cluster ${ver}/main"
      as_root pg_ctlcluster --skip-systemctl-redirect "${ver}" main start >&2 || true
      started=1
    done
  fi
  (( started == 1 )) || die "no Postgres cluster found under /etc/postgresql"
}

cmd_up() {
  if pg_answers; then
    log "Postgres already accepts connections on ${PG_HOST}:${PG_PORT}; nothing to do"
    return 0
  fi
  local t0; t0="$(now_ms)"
  if docker_available; then
    log "starting Postgres with docker compose (service postgres)"
    compose up -d postgres >&2
  else
    start_local_cluster
  fi
  wait_ready "${t0}"
}

cmd_down() {
  if docker_available && [[ -n "$(compose ps -q postgres 2>/dev/null || true)" ]]; then
    log "stopping docker compose service postgres (data kept in its volume)"
    compose stop postgres >&2
    return 0
  fi
  log "leaving Postgres on ${PG_HOST}:${PG_PORT} running: it is the machine's shared server, not ours to stop"
}

cmd_status() {
  if pg_answers; then
    log "Postgres accepts connections on ${PG_HOST}:${PG_PORT}"
    return 0
  fi
  log "Postgres does not answer on ${PG_HOST}:${PG_PORT}"
  return 1
}

usage() { echo "usage: $(basename "$0") up|down|status" >&2; }

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  -h|--help|help) usage ;;
  *) usage; exit 2 ;;
esac
