#!/usr/bin/env bash
# The production topology on one Debian machine, without Docker: PostgreSQL and Redis on loopback, the portal published
# once and migrated as the database owner, three portal instances (PostgreSql, Redis quota cache and rate limiter, demo
# data seeded once) and nginx in front with TLS, sticky sessions and WebSockets. Everything lives in one folder.
#   deploy/local-cluster.sh up       install what is missing (apt, as root), start what is not running, print the address
#   deploy/local-cluster.sh status   each part: pid, port, answering or not
#   deploy/local-cluster.sh down     stop exactly what `up` started (by its pid files), nothing else
# Folder: $TENANTPORTAL_CLUSTER_DIR (default /tmp/tenantportal-cluster). Ports (loopback): nginx 8443 (HTTPS), portals
# 5201-5203, PostgreSQL 55440, Redis 56390; each can be changed with the TENANTPORTAL_CLUSTER_*_PORT variables below.
# TENANTPORTAL_CLUSTER_SETTINGS adds or overrides portal settings, whitespace-separated Key__Name=value pairs
# (e.g. 'Stripe__SecretKey=sk_test_… Stripe__WebhookSecret=whsec_…'); they apply from the next `up` after a `down`.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${TENANTPORTAL_CLUSTER_DIR:-/tmp/tenantportal-cluster}"
HTTPS_PORT="${TENANTPORTAL_CLUSTER_HTTPS_PORT:-8443}"
PORTAL_PORTS=("${TENANTPORTAL_CLUSTER_PORTAL_PORT_1:-5201}" "${TENANTPORTAL_CLUSTER_PORTAL_PORT_2:-5202}" "${TENANTPORTAL_CLUSTER_PORTAL_PORT_3:-5203}")
PG_PORT="${TENANTPORTAL_CLUSTER_POSTGRES_PORT:-55440}"
REDIS_PORT="${TENANTPORTAL_CLUSTER_REDIS_PORT:-56390}"
PUBLIC_URL="https://localhost:$HTTPS_PORT"
NGINX_TEMPLATE="$REPO/deploy/nginx/tenantportal.conf.template"
DATABASE=tenantportal
OWNER_ROLE=tenantportal_owner
APP_ROLE=tenantportal_app
OPERATOR_EMAIL=operator@tenantportal.local
# The demo users' password: the portal's default (Demo:Password), printed by `up`.
DEMO_PASSWORD=Demo-Portal-2026
# Generous: a cold first start migrates, seeds 90 days of demo usage and JIT-compiles on a shared machine.
READY_TIMEOUT_SECONDS="${TENANTPORTAL_CLUSTER_READY_TIMEOUT:-300}"

PG_BIN="$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1 || true)"

say() { printf '%s\n' "$*"; }
fail() { printf 'local-cluster: %s\n' "$*" >&2; exit 1; }

install_missing() {
  local missing=()
  [ -n "$PG_BIN" ] && [ -x "$PG_BIN/initdb" ] || missing+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
  command -v openssl >/dev/null 2>&1 || missing+=(openssl)
  command -v envsubst >/dev/null 2>&1 || missing+=(gettext-base)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  command -v dotnet >/dev/null 2>&1 || fail "the .NET 10 SDK is not installed (README, Run it)."
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
    fail "missing: ${missing[*]}. Install them: sudo apt-get install -y ${missing[*]}"
  fi
  say "Installing ${missing[*]} (apt-get)..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  PG_BIN="$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d | sort -V | tail -n 1)"
  # The packages start system-wide services of their own; this cluster does not use them (nor stop them).
}

nginx_bin() { command -v nginx 2>/dev/null || echo /usr/sbin/nginx; }

# PostgreSQL refuses to run as root: as root its commands run as the postgres user.
as_pg() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# A pid file's process, when it is still running and is this cluster's: its command line or working directory names
# the cluster's folder (a stale pid file whose number now belongs to another process is not ours to report or stop).
pid_of() {
  local file="$1" pid cwd
  [ -f "$file" ] || return 1
  pid="$(head -n 1 "$file")"
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  cwd="$(readlink "/proc/$pid/cwd" 2>/dev/null || true)"
  if [[ "$cwd/" != "$DIR/"* ]] && ! tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$DIR/"; then
    return 1
  fi
  printf '%s\n' "$pid"
}

# A secret made once and kept in the folder (mode 600): passwords survive `down` and `up` with the data.
secret() {
  local file="$DIR/secrets/$1"
  if [ ! -s "$file" ]; then
    (umask 077 && openssl rand -hex 24 >"$file")
  fi
  cat "$file"
}

