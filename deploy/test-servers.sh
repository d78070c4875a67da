#!/usr/bin/env bash
# Starts the PostgreSQL and Redis servers the tests use, on loopback, in a folder of their own (no Docker, no system
# service): PostgreSQL on 127.0.0.1:55432 (superuser postgres, trust on loopback only), Redis on 127.0.0.1:56379.
#   deploy/test-servers.sh up       install what is missing (apt, as root; nginx and openssl too, which the tests behind
#                                   a proxy start themselves), start what is not running (idempotent)
#   deploy/test-servers.sh status   say what runs
#   deploy/test-servers.sh down     stop exactly these two servers
# The tests read TENANTPORTAL_TEST_POSTGRES / TENANTPORTAL_TEST_REDIS when set (a connection string each), else these.
set -euo pipefail

DIR="${TENANTPORTAL_TEST_SERVERS_DIR:-/tmp/tenantportal-test-servers}"
PG_PORT="${TENANTPORTAL_TEST_POSTGRES_PORT:-55432}"
REDIS_PORT="${TENANTPORTAL_TEST_REDIS_PORT:-56379}"
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"

install_missing() {
  local missing=()
  [ -n "$PG_BIN" ] && [ -x "$PG_BIN/initdb" ] || missing+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  # nginx (and openssl for its test certificate): the front door of the tests behind a TLS proxy and the scale-out tests.
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
  command -v openssl >/dev/null 2>&1 || missing+=(openssl)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "Missing: ${missing[*]}. Install them: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "Installing ${missing[*]} (apt-get)..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
}

# Runs a command as the postgres user when we are root (initdb and postgres refuse root), else as ourselves.
as_pg() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_running() { [ -n "$PG_BIN" ] && as_pg "$PG_BIN/pg_ctl" -D "$DIR/pg" status >/dev/null 2>&1; }
redis_running() { command -v redis-cli >/dev/null 2>&1 && redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; }

up() {
  install_missing
  mkdir -p "$DIR"
  if ! pg_running; then
    if [ ! -f "$DIR/pg/PG_VERSION" ]; then
      mkdir -p "$DIR/pg"
      [ "$(id -u)" = "0" ] && chown postgres:postgres "$DIR/pg"
      as_pg "$PG_BIN/initdb" -D "$DIR/pg" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
      # Loopback only; the tests create and drop many databases, so fsync is off (throw-away data).
      cat >> "$DIR/pg/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$DIR/pg'
max_connections = 400
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 256MB
CONF
    fi
    as_pg "$PG_BIN/pg_ctl" -D "$DIR/pg" -l "$DIR/pg/server.log" -w -t 60 start >/dev/null
  fi
  if ! redis_running; then
    mkdir -p "$DIR/redis"
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$DIR/redis" --save "" --appendonly no \
      --daemonize yes --pidfile "$DIR/redis/redis.pid" --logfile "$DIR/redis/redis.log"
    for _ in $(seq 1 50); do redis_running && break; sleep 0.1; done
  fi
  status
}

status() {
  if pg_running; then echo "postgresql: running on 127.0.0.1:$PG_PORT ($DIR/pg)"; else echo "postgresql: stopped"; fi
  if redis_running; then echo "redis: running on 127.0.0.1:$REDIS_PORT ($DIR/redis)"; else echo "redis: stopped"; fi
}

down() {
  if pg_running; then as_pg "$PG_BIN/pg_ctl" -D "$DIR/pg" -m fast -w stop >/dev/null; fi
  if [ -f "$DIR/redis/redis.pid" ] && kill -0 "$(cat "$DIR/redis/redis.pid")" 2>/dev/null; then
    kill "$(cat "$DIR/redis/redis.pid")"
  fi
  status
}

case "${1:-}" in
  up) up ;;
  status) status ;;
  down) down ;;
  *) echo "usage: $0 up|status|down" >&2; exit 2 ;;
esac
