#!/usr/bin/env bash
# A PostgreSQL server for the load harness's PostgreSQL figures, durable as production runs it: fsync, synchronous_commit
# and full_page_writes on (the tests' server from deploy/test-servers.sh runs with fsync off, which would make "durable
# before 202" untrue). Loopback only, trust auth, in a folder of its own; nothing else on the machine is touched.
#   deploy/bench-postgres.sh up       install postgresql with apt when missing (as root), initdb and start (idempotent)
#   deploy/bench-postgres.sh status   say whether it runs
#   deploy/bench-postgres.sh down     stop it and delete its folder
# Then: dotnet run -c Release --project TenantPortal.Benchmarks -- load --provider postgresql \
#         --postgres "Host=127.0.0.1;Port=55433;Username=postgres"
set -euo pipefail

DIR="${TENANTPORTAL_BENCH_POSTGRES_DIR:-/tmp/tenantportal-bench-postgres}"
PORT="${TENANTPORTAL_BENCH_POSTGRES_PORT:-55433}"
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"

install_missing() {
  [ -n "$PG_BIN" ] && [ -x "$PG_BIN/initdb" ] && return 0
  if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "PostgreSQL is missing. Install it: sudo apt-get install -y postgresql" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
}

# initdb and postgres refuse to run as root.
as_pg() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

running() { [ -n "$PG_BIN" ] && [ -f "$DIR/PG_VERSION" ] && as_pg "$PG_BIN/pg_ctl" -D "$DIR" status >/dev/null 2>&1; }

up() {
  install_missing
  if ! running; then
    if [ ! -f "$DIR/PG_VERSION" ]; then
      mkdir -p "$DIR"
      [ "$(id -u)" = "0" ] && chown postgres:postgres "$DIR"
      as_pg "$PG_BIN/initdb" -D "$DIR" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
      # Durability as shipped (fsync, synchronous_commit, full_page_writes: the defaults, stated so that nobody has to
      # guess); memory and checkpoint spacing sized for a bulk-ingest box rather than PostgreSQL's tiny defaults.
      cat >> "$DIR/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$DIR'
max_connections = 200
fsync = on
synchronous_commit = on
full_page_writes = on
wal_sync_method = fdatasync
shared_buffers = 1GB
max_wal_size = 8GB
checkpoint_timeout = 15min
CONF
    fi
    as_pg "$PG_BIN/pg_ctl" -D "$DIR" -l "$DIR/server.log" -w -t 60 start >/dev/null
  fi
  status
}

status() {
  if running; then
    echo "postgresql (benchmarks, fsync on): running on 127.0.0.1:$PORT ($DIR)"
  else
    echo "postgresql (benchmarks): stopped"
  fi
}

down() {
  if running; then as_pg "$PG_BIN/pg_ctl" -D "$DIR" -m fast -w stop >/dev/null; fi
  rm -rf "$DIR"
  status
}

case "${1:-}" in
  up) up ;;
  status) status ;;
  down) down ;;
  *) echo "usage: $0 up|status|down" >&2; exit 2 ;;
esac