psql_admin() {
  as_pg "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$DIR/postgresql" -p "$PG_PORT" -U postgres "$@"
}

pg_answers() { [ -n "$PG_BIN" ] && as_pg "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" 2>/dev/null; }
redis_answers() { REDISCLI_AUTH="$(cat "$DIR/secrets/redis.password" 2>/dev/null)" redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; }
http_answers() { curl -fsS -o /dev/null --max-time 5 "$@" 2>/dev/null; }
portal_answers() { http_answers "http://127.0.0.1:${PORTAL_PORTS[$(($1 - 1))]}/health/ready"; }
nginx_answers() { http_answers --cacert "$DIR/nginx/tls.crt" "$PUBLIC_URL/health/ready"; }

start_postgresql() {
  if pid_of "$DIR/postgresql.pid" >/dev/null; then return 0; fi
  if [ ! -f "$DIR/postgresql/PG_VERSION" ]; then
    mkdir -p "$DIR/postgresql"
    [ "$(id -u)" = "0" ] && chown postgres:postgres "$DIR/postgresql"
    chmod 700 "$DIR/postgresql"
    # The superuser connects only through the folder's socket; every TCP login (loopback only) needs its password.
    as_pg "$PG_BIN/initdb" -D "$DIR/postgresql" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
      --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    cat >>"$DIR/postgresql/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$DIR/postgresql'
max_connections = 300
shared_buffers = 256MB
password_encryption = scram-sha-256
CONF
  fi
  say "Starting PostgreSQL on 127.0.0.1:$PG_PORT..."
  touch "$DIR/postgresql.log"
  [ "$(id -u)" = "0" ] && chown postgres:postgres "$DIR/postgresql.log"
  as_pg "$PG_BIN/pg_ctl" -D "$DIR/postgresql" -l "$DIR/postgresql.log" -w -t 60 start >/dev/null
  head -n 1 "$DIR/postgresql/postmaster.pid" >"$DIR/postgresql.pid"
}

# Two roles (deploy/postgres/roles.sql, which docker-compose.yml's postgres service runs too): the owner owns the
# database and its schemas and runs the migrations; the portal's role owns nothing, cannot bypass row-level security
# and may only read and write rows (and use sequences) of what the owner creates.
prepare_database() {
  psql_admin -d postgres -v db="$DATABASE" -v owner="$OWNER_ROLE" -v app="$APP_ROLE" \
    -v owner_password="$(secret postgres-owner.password)" -v app_password="$(secret postgres-app.password)" \
    <"$REPO/deploy/postgres/roles.sql" >/dev/null
}

start_redis() {
  if pid_of "$DIR/redis.pid" >/dev/null; then return 0; fi
  local password
  password="$(secret redis.password)"
  mkdir -p "$DIR/redis"
  say "Starting Redis on 127.0.0.1:$REDIS_PORT..."
  # The password goes in through a config file (mode 600), not the command line that `ps` shows.
  (umask 077 && printf 'requirepass %s\n' "$password" >"$DIR/redis/redis.conf")
  redis-server "$DIR/redis/redis.conf" --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$DIR/redis" \
    --appendonly yes --daemonize yes --pidfile "$DIR/redis.pid" --logfile "$DIR/redis.log"
  for _ in $(seq 1 100); do redis_answers && return 0; sleep 0.1; done
  fail "Redis did not answer on 127.0.0.1:$REDIS_PORT; see $DIR/redis.log"
}

# The portal published once into the folder; again only when a source file is newer than the last publish.
publish_portal() {
  local stamp="$DIR/app/.published" i
  if [ -f "$stamp" ] && [ -z "$(find "$REPO/TenantPortal.Web" "$REPO/TenantPortal.Data" "$REPO/TenantPortal.Core" \
      "$REPO/Directory.Build.props" "$REPO/Directory.Packages.props" \
      \( -path '*/bin' -o -path '*/obj' -o -path '*/App_Data' \) -prune -o -type f -newer "$stamp" -print -quit)" ]; then
    return 0
  fi
  # Never overwrite the files of a running portal.
  for i in 1 2 3; do
    if pid_of "$DIR/portal-$i.pid" >/dev/null; then
      if [ -f "$stamp" ]; then
        say "The sources changed, but portal #$i is running: it keeps the published build ('$0 down', then up, to publish)."
        return 0
      fi
      fail "portal #$i runs without a finished publish; run '$0 down' first"
    fi
  done
  say "Publishing the portal to $DIR/app (dotnet publish, a few minutes the first time)..."
  dotnet publish "$REPO/TenantPortal.Web" -c Release -o "$DIR/app" -nologo -v quiet >"$DIR/publish.log" 2>&1 \
    || fail "dotnet publish failed; see $DIR/publish.log"
  touch "$stamp"
}

