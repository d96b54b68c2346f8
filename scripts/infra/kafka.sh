#!/usr/bin/env bash
# Local Apache Kafka broker for development and tests.
#
#   scripts/infra/kafka.sh up       start a single-node KRaft broker (idempotent)
#   scripts/infra/kafka.sh down     stop the broker this script started
#   scripts/infra/kafka.sh status   show whether a broker answers (exit 0 = yes)
#   scripts/infra/kafka.sh logs     tail the broker log (-f to follow)
#
# Where a Docker engine answers (`docker info`), the `kafka` service of the
# repo's docker-compose.yml is used. Otherwise the broker is assembled from
# Maven Central (no Kafka package exists in npm or Debian), cached under
# .cache/kafka/<version>/libs and run as a plain JVM process with its state
# under .run/kafka. See scripts/infra/README.md.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "${SCRIPT_DIR}/../.." && pwd)"

CACHE_ROOT="${LEDGER_CACHE_DIR:-${REPO_ROOT}/.cache}"
RUN_DIR="${REPO_ROOT}/.run/kafka"
DATA_DIR="${RUN_DIR}/data"
LOG_DIRS="${DATA_DIR}/logs"
PID_FILE="${RUN_DIR}/kafka.pid"
SERVER_LOG="${RUN_DIR}/server.log"
CONSOLE_LOG="${RUN_DIR}/console.log"
SERVER_PROPS="${RUN_DIR}/server.properties"
LOG4J_PROPS="${RUN_DIR}/log4j.properties"
TOOLS_LOG4J_PROPS="${RUN_DIR}/tools-log4j.properties"
CLUSTER_ID_FILE="${DATA_DIR}/cluster.id"
COMPOSE_FILE="${REPO_ROOT}/docker-compose.yml"

# Versions: an explicit LEDGER_KAFKA_VERSION is used as is; otherwise 3.9.1,
# falling back to 3.9.0 if Maven Central refuses 3.9.1.
KAFKA_VERSIONS="${LEDGER_KAFKA_VERSION:-3.9.1 3.9.0}"
SLF4J_VERSION="${LEDGER_SLF4J_VERSION:-1.7.36}"
DEPENDENCY_PLUGIN_VERSION="3.8.1"

START_TIMEOUT="${KAFKA_START_TIMEOUT:-120}"
STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xmx512m -Xms512m}"
KAFKA_JVM_PERFORMANCE_OPTS="${KAFKA_JVM_PERFORMANCE_OPTS:--server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true}"
# Short-lived CLI tools (format, readiness probe): small heap, fast start.
TOOL_JVM_OPTS=(-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true)
read -r -a BROKER_JVM_OPTS <<<"${KAFKA_HEAP_OPTS} ${KAFKA_JVM_PERFORMANCE_OPTS}"

# KAFKA_BROKERS (e.g. "127.0.0.1:9092,other:9092") only decides which address
# is probed; the first entry is used. The local broker listens on that port.
_first_broker="${KAFKA_BROKERS:-127.0.0.1:9092}"
_first_broker="${_first_broker%%,*}"
_first_broker="${_first_broker#*://}"
PROBE_HOST="${_first_broker%:*}"
PROBE_PORT="${_first_broker##*:}"
if [[ -z "${PROBE_HOST}" || "${PROBE_HOST}" == "${_first_broker}" ]]; then PROBE_HOST="127.0.0.1"; fi
if ! [[ "${PROBE_PORT}" =~ ^[0-9]+$ ]]; then PROBE_PORT=9092; fi
BOOTSTRAP="${PROBE_HOST}:${PROBE_PORT}"

