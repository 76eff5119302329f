#!/usr/bin/env bash
# A province's comparison page (/regions) with N regions of the demo city's size
# (`seed-demo --regions N`: 100 indicators each), beside the trivial route of the same server in
# the same run: one request at a time on an idle server (hey -c 1, median), wrk with 32
# connections while nothing is written, and again while one city's coordinator and agency write
# through the real forms (Benchmarks/Workday/writer.py, BENCH_WRITES a second: each write makes
# that city's summary stale). Last, the server's peak memory.
#   Benchmarks/Regions/run.sh [regions] [sqlite|postgres] [path-to-pilar]   (defaults: 50, sqlite, .build/release/pilar)
# Settings: BENCH_SECONDS (wrk per route, 10), BENCH_WRITES (writes/s, 5), BENCH_IDLE (idle requests, 100).
set -euo pipefail
cd "$(dirname "$0")/../.."
REGIONS="${1:-50}"
DB="${2:-sqlite}"
PILAR="${3:-.build/release/pilar}"
SECS="${BENCH_SECONDS:-10}"
WRITES="${BENCH_WRITES:-5}"
IDLE="${BENCH_IDLE:-100}"
PORT="${PILAR_BENCH_PORT:-8199}"
BASE="http://127.0.0.1:$PORT"
WORK="$(mktemp -d)"
if ! command -v wrk >/dev/null || ! command -v hey >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk hey >/dev/null
fi
SERVER="" WRITER=""
cleanup() {
  [ -n "$WRITER" ] && kill "$WRITER" 2>/dev/null || true
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
export PILAR_DATA_DIR="$WORK/data" PILAR_PORT="$PORT" PILAR_BCRYPT_COST=4 PILAR_ADMIN_PASSWORD=benchmark-admin \
  PILAR_ROOT="$PWD" LOG_LEVEL=warning
if [ "$DB" = postgres ]; then
  ADMIN_URL="${DATABASE_URL:-$(bash .ci/postgres-start | tail -1)}"
  NAME="pilar_regions_$$"
  psql "$ADMIN_URL" -qc "CREATE DATABASE $NAME" >/dev/null
  export DATABASE_URL="${ADMIN_URL%/*}/$NAME"
  trap 'cleanup; psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS $NAME WITH (FORCE)" >/dev/null 2>&1 || true' EXIT
fi
started=$(date +%s)
"$PILAR" seed-demo --regions "$REGIONS" > "$WORK/seed.log"
echo "seeded $REGIONS regions in $(( $(date +%s) - started )) s"
"$PILAR" serve > "$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 60); do curl -fs "$BASE/healthz" >/dev/null 2>&1 && break; sleep 1; done

signin() {  # username password → "name=value" of the session cookie
  local jar="$WORK/jar-$1" token
  token=$(curl -s -c "$jar" -b "$jar" "$BASE/signin" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"//')
  curl -s -c "$jar" -b "$jar" -o /dev/null -d "_csrf=$token&username=$1&password=$2" "$BASE/signin"
  awk '$6 == "pilar-session" {print $6"="$7}' "$jar" | head -1
}
REVIEWER=$(signin provinsi.peninjau demo-peninjau-2022)
COORD=$(signin contoh01.kominfo demo-kominfo-2022)
AGENCY=$(signin contoh01.dlh demo-dlh-2022)
ROWS=$(curl -s -H "Cookie: $REVIEWER" "$BASE/regions" | grep -c '/open"' || true)
[ "$ROWS" = $((REGIONS + 1)) ] || { echo "the comparison lists $ROWS regions, not $((REGIONS + 1))"; tail -5 "$WORK/server.log"; exit 1; }

curl -s -H "Cookie: $AGENCY" "$BASE/api/v1/cycles/2022/indicators" > "$WORK/mine.json"
curl -s -H "Cookie: $COORD" "$BASE/api/v1/cycles/2022/indicators" > "$WORK/all.json"
read -r DRAFTS VERIFY < <(python3 - "$WORK/mine.json" "$WORK/all.json" <<'PY'
import json, sys
mine = json.load(open(sys.argv[1])); every = json.load(open(sys.argv[2]))
drafts = [i["code"] for i in mine if i["status"] in ("not_started", "draft", "returned")][:5]
mine_codes = {i["code"] for i in mine}
print(",".join(drafts) or "none", ",".join([i["code"] for i in every if i["code"] not in mine_codes][:60]))
PY
)
ACTIONS=$(curl -s -H "Cookie: $COORD" "$BASE/actions" | grep -o '/actions/[0-9A-Fa-f-]\{36\}"' | tr -d '"' | sed 's|/actions/||' | sort -u | head -20 | paste -sd,)

ROUTES=(/healthz /regions "/regions?sort=verified&dir=desc")
LABELS=("trivial (/healthz)" "comparison" "comparison, sorted")
ms() { python3 -c "import sys; print(f'{1000 * float(sys.argv[1]):.1f}')" "$1"; }
idle() { hey -n "$IDLE" -c 1 -H "Cookie: $REVIEWER" "$BASE$1" > "$WORK/hey.txt"; ms "$(awk '/ 50% in/ {print $3}' "$WORK/hey.txt")"; }
load() {
  wrk -t2 -c32 -d"${SECS}s" --latency -H "Cookie: $REVIEWER" "$BASE$1" > "$WORK/wrk.txt"
  echo "$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk.txt") $(awk '$1 == "50%" {print $2}' "$WORK/wrk.txt") $(awk '$1 == "99%" {print $2}' "$WORK/wrk.txt") $(awk '/Non-2xx/ {print $5}' "$WORK/wrk.txt" | grep . || echo 0)"
}
echo "Pilar, the reviewers' comparison of $((REGIONS + 1)) regions (100 indicators each), $DB, $(nproc) cores"
echo "wrk 2 threads × 32 connections × ${SECS}s per route; idle = median of $IDLE requests one at a time; writes: $WRITES/s in one city"
declare -A IDLE_MS RPS P50 P99 ERR WRPS WP50 WP99 WERR
for i in "${!ROUTES[@]}"; do
  IDLE_MS[$i]=$(idle "${ROUTES[$i]}")
  read -r RPS[$i] P50[$i] P99[$i] ERR[$i] <<<"$(load "${ROUTES[$i]}")"
done
python3 Benchmarks/Workday/writer.py --base "$BASE" --agency "$AGENCY" --coordinator "$COORD" --drafts "$DRAFTS" \
  --verify "$VERIFY" --actions "$ACTIONS" --rate "$WRITES" --seconds $(( ${#ROUTES[@]} * (SECS + 1) + 4 )) > "$WORK/writer.txt" &
WRITER=$!
sleep 2
for i in "${!ROUTES[@]}"; do
  read -r WRPS[$i] WP50[$i] WP99[$i] WERR[$i] <<<"$(load "${ROUTES[$i]}")"
done
wait "$WRITER" || true; WRITER=""
printf '\n%-20s %8s | %9s %9s %9s %6s %7s | %9s %9s %9s %6s %7s\n' route "idle p50" "req/s" p50 p99 non2xx "÷trivial" "+writes/s" p50 p99 non2xx "÷quiet"
for i in "${!ROUTES[@]}"; do
  share=$(python3 -c "print(f'{100 * ${RPS[$i]} / ${RPS[0]}:.0f}%')")
  kept=$(python3 -c "print(f'{100 * ${WRPS[$i]} / ${RPS[$i]}:.0f}%')")
  printf '%-20s %6s ms | %9s %9s %9s %6s %7s | %9s %9s %9s %6s %7s\n' "${LABELS[$i]}" "${IDLE_MS[$i]}" "${RPS[$i]}" "${P50[$i]}" "${P99[$i]}" "${ERR[$i]}" "$share" \
    "${WRPS[$i]}" "${WP50[$i]}" "${WP99[$i]}" "${WERR[$i]}" "$kept"
done
cat "$WORK/writer.txt"
echo "server peak memory (VmHWM): $(awk '/VmHWM/ {print $2 " " $3}' /proc/$SERVER/status), now (VmRSS): $(awk '/VmRSS/ {print $2 " " $3}' /proc/$SERVER/status)"
