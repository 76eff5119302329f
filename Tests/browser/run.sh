#!/usr/bin/env bash
# Starts Pilar on a fresh data folder and runs the browser journeys in headless Chromium.
# Usage: Tests/browser/run.sh [path-to-pilar]
set -euo pipefail
cd "$(dirname "$0")/../.."
PILAR="${1:-.build/debug/pilar}"
if ! command -v chromedriver >/dev/null || ! command -v chromium >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
fi
# LibreOffice opens every spreadsheet Pilar writes (test_6), as openpyxl does.
command -v soffice >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui >/dev/null; }
python3 -c "import selenium, pytest, openpyxl" 2>/dev/null || python3 -m pip install -q selenium pytest openpyxl
# axe-core 4 for the accessibility pass (test_8): only the axe.min.js this package bundles is used.
python3 -c "import importlib.util, sys; sys.exit(importlib.util.find_spec('axe_playwright_python') is None)" 2>/dev/null \
  || python3 -m pip install -q --no-deps axe-playwright-python
WORK="$(mktemp -d)"
PORT="${PILAR_BROWSER_PORT:-8181}"
PILAR_DATA_DIR="$WORK/data" PILAR_PORT="$PORT" PILAR_ADMIN_PASSWORD="browser-admin-pw" PILAR_BCRYPT_COST=6 \
  PILAR_ROOT="$PWD" "$PILAR" serve >"$WORK/server.log" 2>&1 &
SERVER=$!
# A second, empty installation as a real city starts it: no demo, only the operator.
EMPTY_PORT="${PILAR_BROWSER_EMPTY_PORT:-8182}"
PILAR_DATA_DIR="$WORK/empty" PILAR_PORT="$EMPTY_PORT" PILAR_SEED_DEMO=false PILAR_ADMIN_PASSWORD="browser-operator-pw" \
  PILAR_BCRYPT_COST=6 PILAR_ROOT="$PWD" "$PILAR" serve >"$WORK/empty.log" 2>&1 &
EMPTY_SERVER=$!
trap 'kill $SERVER $EMPTY_SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
for port in "$PORT" "$EMPTY_PORT"; do
  for _ in $(seq 1 60); do
    curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    sleep 1
  done
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null || { cat "$WORK/server.log" "$WORK/empty.log"; exit 1; }
done
grep -q "Sign in to create the first region" "$WORK/empty.log" || { echo "the empty installation did not start as one"; cat "$WORK/empty.log"; exit 1; }
PILAR_URL="http://127.0.0.1:$PORT" PILAR_EMPTY_URL="http://127.0.0.1:$EMPTY_PORT" python3 -m pytest -q Tests/browser
