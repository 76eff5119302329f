#!/usr/bin/env bash
# The pages agencies and the coordinator use most, on a region of `seed-demo --scale N`, measured
# as people work: beside the trivial route of the same server in the same run, first with nothing
# written, then while writes go on through the real forms (writer.py: a draft saved, an indicator
# verified, an action item commented, BENCH_WRITES a second), and at a fixed rate of dashboard and
# indicator pages. For each route: the median time of one request at a time on an otherwise idle
# server (hey -c 1), then wrk with 32 connections. Last, the server's peak memory.
#   Benchmarks/Workday/run.sh [scale] [sqlite|postgres] [path-to-pilar]
#   (defaults: 1, sqlite, .build/release/pilar; postgres uses DATABASE_URL or the server of
#   .ci/postgres-start, in a fresh database)
# Settings: BENCH_SECONDS (wrk per route, 10), BENCH_RATE (fixed-rate requests/s, 100),
# BENCH_WRITES (writes/s, 5), BENCH_IDLE (requests for the idle median, 100).
# Needs wrk and hey (apt-get install -y wrk hey); installs them when missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
SCALE="${1:-1}"
DB="${2:-sqlite}"
PILAR="${3:-.build/release/pilar}"
SECS="${BENCH_SECONDS:-10}"
RATE="${BENCH_RATE:-100}"
WRITES="${BENCH_WRITES:-5}"
IDLE="${BENCH_IDLE:-100}"
PORT="${PILAR_BENCH_PORT:-8197}"
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
export PILAR_DATA_DIR="$WORK/data" PILAR_PORT="$PORT" PILAR_BCRYPT_COST=6 PILAR_ADMIN_PASSWORD=benchmark-admin \
  PILAR_ROOT="$PWD" LOG_LEVEL=warning
if [ "$DB" = postgres ]; then
  ADMIN_URL="${DATABASE_URL:-$(bash .ci/postgres-start | tail -1)}"
  NAME="pilar_workday_$$"
  psql "$ADMIN_URL" -qc "CREATE DATABASE $NAME" >/dev/null
  export DATABASE_URL="${ADMIN_URL%/*}/$NAME"
  trap 'cleanup; psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS $NAME WITH (FORCE)" >/dev/null 2>&1 || true' EXIT
fi
"$PILAR" seed-demo --scale "$SCALE" > "$WORK/seed.log"
"$PILAR" serve > "$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 60); do curl -fs "$BASE/healthz" >/dev/null 2>&1 && break; sleep 1; done

signin() {  # username password → "name=value" of the session cookie
  local jar="$WORK/jar-$1" token
  token=$(curl -s -c "$jar" -b "$jar" "$BASE/signin" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"//')
  curl -s -c "$jar" -b "$jar" -o /dev/null -d "_csrf=$token&username=$1&password=$2" "$BASE/signin"
  awk '$6 == "pilar-session" {print $6"="$7}' "$jar" | head -1
}
COORD=$(signin "skala$SCALE.coordinator" skala-coordinator-2022)
AGENCY=$(signin "skala$SCALE.agency" skala-agency-2022)
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $COORD" "$BASE/dashboard")" = 200 ] || { echo "sign-in failed"; cat "$WORK/server.log"; exit 1; }

# What to read and write: indicators of the agency still open for it, others to verify, action items.
curl -s -H "Cookie: $AGENCY" "$BASE/api/v1/cycles/2022/indicators" > "$WORK/mine.json"
curl -s -H "Cookie: $COORD" "$BASE/api/v1/cycles/2022/indicators" > "$WORK/all.json"
read -r DRAFTS VERIFY CODE < <(python3 - "$WORK/mine.json" "$WORK/all.json" <<'PY'
import json, sys
mine = json.load(open(sys.argv[1])); every = json.load(open(sys.argv[2]))
drafts = [i["code"] for i in mine if i["status"] in ("not_started", "draft", "returned")][:5]
mine_codes = {i["code"] for i in mine}
verify = [i["code"] for i in every if i["code"] not in mine_codes][:60]
print(",".join(drafts), ",".join(verify[1:]), verify[0])
PY
)
ACTIONS=$(curl -s -H "Cookie: $COORD" "$BASE/actions" | grep -o '/actions/[0-9A-Fa-f-]\{36\}"' | tr -d '"' | sed 's|/actions/||' | sort -u | head -20 | paste -sd,)
[ -n "$DRAFTS" ] && [ -n "$ACTIONS" ] || { echo "nothing to write to"; exit 1; }

ROUTES=(/healthz "/cycles/2022/indicators/$CODE" /my/indicators /review /actions /dashboard
        "/api/v1/cycles/2022/indicators/$CODE" /api/v1/cycles/2022/score)
LABELS=("trivial (/healthz)" "indicator page" "work list" "review queue" "action list" "dashboard" "one item's JSON" "score JSON")
for r in "${ROUTES[@]}"; do
  [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $COORD" "$BASE$r")" = 200 ] || { echo "$r does not answer 200"; exit 1; }
done

