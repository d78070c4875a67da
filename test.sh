#!/usr/bin/env bash
# Runs the whole test suite. Needs only the .NET SDK on a Debian/Ubuntu machine: Chromium for the
# browser tests is installed with apt when it is missing and we are root; otherwise we say what to install.
set -euo pipefail
cd "$(dirname "$0")"

find_chromium() {
  [ -n "${CHROMIUM_PATH:-}" ] && [ -x "$CHROMIUM_PATH" ] && return 0
  for candidate in /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome /usr/bin/google-chrome-stable; do
    [ -x "$candidate" ] && return 0
  done
  return 1
}

if ! find_chromium; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Chromium for the browser tests (apt-get install chromium)..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "Chromium was not found; the browser tests will fail until it is installed:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y chromium     (or set CHROMIUM_PATH to a Chromium/Chrome executable)" >&2
  fi
fi

# The PostgreSQL and Redis servers of the data, Redis and scale-out tests (loopback, a folder of their own; idempotent).
deploy/test-servers.sh up

results="$(mktemp -d)"
status=0
dotnet test TenantPortal.sln --logger "trx;LogFileName=results.trx" --results-directory "$results" || status=$?

# One plain closing line with the counts, read from the test results.
passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(echo "$counters" | sed -n 's/.* passed="\([0-9]*\)".*/\1/p'); passed=$((passed + ${p:-0}))
  f=$(echo "$counters" | sed -n 's/.* failed="\([0-9]*\)".*/\1/p'); failed=$((failed + ${f:-0}))
  n=$(echo "$counters" | sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p'); skipped=$((skipped + ${n:-0}))
done
echo "tests: $passed passed, $failed failed, $skipped skipped"
rm -rf "$results"
exit $status