# The certificate that encrypts the Data Protection keys in the database, made once (README, Data Protection keys).
make_data_protection_certificate() {
  [ -s "$DIR/secrets/dataprotection.pfx" ] && return 0
  local password
  password="$(secret dataprotection.password)"
  openssl req -x509 -newkey rsa:3072 -sha256 -days 730 -subj "/CN=TenantPortal Data Protection" -nodes \
    -keyout "$DIR/secrets/dataprotection.key" -out "$DIR/secrets/dataprotection.crt" 2>/dev/null
  DP_PASSWORD="$password" openssl pkcs12 -export -in "$DIR/secrets/dataprotection.crt" -inkey "$DIR/secrets/dataprotection.key" \
    -out "$DIR/secrets/dataprotection.pfx" -passout env:DP_PASSWORD
  rm -f "$DIR/secrets/dataprotection.key" "$DIR/secrets/dataprotection.crt"
  chmod 600 "$DIR/secrets/dataprotection.pfx"
}

connection_string() {
  printf 'Host=127.0.0.1;Port=%s;Database=%s;Username=%s;Password=%s' "$PG_PORT" "$DATABASE" "$1" "$2"
}

# The portal's settings, the same names as docker-compose.yml's portal services (a test keeps the two in step).
# $3 is the database login: the portal's role (the instances) or the owner (the migrations).
portal_settings() {
  local port="$1" seed="$2" login="${3:-$APP_ROLE}" login_password
  if [ "$login" = "$OWNER_ROLE" ]; then
    login_password="$(secret postgres-owner.password)"
  else
    login_password="$(secret postgres-app.password)"
  fi
  local settings=(
    "ASPNETCORE_ENVIRONMENT=Production"
    "ASPNETCORE_URLS=http://127.0.0.1:$port"
    "Database__Provider=PostgreSql"
    "Database__AutoMigrate=false"
    "ConnectionStrings__Portal=$(connection_string "$login" "$login_password")"
    "Hangfire__Storage=PostgreSql"
    "Redis__Configuration=127.0.0.1:$REDIS_PORT,password=$(secret redis.password),abortConnect=false"
    "Metering__QuotaCache=Redis"
    "RateLimiting__Store=Redis"
    "Portal__PublicUrl=$PUBLIC_URL"
    "ForwardedHeaders__KnownProxies__0=127.0.0.1"
    "Operator__Email=$OPERATOR_EMAIL"
    "Operator__Password=$(operator_password)"
    "Demo__Seed=$seed"
    "Email__PickupDirectory=$DIR/mail"
    "DataProtection__Certificate__Path=$DIR/secrets/dataprotection.pfx"
    "DataProtection__Certificate__Password=$(secret dataprotection.password)"
  )
  printf '%s\n' "${settings[@]}"
  local extra
  for extra in ${TENANTPORTAL_CLUSTER_SETTINGS:-}; do printf '%s\n' "$extra"; done
}

# The operator's password: made once, 48 hex characters (the password rules accept it; README, Accounts).
operator_password() { secret operator.password; }

# The environment a portal process gets: exactly these settings, plus our PATH, HOME and DOTNET_* (nothing else leaks in).
portal_environment() {
  local name
  for name in PATH HOME DOTNET_ROOT DOTNET_CLI_HOME; do
    [ -n "${!name:-}" ] && printf '%s\n' "$name=${!name}"
  done
  printf '%s\n' "DOTNET_NOLOGO=1" "DOTNET_CLI_TELEMETRY_OPTOUT=1"
  portal_settings "$@"
}

migrate() {
  say "Applying the migrations as $OWNER_ROLE..."
  local -a environment
  # The same settings as an instance's, with the owner's login instead of the portal's.
  mapfile -t environment < <(portal_environment "${PORTAL_PORTS[0]}" false "$OWNER_ROLE")
  (cd "$DIR/app" && exec env -i "${environment[@]}" dotnet "$DIR/app/TenantPortal.Web.dll" --migrate-only) \
    </dev/null >"$DIR/migrate.log" 2>&1 || fail "the migrations failed; see $DIR/migrate.log"
}

