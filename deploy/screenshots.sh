#!/usr/bin/env bash
# Regenerates the README's screenshots (docs/screenshot*.png): starts the portal on a throwaway SQLite database with
# the demo data on 127.0.0.1:5099, logs in as the demo owners in headless Chromium (desktop 1440x900, phone 390x844,
# light and dark) and stops the portal.
#   deploy/screenshots.sh
set -euo pipefail
cd "$(dirname "$0")/.."
WORK="$(mktemp -d)"
PORT="${SCREENSHOT_PORT:-5099}"
trap 'kill "$PORTAL" 2>/dev/null || true; wait "$PORTAL" 2>/dev/null || true; rm -rf "$WORK"' EXIT
dotnet build TenantPortal.Web -c Release -v q -nologo >/dev/null
ASPNETCORE_ENVIRONMENT=Development dotnet run --project TenantPortal.Web -c Release --no-build --no-launch-profile -- \
  --urls "http://127.0.0.1:$PORT" --ConnectionStrings:Portal="Data Source=$WORK/portal.db" \
  --Email:PickupDirectory="$WORK/mail" >"$WORK/portal.log" 2>&1 &
PORTAL=$!
for _ in $(seq 1 120); do
  curl -fsS "http://127.0.0.1:$PORT/health/live" >/dev/null 2>&1 && break
  kill -0 "$PORTAL" 2>/dev/null || { cat "$WORK/portal.log"; exit 1; }
  sleep 1
done
dotnet run deploy/screenshots/screenshots.cs -- "http://127.0.0.1:$PORT" docs
