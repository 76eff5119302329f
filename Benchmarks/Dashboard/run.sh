#!/usr/bin/env bash
# The dashboard, the review queue and the home page of a large region under load, side by side
# with a trivial route (GET /healthz: one SELECT 1) of the same server in the same run; the
# server's peak memory; the time to export the assessment XLSX and the evidence bundle.
#   Benchmarks/Dashboard/run.sh [scale] [sqlite|postgres] [path-to-pilar]
#   (defaults: 10, sqlite, .build/release/pilar; postgres uses DATABASE_URL or a local server
#   started by .ci/postgres-start, in a fresh database)
# Needs wrk (apt-get install -y wrk). 32 connections, 2 threads, 20 s per route (BENCH_SECONDS).
set -euo pipefail
cd "$(dirname "$0")/../.."
SCALE="${1:-10}"
DB="${2:-sqlite}"
PILAR="${3:-.build/release/pilar}"
SECONDS_PER_ROUTE="${BENCH_SECONDS:-20}"
PORT="${PILAR_BENCH_PORT:-8198}"
WORK="$(mktemp -d)"
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
SERVER=""
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
export PILAR_DATA_DIR="$WORK/data" PILAR_PORT="$PORT" PILAR_BCRYPT_COST=6 PILAR_ADMIN_PASSWORD=benchmark-admin \
  PILAR_ROOT="$PWD" LOG_LEVEL=warning
if [ "$DB" = postgres ]; then
  ADMIN_URL="${DATABASE_URL:-$(bash .ci/postgres-start | tail -1)}"
  NAME="pilar_bench_$$"
  psql "$ADMIN_URL" -qc "CREATE DATABASE $NAME" >/dev/null
  export DATABASE_URL="${ADMIN_URL%/*}/$NAME"
  trap 'cleanup; psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS $NAME WITH (FORCE)" >/dev/null 2>&1 || true' EXIT
fi
start=$(date +%s.%N)
"$PILAR" seed-demo --scale "$SCALE" > "$WORK/seed.log"
seed_seconds=$(python3 -c "print(round($(date +%s.%N) - $start, 1))")
"$PILAR" serve > "$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 60); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 1; done
token() { grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"//'; }
T=$(curl -s -c "$WORK/cj" -b "$WORK/cj" "http://127.0.0.1:$PORT/signin" | token)
curl -s -c "$WORK/cj" -b "$WORK/cj" -o /dev/null \
  -d "_csrf=$T&username=skala$SCALE.coordinator&password=skala-coordinator-2022" "http://127.0.0.1:$PORT/signin"
COOKIE="$(awk '$6 == "pilar-session" || $6 ~ /session/ {print $6"="$7}' "$WORK/cj" | head -1)"
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $COOKIE" "http://127.0.0.1:$PORT/dashboard")" = 200 ] \
  || { echo "sign-in failed"; cat "$WORK/server.log"; exit 1; }

run() {  # route → "requests/s p50 p99"
  wrk -t2 -c32 -d"${SECONDS_PER_ROUTE}s" --latency -H "Cookie: $COOKIE" "http://127.0.0.1:$PORT$1" > "$WORK/wrk.txt"
  local rps p50 p99 errors
  rps=$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk.txt")
  p50=$(awk '$1 == "50%" {print $2}' "$WORK/wrk.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$WORK/wrk.txt")
  errors=$(awk '/Non-2xx/ {print $5}' "$WORK/wrk.txt")
  echo "$rps $p50 $p99 ${errors:-0}"
}
echo "Pilar under load: scale $SCALE ($(grep -o '[0-9]* indicators' "$WORK/seed.log" | head -1)), $DB, $(nproc) cores, wrk 2 threads × 32 connections × ${SECONDS_PER_ROUTE}s"
echo "seed-demo --scale $SCALE: ${seed_seconds}s"
printf '%-22s %12s %10s %10s %8s\n' route "requests/s" p50 p99 non-2xx
read -r t_rps t_p50 t_p99 t_err <<<"$(run /healthz)"
printf '%-22s %12s %10s %10s %8s\n' "/healthz (trivial)" "$t_rps" "$t_p50" "$t_p99" "$t_err"
for route in /dashboard /review /; do
  read -r rps p50 p99 err <<<"$(run "$route")"
  share=$(python3 -c "print(f'{100 * $rps / $t_rps:.0f}%')")
  printf '%-22s %12s %10s %10s %8s   %s of trivial\n' "$route" "$rps" "$p50" "$p99" "$err" "$share"
done
for path in /cycles/2022/export.xlsx /cycles/2022/evidence.zip; do
  result=$(curl -s -H "Cookie: $COOKIE" -o "$WORK/out" -w "%{http_code} %{time_total} %{size_download}" "http://127.0.0.1:$PORT$path")
  read -r code seconds bytes <<<"$result"
  echo "$path: HTTP $code, ${seconds}s, $((bytes / 1024)) KiB"
done
echo "server peak memory (VmHWM): $(awk '/VmHWM/ {print $2 " " $3}' /proc/$SERVER/status), now (VmRSS): $(awk '/VmRSS/ {print $2 " " $3}' /proc/$SERVER/status)"