start_portal() {
  local instance="$1" seed="$2" port="${PORTAL_PORTS[$(($1 - 1))]}" pid_file="$DIR/portal-$1.pid"
  if pid_of "$pid_file" >/dev/null; then return 0; fi
  say "Starting portal #$instance on 127.0.0.1:$port${3:+ ($3)}..."
  local -a environment
  mapfile -t environment < <(portal_environment "$port" "$seed")
  # The subshell becomes env, then setsid, then dotnet (each execs the next), so $! is the portal's own pid; setsid
  # lets it outlive this script and the terminal.
  (cd "$DIR/app" && exec env -i "${environment[@]}" setsid dotnet "$DIR/app/TenantPortal.Web.dll") \
    </dev/null >>"$DIR/portal-$instance.log" 2>&1 &
  echo $! >"$pid_file"
}

wait_until() {
  local what="$1" log="$2" pid_file="$3"
  shift 3
  local deadline=$((SECONDS + READY_TIMEOUT_SECONDS))
  until "$@"; do
    if [ -n "$pid_file" ] && ! pid_of "$pid_file" >/dev/null; then
      tail -n 20 "$log" >&2 || true
      fail "$what stopped before it was ready; see $log"
    fi
    [ $SECONDS -lt $deadline ] || fail "$what was not ready after ${READY_TIMEOUT_SECONDS}s; see $log"
    sleep 1
  done
}

# A self-signed certificate for the HTTPS address, made on the fly (kept: browsers that accepted it keep working).
make_tls_certificate() {
  [ -s "$DIR/nginx/tls.crt" ] && [ -s "$DIR/nginx/tls.key" ] && return 0
  (umask 077 && openssl req -x509 -nodes -newkey rsa:2048 -sha256 -days 365 -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -keyout "$DIR/nginx/tls.key" -out "$DIR/nginx/tls.crt" 2>/dev/null)
  chmod 644 "$DIR/nginx/tls.crt"
}

start_nginx() {
  if pid_of "$DIR/nginx.pid" >/dev/null; then return 0; fi
  mkdir -p "$DIR/nginx/temp"
  make_tls_certificate
  local servers="" port
  for port in "${PORTAL_PORTS[@]}"; do servers+="server 127.0.0.1:$port max_fails=1 fail_timeout=10s; "; done
  TENANTPORTAL_UPSTREAM_SERVERS="$servers" TENANTPORTAL_TLS_CERTIFICATE="$DIR/nginx/tls.crt" TENANTPORTAL_TLS_KEY="$DIR/nginx/tls.key" \
    envsubst "\${TENANTPORTAL_UPSTREAM_SERVERS} \${TENANTPORTAL_TLS_CERTIFICATE} \${TENANTPORTAL_TLS_KEY}" \
    <"$NGINX_TEMPLATE" >"$DIR/nginx/tenantportal.conf"
  # On a host (not in a container) the front door listens on loopback only, at the port asked for.
  sed -i "s/listen 8443 ssl;/listen 127.0.0.1:$HTTPS_PORT ssl;/" "$DIR/nginx/tenantportal.conf"
  # The main file: this folder's pid, logs and temp files; the workers run as the user who started it (root: nobody).
  local user_line=""
  if [ "$(id -u)" = "0" ]; then
    user_line="user nobody nogroup;"
    chown -R nobody:nogroup "$DIR/nginx/temp"
  fi
  cat >"$DIR/nginx/nginx.conf" <<CONF
$user_line
worker_processes 2;
pid $DIR/nginx.pid;
error_log $DIR/nginx-error.log warn;
events { worker_connections 4096; }
http {
  include /etc/nginx/mime.types;
  # Which instance answered each request (upstream), to see the sticky sessions at work.
  log_format tenantportal '\$remote_addr [\$time_local] "\$request" \$status \$body_bytes_sent upstream=\$upstream_addr '
                          '\$request_time s affinity=\$cookie_tenantportal_affinity';
  access_log $DIR/nginx-access.log tenantportal;
  client_body_temp_path $DIR/nginx/temp/client_body;
  proxy_temp_path $DIR/nginx/temp/proxy;
  fastcgi_temp_path $DIR/nginx/temp/fastcgi;
  uwsgi_temp_path $DIR/nginx/temp/uwsgi;
  scgi_temp_path $DIR/nginx/temp/scgi;
  include $DIR/nginx/tenantportal.conf;
}
CONF
  "$(nginx_bin)" -t -q -p "$DIR/nginx" -c "$DIR/nginx/nginx.conf" 2>>"$DIR/nginx-error.log" \
    || fail "the nginx configuration is invalid; see $DIR/nginx-error.log"
  say "Starting nginx on $PUBLIC_URL..."
  "$(nginx_bin)" -p "$DIR/nginx" -c "$DIR/nginx/nginx.conf" 2>>"$DIR/nginx-error.log"
  for _ in $(seq 1 50); do pid_of "$DIR/nginx.pid" >/dev/null && return 0; sleep 0.1; done
  fail "nginx did not start; see $DIR/nginx-error.log"
}

