#!/usr/bin/env bash
# Runs binlog-bridge's main job on this machine: relay-server (with its embedded single-node Kafka)
# and the replayer serving the relayed binlog on a MySQL port.
#
# Without --source-host it first starts a scratch MariaDB source (installing Debian's mariadb-server
# if missing) with a small write load, so the whole chain can be tried on a fresh machine.
#
#   bash scripts/run-local.sh [--source-host H --source-port P --source-user U --source-password-file F]
#                             [--server-id N] [--topic T] [--replayer-port P] [--kafka-port P] [--data-dir D]
#
# Ctrl-C stops everything it started. Data (Kafka log, scratch source) stays under --data-dir.
set -euo pipefail
cd "$(dirname "$0")/.."

SOURCE_HOST="" SOURCE_PORT=3306 SOURCE_USER="" SOURCE_PASSWORD_FILE=""
SERVER_ID=4201 TOPIC=local.binlog REPLAYER_PORT=3307 KAFKA_PORT=9092 DATA_DIR="$PWD/data/run-local"
while [ $# -gt 0 ]; do
  case "$1" in
    --source-host) SOURCE_HOST="$2"; shift 2 ;;
    --source-port) SOURCE_PORT="$2"; shift 2 ;;
    --source-user) SOURCE_USER="$2"; shift 2 ;;
    --source-password-file) SOURCE_PASSWORD_FILE="$2"; shift 2 ;;
    --server-id) SERVER_ID="$2"; shift 2 ;;
    --topic) TOPIC="$2"; shift 2 ;;
    --replayer-port) REPLAYER_PORT="$2"; shift 2 ;;
    --kafka-port) KAFKA_PORT="$2"; shift 2 ;;
    --data-dir) DATA_DIR="$2"; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "run-local: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

