#!/usr/bin/env bash
# Uploads one large evidence file through the real server and reports the time and the server's
# memory before and after (VmRSS / peak VmHWM from /proc), to show uploads stream to disk.
#   Benchmarks/Upload/run.sh [MB] [path-to-pilar]     (default 300 MB, .build/release/pilar)
set -euo pipefail
cd "$(dirname "$0")/../.."
MB="${1:-300}"
PILAR="${2:-.build/release/pilar}"
WORK="$(mktemp -d)"
PORT="${PILAR_BENCH_PORT:-8197}"
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
{ printf '%%PDF-1.4\n'; head -c "$((MB * 1000 * 1000))" /dev/zero; } > "$WORK/big.pdf"
PILAR_DATA_DIR="$WORK/data" PILAR_PORT="$PORT" PILAR_MAX_UPLOAD_MB=$((MB + 10)) PILAR_BCRYPT_COST=6 \
  PILAR_ADMIN_PASSWORD=benchmark-admin PILAR_ROOT="$PWD" "$PILAR" serve >"$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 60); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 1; done
token() { grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"//'; }
T=$(curl -s -c "$WORK/cj" -b "$WORK/cj" "http://127.0.0.1:$PORT/signin" | token)
curl -s -c "$WORK/cj" -b "$WORK/cj" -o /dev/null -d "_csrf=$T&username=kediri.dlh&password=demo-dlh-2022" "http://127.0.0.1:$PORT/signin"
T=$(curl -s -c "$WORK/cj" -b "$WORK/cj" "http://127.0.0.1:$PORT/cycles/2022/indicators/QW.ENV" | token)
before=$(grep VmRSS /proc/$SERVER/status | awk '{print $2}')
result=$(curl -s -b "$WORK/cj" -o /dev/null -w "%{http_code} %{time_total}" -F "title=Besar" \
  -F "file=@$WORK/big.pdf;type=application/pdf" "http://127.0.0.1:$PORT/cycles/2022/indicators/QW.ENV/evidence?_csrf=$T")
after=$(grep VmRSS /proc/$SERVER/status | awk '{print $2}')
peak=$(grep VmHWM /proc/$SERVER/status | awk '{print $2}')
stored=$(find "$WORK/data/files" -type f ! -path "$WORK/data/files/tmp/*" -exec stat -c %s {} + | head -1)
read -r status seconds <<<"$result"
echo "upload of $MB MB: HTTP $status in ${seconds}s ($(python3 -c "print(round($MB/$seconds,1))") MB/s); stored $stored bytes"
echo "server memory: RSS before ${before} kB, after ${after} kB, peak ${peak} kB"