up() {
  install_missing
  mkdir -p "$DIR/secrets" "$DIR/mail" "$DIR/nginx"
  chmod 700 "$DIR/secrets"
  start_postgresql
  prepare_database
  start_redis
  publish_portal
  make_data_protection_certificate
  migrate
  # The first instance creates the operator and seeds the demo data (once: the seeder skips a database that has it),
  # and is ready before the other two start, which then only find what it made.
  start_portal 1 true "seeds the demo data"
  wait_until "portal #1" "$DIR/portal-1.log" "$DIR/portal-1.pid" portal_answers 1
  start_portal 2 false
  start_portal 3 false
  wait_until "portal #2" "$DIR/portal-2.log" "$DIR/portal-2.pid" portal_answers 2
  wait_until "portal #3" "$DIR/portal-3.log" "$DIR/portal-3.pid" portal_answers 3
  start_nginx
  wait_until "nginx" "$DIR/nginx-error.log" "$DIR/nginx.pid" nginx_answers
  cat <<EOF

TenantPortal cluster is running (three instances behind nginx; data and logs in $DIR).
  Open $PUBLIC_URL   (self-signed certificate: $DIR/nginx/tls.crt)
  Operator: $OPERATOR_EMAIL / $(operator_password)   (a second factor is set up at the first visit to /ops)
  Demo logins (password $DEMO_PASSWORD): owner@acme.test, admin@acme.test, member@acme.test, viewer@acme.test, …
  Status: $0 status    Stop: $0 down
EOF
}

status_line() {
  local name="$1" pid_file="$2" address="$3" answers="$4"
  shift 4
  local pid state
  if pid="$(pid_of "$pid_file")"; then
    if "$@"; then state="$answers"; else state="not answering"; fi
    printf '%-12s pid %-8s %-24s %s\n' "$name" "$pid" "$address" "$state"
  else
    printf '%-12s %-12s %-24s %s\n' "$name" "stopped" "$address" "-"
  fi
}

status() {
  status_line postgresql "$DIR/postgresql.pid" "127.0.0.1:$PG_PORT" "answering" pg_answers
  status_line redis "$DIR/redis.pid" "127.0.0.1:$REDIS_PORT" "answering (PONG)" redis_answers
  local i
  for i in 1 2 3; do
    status_line "portal-$i" "$DIR/portal-$i.pid" "127.0.0.1:${PORTAL_PORTS[$((i - 1))]}" "ready (/health/ready)" portal_answers "$i"
  done
  status_line nginx "$DIR/nginx.pid" "$PUBLIC_URL" "ready through TLS" nginx_answers
}

# Stops one pid file's process (TERM, then KILL after a while) and removes the file.
stop_pid() {
  local name="$1" pid_file="$2" pid
  if pid="$(pid_of "$pid_file")"; then
    say "Stopping $name (pid $pid)..."
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  fi
  rm -f "$pid_file"
}

down() {
  stop_pid nginx "$DIR/nginx.pid"
  local i
  for i in 3 2 1; do stop_pid "portal #$i" "$DIR/portal-$i.pid"; done
  stop_pid redis "$DIR/redis.pid"
  local pid
  if pid="$(pid_of "$DIR/postgresql.pid")" && [ -n "$PG_BIN" ]; then
    say "Stopping PostgreSQL (pid $pid)..."
    # pg_ctl's fast shutdown ends the sessions and checkpoints; the TERM of stop_pid is the same request, if it failed.
    as_pg "$PG_BIN/pg_ctl" -D "$DIR/postgresql" -m fast -w -t 60 stop >/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  stop_pid PostgreSQL "$DIR/postgresql.pid"
  status
}

case "${1:-}" in
  up) up ;;
  status) status ;;
  down) down ;;
  *) echo "usage: $0 up|status|down" >&2; exit 2 ;;
esac