log() { printf '[run-local] %s\n' "$*"; }
PIDS=()
STOPPING=0
# Newest first (replayer, relay, load, source), each given 30 s to stop cleanly before it is killed.
cleanup() {
  [ "$STOPPING" -eq 1 ] && return
  STOPPING=1
  for (( i=${#PIDS[@]}-1; i>=0; i-- )); do
    pid="${PIDS[$i]}"
    kill "$pid" 2>/dev/null || continue
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
  done
  log "stopped everything it started; data stays in $DATA_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_port() {  # host port seconds what
  for _ in $(seq 1 $(( $3 * 5 ))); do
    if (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  echo "run-local: $4 did not open $1:$2 in $3 s" >&2; exit 1
}

# Build (no tests) when a jar is missing or older than the sources: a second run starts at once.
stale() {
  [ ! -f "$1" ] || [ -n "$(find . -path ./data -prune -o \( -name '*.java' -o -name 'pom.xml' -o -name '*.avsc' \) -newer "$1" -print -quit)" ]
}
if stale relay-server/target/relay-server.jar || stale replayer/target/replayer.jar; then
  command -v mvn >/dev/null 2>&1 && command -v java >/dev/null 2>&1 || bash scripts/install-packages.sh libaio1
  log "building the jars (mvn -DskipTests package: no tests; output in $DATA_DIR/build.log)"
  mkdir -p "$DATA_DIR"
  if ! mvn -B -ntp -DskipTests package > "$DATA_DIR/build.log" 2>&1; then
    tail -40 "$DATA_DIR/build.log" >&2
    echo "run-local: the build failed (whole output in $DATA_DIR/build.log)" >&2
    exit 1
  fi
fi
mkdir -p "$DATA_DIR"

if [ -z "$SOURCE_HOST" ]; then
  if ! command -v mariadbd >/dev/null 2>&1 || ! command -v mariadb-install-db >/dev/null 2>&1; then
    log "installing Debian's mariadb-server and mariadb-client for a scratch source"
    bash scripts/install-packages.sh mariadb-server mariadb-client
  fi
  SRC="$DATA_DIR/source"
  SOURCE_HOST=127.0.0.1 SOURCE_PORT=3406 SOURCE_USER=repl SOURCE_PASSWORD_FILE="$DATA_DIR/source-password"
  printf 'repl-pass\n' > "$SOURCE_PASSWORD_FILE"
  if [ ! -d "$SRC/mysql" ]; then
    log "initializing a scratch MariaDB source in $SRC"
    mariadb-install-db --no-defaults --datadir="$SRC" --user="$(id -un)" --auth-root-authentication-method=normal --skip-test-db >/dev/null
  fi
  mariadbd --no-defaults --datadir="$SRC" --port=$SOURCE_PORT --bind-address=127.0.0.1 --socket="$DATA_DIR/source.sock" \
    --user="$(id -un)" --log-bin=binlog --server-id=1 --binlog-format=ROW --pid-file="$DATA_DIR/source.pid" \
    --log-error="$DATA_DIR/source.err" &
  PIDS+=($!)
  wait_port 127.0.0.1 $SOURCE_PORT 60 "the scratch MariaDB source"
  mariadb --socket="$DATA_DIR/source.sock" -uroot -e "
    CREATE USER IF NOT EXISTS 'repl'@'%' IDENTIFIED BY 'repl-pass';
    GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'repl'@'%';
    CREATE DATABASE IF NOT EXISTS demo;
    CREATE TABLE IF NOT EXISTS demo.ticks (id BIGINT AUTO_INCREMENT PRIMARY KEY, at TIMESTAMP(6) DEFAULT CURRENT_TIMESTAMP(6));"
  ( while sleep 1; do mariadb --socket="$DATA_DIR/source.sock" -uroot -e "INSERT INTO demo.ticks () VALUES ()" 2>/dev/null || exit 0; done ) &
  PIDS+=($!)
  log "scratch source: MariaDB on 127.0.0.1:$SOURCE_PORT, one insert into demo.ticks a second"
fi
if [ -z "$SOURCE_USER" ]; then
  echo "run-local: --source-user is required with --source-host" >&2; exit 2
fi

RELAY_ARGS=(--source-host "$SOURCE_HOST" --source-port "$SOURCE_PORT" --source-user "$SOURCE_USER"
  --server-id "$SERVER_ID" --topic "$TOPIC" --data-dir "$DATA_DIR/relay" --embedded-kafka-port "$KAFKA_PORT")
if [ -n "$SOURCE_PASSWORD_FILE" ]; then RELAY_ARGS+=(--source-password-file "$SOURCE_PASSWORD_FILE"); fi
log "starting relay-server (embedded Kafka on 127.0.0.1:$KAFKA_PORT, topic $TOPIC)"
java -jar relay-server/target/relay-server.jar "${RELAY_ARGS[@]}" &
PIDS+=($!)
wait_port 127.0.0.1 "$KAFKA_PORT" 120 "the relay's embedded Kafka"

# The users file holds a hash, as in production (mysql_native_password's: MariaDB clients and MySQL 8 clients both log in with it).
printf 'replica-pass\n' | java -jar replayer/target/replayer.jar user add replica --auth-plugin mysql_native_password \
  > "$DATA_DIR/replayer-users"
log "starting the replayer on 127.0.0.1:$REPLAYER_PORT"
java -jar replayer/target/replayer.jar --kafka-bootstrap "127.0.0.1:$KAFKA_PORT" --topic "$TOPIC" \
  --port "$REPLAYER_PORT" --users-file "$DATA_DIR/replayer-users" &
PIDS+=($!)
wait_port 127.0.0.1 "$REPLAYER_PORT" 60 "the replayer"

cat <<MSG
[run-local] running. Replicate from the replayer as from the source:
  mariadb-binlog --read-from-remote-server --host=127.0.0.1 --port=$REPLAYER_PORT --user=replica --password=replica-pass --to-last-log binlog.000001
  CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=$REPLAYER_PORT, MASTER_USER='replica', MASTER_PASSWORD='replica-pass', MASTER_USE_GTID=slave_pos;   (MariaDB replica)
  CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=$REPLAYER_PORT, MASTER_USER='replica', MASTER_PASSWORD='replica-pass', MASTER_AUTO_POSITION=1;  (MySQL replica of a MySQL source)
[run-local] Ctrl-C stops everything.
MSG
wait -n "${PIDS[@]}" || true
log "a process exited; stopping the rest"