ms() { python3 -c "import sys; print(f'{1000 * float(sys.argv[1]):.1f}')" "$1"; }
idle() {  # route → median ms, one request at a time
  hey -n "$IDLE" -c 1 -H "Cookie: $COORD" "$BASE$1" > "$WORK/hey.txt"
  ms "$(awk '/ 50% in/ {print $3}' "$WORK/hey.txt")"
}
load() {  # route → "requests/s p50 p99 non-2xx"
  wrk -t2 -c32 -d"${SECS}s" --latency -H "Cookie: $COORD" "$BASE$1" > "$WORK/wrk.txt"
  echo "$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk.txt") $(awk '$1 == "50%" {print $2}' "$WORK/wrk.txt") $(awk '$1 == "99%" {print $2}' "$WORK/wrk.txt") $(awk '/Non-2xx/ {print $5}' "$WORK/wrk.txt" | grep . || echo 0)"
}
writer() {  # seconds → starts writer.py in the background
  python3 Benchmarks/Workday/writer.py --base "$BASE" --agency "$AGENCY" --coordinator "$COORD" --drafts "$DRAFTS" \
    --verify "$VERIFY" --actions "$ACTIONS" --rate "$WRITES" --seconds "$1" > "$WORK/writer.txt" &
  WRITER=$!
}
fixed() {  # label → the dashboard and the indicator page at RATE requests/s in all, side by side
  local per=$((RATE / 2 / 10))
  hey -z "${SECS}s" -c 10 -q "$per" -H "Cookie: $COORD" "$BASE/dashboard" > "$WORK/fixed-d.txt" &
  local a=$!
  hey -z "${SECS}s" -c 10 -q "$per" -H "Cookie: $COORD" "$BASE/cycles/2022/indicators/$CODE" > "$WORK/fixed-i.txt" &
  local b=$!
  wait $a $b
  python3 - "$1" "$RATE" "$SECS" "$WORK/fixed-d.txt" "$WORK/fixed-i.txt" <<'PY'
import re, sys
label, rate, secs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
served, lat, other = 0, [], 0
for path in sys.argv[4:]:
    text = open(path).read()
    for code, n in re.findall(r"\[(\d+)\]\s+(\d+) responses", text):
        if code == "200": served += int(n)
        else: other += int(n)
    m = re.search(r"99%% in ([0-9.]+) secs" % (), text); lat.append(float(m.group(1)) if m else float("nan"))
    m = re.search(r"50%% in ([0-9.]+) secs" % (), text); lat.append(float(m.group(1)) if m else float("nan"))
print(f"{label:34s} offered {rate * secs:5d}, served 200: {served:5d} ({served / secs:5.1f}/s), other {other}; "
      f"p50 {1000 * lat[1]:.1f} / {1000 * lat[3]:.1f} ms, p99 {1000 * lat[0]:.1f} / {1000 * lat[2]:.1f} ms (dashboard / indicator)")
PY
}

echo "Pilar as people work: scale $SCALE ($(grep -o '[0-9]* indicators' "$WORK/seed.log" | head -1), $(grep -o '[0-9]* evidence records' "$WORK/seed.log" | head -1)), $DB, $(nproc) cores"
echo "wrk 2 threads × 32 connections × ${SECS}s per route; idle = median of $IDLE requests one at a time; writes: $WRITES/s through the forms"
declare -A IDLE_MS RPS P50 P99 ERR
for i in "${!ROUTES[@]}"; do
  r="${ROUTES[$i]}"
  IDLE_MS[$i]=$(idle "$r")
  read -r RPS[$i] P50[$i] P99[$i] ERR[$i] <<<"$(load "$r")"
done
writer $(( ${#ROUTES[@]} * (SECS + 1) + 5 ))
sleep 2
declare -A WRPS WP50 WP99 WERR
for i in "${!ROUTES[@]}"; do
  read -r WRPS[$i] WP50[$i] WP99[$i] WERR[$i] <<<"$(load "${ROUTES[$i]}")"
done
wait "$WRITER" || true; WRITER=""
WRITES_LINE=$(cat "$WORK/writer.txt")
printf '\n%-20s %8s | %9s %9s %9s %6s %7s | %9s %9s %9s %6s %7s\n' route "idle p50" "req/s" p50 p99 non2xx "÷trivial" "+writes/s" p50 p99 non2xx "÷quiet"
for i in "${!ROUTES[@]}"; do
  share=$(python3 -c "print(f'{100 * ${RPS[$i]} / ${RPS[0]}:.0f}%')")
  kept=$(python3 -c "print(f'{100 * ${WRPS[$i]} / ${RPS[$i]}:.0f}%')")
  printf '%-20s %6s ms | %9s %9s %9s %6s %7s | %9s %9s %9s %6s %7s\n' "${LABELS[$i]}" "${IDLE_MS[$i]}" "${RPS[$i]}" "${P50[$i]}" "${P99[$i]}" "${ERR[$i]}" "$share" \
    "${WRPS[$i]}" "${WP50[$i]}" "${WP99[$i]}" "${WERR[$i]}" "$kept"
done
echo "$WRITES_LINE"
echo
fixed "fixed $RATE req/s, nothing written"
writer $((SECS + 3)); sleep 1
fixed "fixed $RATE req/s, $WRITES writes/s"
wait "$WRITER" || true; WRITER=""
cat "$WORK/writer.txt"
echo "server peak memory (VmHWM): $(awk '/VmHWM/ {print $2 " " $3}' /proc/$SERVER/status), now (VmRSS): $(awk '/VmRSS/ {print $2 " " $3}' /proc/$SERVER/status)"