log() { printf '[infra] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

now_ms() { date +%s%3N; }
elapsed_s() { # start_ms -> "12.3"
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

port_open() { # host port
  # shellcheck disable=SC2016 # expanded by the inner shell
  timeout 2 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" >/dev/null 2>&1
}

# ---------------------------------------------------------------- tools ----

apt_install() { # packages...
  if [[ "$(id -u)" -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
    return 1
  fi
  log "installing $* from Debian packages"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1; then
    apt-get update -qq >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1
  fi
}

ensure_java() {
  command -v java >/dev/null 2>&1 && return 0
  apt_install default-jre-headless || die "java not found (install a JRE 11+, e.g. apt-get install default-jre-headless)"
}

ensure_maven() {
  command -v mvn >/dev/null 2>&1 && return 0
  apt_install maven || die "mvn not found (install Maven, e.g. apt-get install maven)"
}

# ---------------------------------------------------------------- fetch ----

# Sets KAFKA_VERSION and LIBS_DIR to a complete cached copy, fetching it from
# Maven Central on first use.
KAFKA_VERSION=""
LIBS_DIR=""

# The marker holds a hash of the generated pom, so a changed dependency list
# (or a half-finished download, which has no marker) triggers a new fetch.
pom_hash() { pom_text "$1" | cksum | cut -d' ' -f1; }

cache_complete() { # version
  local dir="${CACHE_ROOT}/kafka/$1"
  [[ -d "${dir}/libs" && -f "${dir}/.complete" ]] || return 1
  [[ "$(head -n1 "${dir}/.complete")" == "$(pom_hash "$1")" ]]
}

pom_text() { # version
  local v="$1"
  cat <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<!-- Generated by scripts/infra/kafka.sh: only used to download the Kafka broker jars. -->
<project xmlns="http://maven.apache.org/POM/4.0.0"
         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 http://maven.apache.org/xsd/maven-4.0.0.xsd">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.ledger.infra</groupId>
  <artifactId>kafka-runtime</artifactId>
  <version>${v}</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.apache.kafka</groupId>
      <artifactId>kafka_2.13</artifactId>
      <version>${v}</version>
    </dependency>
    <!-- CLI classes (TopicCommand, ConsoleProducer, ...) live in kafka-tools. -->
    <dependency>
      <groupId>org.apache.kafka</groupId>
      <artifactId>kafka-tools</artifactId>
      <version>${v}</version>
      <exclusions>
        <!-- Only needed by the Connect plugin tool; drags in Jetty and Jersey. -->
        <exclusion>
          <groupId>org.apache.kafka</groupId>
          <artifactId>connect-runtime</artifactId>
        </exclusion>
      </exclusions>
    </dependency>
    <!-- The core artifact leaves the logging binding out. -->
    <dependency>
      <groupId>org.slf4j</groupId>
      <artifactId>slf4j-reload4j</artifactId>
      <version>${SLF4J_VERSION}</version>
    </dependency>
  </dependencies>
  <build>
    <pluginManagement>
      <plugins>
        <plugin>
          <groupId>org.apache.maven.plugins</groupId>
          <artifactId>maven-dependency-plugin</artifactId>
          <version>${DEPENDENCY_PLUGIN_VERSION}</version>
        </plugin>
      </plugins>
    </pluginManagement>
  </build>
</project>
EOF
}

fetch_version() { # version -> 0 on success
  local v="$1" dir="${CACHE_ROOT}/kafka/$1"
  mkdir -p "${dir}"
  rm -rf "${dir}/libs" "${dir}/libs.partial" "${dir}/.complete"
  pom_text "${v}" >"${dir}/pom.xml"
  log "fetching Kafka ${v} from Maven Central (first run only)"
  local t0; t0="$(now_ms)"
  if ! mvn -B -q -f "${dir}/pom.xml" dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="${dir}/libs.partial" \
      >"${dir}/fetch.log" 2>&1; then
    log "Maven could not fetch Kafka ${v} (see ${dir}/fetch.log):"
    tail -n 15 "${dir}/fetch.log" | sed 's/^/[infra]   /' >&2 || true
    rm -rf "${dir}/libs.partial"
    return 1
  fi
  if ! compgen -G "${dir}/libs.partial/kafka_2.13-${v}.jar" >/dev/null; then
    log "Maven finished but kafka_2.13-${v}.jar is missing"
    rm -rf "${dir}/libs.partial"
    return 1
  fi
  mv "${dir}/libs.partial" "${dir}/libs"
  { pom_hash "${v}"; date -u +%Y-%m-%dT%H:%M:%SZ; } >"${dir}/.complete"
  log "fetched Kafka ${v} ($(find "${dir}/libs" -name '*.jar' | wc -l) jars) in $(elapsed_s "${t0}") s"
}

ensure_kafka_libs() {
  use_cached_libs && return 0
  local v
  ensure_java
  ensure_maven
  mkdir -p "${CACHE_ROOT}/kafka"
  # Serialise concurrent fetches into the same cache.
  exec 8>"${CACHE_ROOT}/kafka/.fetch.lock"
  if command -v flock >/dev/null 2>&1; then flock 8; fi
  for v in ${KAFKA_VERSIONS}; do
    if cache_complete "${v}" || fetch_version "${v}"; then
      KAFKA_VERSION="${v}"; LIBS_DIR="${CACHE_ROOT}/kafka/${v}/libs"
      exec 8>&-
      return 0
    fi
  done
  exec 8>&-
  die "could not fetch any of Kafka ${KAFKA_VERSIONS} from Maven Central"
}

# ------------------------------------------------------------- configs ----

write_configs() {
  mkdir -p "${RUN_DIR}" "${LOG_DIRS}"
  cat >"${SERVER_PROPS}" <<EOF
# Generated by scripts/infra/kafka.sh whenever 'up' starts the broker; edit the script instead.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:${CONTROLLER_PORT}
listeners=PLAINTEXT://127.0.0.1:${PROBE_PORT},CONTROLLER://127.0.0.1:${CONTROLLER_PORT}
advertised.listeners=PLAINTEXT://127.0.0.1:${PROBE_PORT}
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=${LOG_DIRS}
num.partitions=4
default.replication.factor=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=4
auto.create.topics.enable=true
delete.topic.enable=true
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1
log.retention.hours=168
log.segment.bytes=104857600
EOF
  cat >"${LOG4J_PROPS}" <<EOF
# Generated by scripts/infra/kafka.sh: the broker logs to a file, not the console.
log4j.rootLogger=INFO, file
log4j.appender.file=org.apache.log4j.RollingFileAppender
log4j.appender.file.File=${SERVER_LOG}
log4j.appender.file.MaxFileSize=20MB
log4j.appender.file.MaxBackupIndex=3
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka=INFO
log4j.logger.org.apache.kafka=INFO
log4j.logger.kafka.request.logger=WARN
log4j.logger.kafka.log.LogCleaner=WARN
log4j.logger.state.change.logger=WARN
log4j.logger.kafka.authorizer.logger=WARN
log4j.logger.org.apache.zookeeper=WARN
EOF
  cat >"${TOOLS_LOG4J_PROPS}" <<'EOF'
# Generated by scripts/infra/kafka.sh: CLI tools only print warnings.
log4j.rootLogger=WARN, stderr
log4j.appender.stderr=org.apache.log4j.ConsoleAppender
log4j.appender.stderr.Target=System.err
log4j.appender.stderr.layout=org.apache.log4j.PatternLayout
log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n
EOF
}

# Runs a Kafka CLI class with the cached jars.
run_tool() { # class args...
  java "${TOOL_JVM_OPTS[@]}" -Dlog4j.configuration="file:${TOOLS_LOG4J_PROPS}" \
    -cp "${LIBS_DIR}/*" "$@"
}

ensure_formatted() {
  local cid=""
  if [[ -f "${LOG_DIRS}/meta.properties" ]]; then
    cid="$(sed -n 's/^cluster\.id=//p' "${LOG_DIRS}/meta.properties" | head -n1)"
    [[ -n "${cid}" ]] && { printf '%s\n' "${cid}" >"${CLUSTER_ID_FILE}"; return 0; }
  fi
  if [[ -s "${CLUSTER_ID_FILE}" ]]; then
    cid="$(tr -d '[:space:]' <"${CLUSTER_ID_FILE}")"
  else
    cid="$(run_tool kafka.tools.StorageTool random-uuid | tr -d '[:space:]')"
    [[ -n "${cid}" ]] || die "StorageTool random-uuid printed nothing"
    printf '%s\n' "${cid}" >"${CLUSTER_ID_FILE}"
  fi
  log "formatting Kafka storage in ${LOG_DIRS} (cluster id ${cid})"
  run_tool kafka.tools.StorageTool format -t "${cid}" -c "${SERVER_PROPS}" --ignore-formatted \
    >>"${CONSOLE_LOG}" 2>&1 || { tail -n 20 "${CONSOLE_LOG}" >&2; die "storage format failed"; }
}

# --------------------------------------------------------------- process ----

pid_alive() { # pid -> 0 if it is a running Kafka broker
  local pid="$1"
  [[ -n "${pid}" ]] && kill -0 "${pid}" 2>/dev/null || return 1
  # Guard against a recycled pid.
  tr '\0' ' ' <"/proc/${pid}/cmdline" 2>/dev/null | grep -q 'kafka\.Kafka'
}

read_pid() {
  if [[ -f "${PID_FILE}" ]]; then tr -d '[:space:]' <"${PID_FILE}" || true; fi
}

# Readiness: TCP port open AND a metadata request (topic listing) succeeds.
broker_answers() {
  port_open "${PROBE_HOST}" "${PROBE_PORT}" || return 1
  if [[ "${MODE}" == "docker" ]] && compose exec -T kafka /opt/kafka/bin/kafka-topics.sh \
      --bootstrap-server "127.0.0.1:9092" --list >/dev/null 2>&1; then
    return 0
  fi
  if [[ -n "${LIBS_DIR}" ]]; then
    timeout 30 java "${TOOL_JVM_OPTS[@]}" -Dlog4j.configuration="file:${TOOLS_LOG4J_PROPS}" \
      -cp "${LIBS_DIR}/*" org.apache.kafka.tools.TopicCommand \
      --bootstrap-server "${BOOTSTRAP}" --list >/dev/null 2>&1
  else
    # No jars to ask with: outside Docker an open port has to do.
    [[ "${MODE}" != "docker" ]]
  fi
}

# Sets KAFKA_VERSION / LIBS_DIR if a complete cache exists (never fetches).
use_cached_libs() {
  local v
  for v in ${KAFKA_VERSIONS}; do
    if cache_complete "${v}"; then
      KAFKA_VERSION="${v}"; LIBS_DIR="${CACHE_ROOT}/kafka/${v}/libs"; return 0
    fi
  done
  return 1
}

print_log_tail() {
  if [[ "${MODE}" == "docker" ]]; then
    compose logs --tail 40 kafka >&2 || true
    return
  fi
  # JVM-level errors (bad options, out of memory) land in the console log.
  if [[ -s "${CONSOLE_LOG}" ]]; then
    log "--- last lines of ${CONSOLE_LOG} ---"
    tail -n 20 "${CONSOLE_LOG}" >&2
  fi
  # Only what this start wrote to server.log (it is appended across runs).
  if (( $(stat -c %s "${SERVER_LOG}" 2>/dev/null || echo 0) > SERVER_LOG_START )); then
    log "--- last lines of ${SERVER_LOG} ---"
    tail -c +"$(( SERVER_LOG_START + 1 ))" "${SERVER_LOG}" | tail -n 30 >&2
  fi
}

wait_ready() { # start_ms pid(optional)
  local t0="$1" pid="${2:-}" deadline=$(( $(date +%s) + START_TIMEOUT ))
  while (( $(date +%s) < deadline )); do
    if [[ -n "${pid}" ]] && ! pid_alive "${pid}"; then
      log "Kafka broker (pid ${pid}) exited during startup"
      print_log_tail
      rm -f "${PID_FILE}"
      exit 1
    fi
    if broker_answers; then
      log "Kafka broker ready on ${BOOTSTRAP} after $(elapsed_s "${t0}") s"
      return 0
    fi
    sleep 1
  done
  log "Kafka broker did not answer on ${BOOTSTRAP} within ${START_TIMEOUT} s"
  print_log_tail
  if [[ -n "${pid}" ]]; then
    log "the broker (pid ${pid}) was left running; '$0 down' stops it"
  fi
  exit 1
}

# ------------------------------------------------------------- commands ----

SERVER_LOG_START=0 # byte offset of server.log when this 'up' started the broker
MODE="local"
if docker_available; then MODE="docker"; fi

cmd_up() {
  if [[ "${MODE}" == "docker" ]]; then
    use_cached_libs || true
    if broker_answers; then
      log "Kafka already answers on ${BOOTSTRAP}; nothing to do"; return 0
    fi
    log "starting Kafka with docker compose (service kafka)"
    local t0; t0="$(now_ms)"
    compose up -d kafka >&2
    wait_ready "${t0}"
    return 0
  fi

  ensure_java
  ensure_kafka_libs
  [[ -f "${TOOLS_LOG4J_PROPS}" ]] || write_configs

  local pid; pid="$(read_pid)"
  if [[ -n "${pid}" ]] && pid_alive "${pid}"; then
    if broker_answers; then
      log "Kafka ${KAFKA_VERSION} already running (pid ${pid}) on ${BOOTSTRAP}; nothing to do"
      return 0
    fi
    log "Kafka (pid ${pid}) is starting; waiting for it"
    wait_ready "$(now_ms)" "${pid}"
    return 0
  fi
  rm -f "${PID_FILE}"

  if port_open "${PROBE_HOST}" "${PROBE_PORT}"; then
    if broker_answers; then
      log "a Kafka broker not started by this script already answers on ${BOOTSTRAP}; using it"
      return 0
    fi
    die "port ${PROBE_PORT} on ${PROBE_HOST} is taken by something that is not a Kafka broker"
  fi
  if port_open 127.0.0.1 "${CONTROLLER_PORT}"; then
    die "controller port 127.0.0.1:${CONTROLLER_PORT} is already in use (set KAFKA_CONTROLLER_PORT)"
  fi
  case "${PROBE_HOST}" in
    127.0.0.1|localhost) ;;
    *) log "warning: KAFKA_BROKERS points at ${BOOTSTRAP}; the local broker binds 127.0.0.1:${PROBE_PORT}" ;;
  esac

  local t0; t0="$(now_ms)"
  write_configs
  ensure_formatted

  log "starting Kafka ${KAFKA_VERSION} (KRaft, heap ${KAFKA_HEAP_OPTS}); log: ${SERVER_LOG#"${REPO_ROOT}"/}"
  : >"${CONSOLE_LOG}"
  SERVER_LOG_START="$(stat -c %s "${SERVER_LOG}" 2>/dev/null || echo 0)"
  # setsid: own session, so the broker outlives the calling shell/terminal.
  # The inner shell writes its own pid and then exec's java, so the pid file
  # names the JVM itself.
  # shellcheck disable=SC2016 # expanded by the inner shell
  setsid nohup bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "${PID_FILE}" \
    java "${BROKER_JVM_OPTS[@]}" \
    -Dlog4j.configuration="file:${LOG4J_PROPS}" -Dkafka.logs.dir="${RUN_DIR}" \
    -cp "${LIBS_DIR}/*" kafka.Kafka "${SERVER_PROPS}" \
    >>"${CONSOLE_LOG}" 2>&1 </dev/null &
  local tries=0
  pid=""
  while [[ -z "${pid}" ]] && (( tries < 50 )); do
    sleep 0.1; tries=$(( tries + 1 )); pid="$(read_pid)"
  done
  [[ -n "${pid}" ]] || { print_log_tail; die "broker process did not start"; }
  wait_ready "${t0}" "${pid}"
}

cmd_down() {
  if [[ "${MODE}" == "docker" ]]; then
    log "stopping docker compose service kafka (data kept in its volume)"
    compose stop kafka >&2
    return 0
  fi
  local pid; pid="$(read_pid)"
  if [[ -z "${pid}" ]] || ! pid_alive "${pid}"; then
    rm -f "${PID_FILE}"
    log "Kafka is not running (no live pid in ${PID_FILE#"${REPO_ROOT}"/}); nothing to stop"
    return 0
  fi
  log "stopping Kafka (pid ${pid})"
  kill -TERM "${pid}" 2>/dev/null || true
  local waited=0
  while pid_alive "${pid}" && (( waited < STOP_TIMEOUT * 10 )); do
    sleep 0.1; waited=$(( waited + 1 ))
  done
  if pid_alive "${pid}"; then
    log "Kafka did not stop within ${STOP_TIMEOUT} s; killing it"
    kill -KILL "${pid}" 2>/dev/null || true
    sleep 0.5
  fi
  rm -f "${PID_FILE}"
  log "Kafka stopped after $(( waited / 10 )).$(( waited % 10 )) s"
}

cmd_status() {
  if [[ "${MODE}" == "docker" ]]; then
    compose ps kafka >&2 || true
  else
    use_cached_libs || true
    local pid; pid="$(read_pid)"
    if [[ -n "${pid}" ]] && pid_alive "${pid}"; then
      log "Kafka ${KAFKA_VERSION:-?} process running (pid ${pid}), log ${SERVER_LOG#"${REPO_ROOT}"/}"
    else
      log "no Kafka process started by this script"
    fi
    [[ -f "${TOOLS_LOG4J_PROPS}" ]] || TOOLS_LOG4J_PROPS=/dev/null
  fi
  if broker_answers; then
    log "Kafka answers on ${BOOTSTRAP} (${MODE})"
    return 0
  fi
  log "Kafka does not answer on ${BOOTSTRAP}"
  return 1
}

cmd_logs() {
  if [[ "${MODE}" == "docker" ]]; then
    compose logs --tail "${LINES:-200}" "$@" kafka
    return
  fi
  [[ -f "${SERVER_LOG}" ]] || die "no log yet at ${SERVER_LOG}"
  if [[ "${1:-}" == "-f" || "${1:-}" == "--follow" ]]; then
    exec tail -n "${LINES:-200}" -F "${SERVER_LOG}"
  fi
  tail -n "${LINES:-200}" "${SERVER_LOG}"
}

usage() {
  echo "usage: $(basename "$0") up|down|status|logs [-f]" >&2
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  logs) shift; cmd_logs "$@" ;;
  -h|--help|help) usage ;;
  *) usage; exit 2 ;;
esac
