#!/usr/bin/env bash
# Checks the `pilar` command line as a user runs it: exit codes and what it prints.
# Usage: Tests/cli/check.sh [path-to-pilar]   (default .build/debug/pilar)
set -uo pipefail
cd "$(dirname "$0")/../.."
PILAR="${1:-.build/debug/pilar}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
export PILAR_DATA_DIR="$WORK/data" PILAR_BCRYPT_COST=4 PILAR_ROOT="$PWD"
unset DATABASE_URL
passed=0; failed=0
check() { # name, condition (exit status of the previous command test)
  if [ "$2" = 0 ]; then passed=$((passed+1)); echo "ok   $1"; else failed=$((failed+1)); echo "FAIL $1"; fi
}
expect_exit() { # name, expected code, command...
  local name="$1" want="$2"; shift 2
  "$@" >"$WORK/out" 2>&1; local got=$?
  [ "$got" = "$want" ]; check "$name (exit $got, want $want)" $?
}
contains() { grep -qF -- "$2" "$WORK/out"; check "$1" $?; }

for cmd in "serve --help" "migrate --help" "seed-demo --help" "instrument validate --help" "instrument import --help" "score --help" "user add --help" "region add --help" "region list --help" "files check --help" "backup --help" "restore --help"; do
  expect_exit "pilar $cmd" 0 $PILAR $cmd
done

expect_exit "validate model instrument" 0 $PILAR instrument validate Instruments/model-smart-city-2021.yaml
contains "summary names the five dimensions" "OC     30"
expect_exit "validate SPBE 2020" 0 $PILAR instrument validate Instruments/spbe-2020.yaml
contains "SPBE has 47 indicators" "12 groups, 47 indicators"

# broken copies name each problem with its line
sed -e 's/code: "I02"/code: "I01"/' -e 's/^    weight: 13$/    weight: 14/' -e '0,/- level: 5/s//- level: 6/' \
    -e 's/^    min: 2.6$/    min: 2.5/' Instruments/spbe-2020.yaml > "$WORK/broken.yaml"
expect_exit "validate broken copy" 1 $PILAR instrument validate "$WORK/broken.yaml"
contains "duplicate code" "duplicate code 'I01'"
contains "top-level sum" "top-level weights must sum to 100, found 101"
contains "level outside scale" "level 6 is outside the scale 1–5"
contains "overlapping band" "'Baik' (starts at 2.5) overlaps 'Cukup' (ends before 2.6)"
contains "line numbers" "broken.yaml:line "
printf 'id: x\ntitle: [unclosed\n' > "$WORK/syntax.yaml"
expect_exit "validate YAML syntax error" 1 $PILAR instrument validate "$WORK/syntax.yaml"
contains "syntax error with line" "line 3"

# import: a broken file changes nothing; a good new one is imported once
expect_exit "migrate" 0 $PILAR migrate
expect_exit "import broken" 1 $PILAR instrument import "$WORK/broken.yaml"
contains "nothing imported" "Nothing was imported."
expect_exit "import shipped again" 0 $PILAR instrument import Instruments/spbe-2020.yaml
contains "unchanged" "already imported with the same content"
sed 's/^id: spbe-2020$/id: spbe-2020-copy/' Instruments/spbe-2020.yaml > "$WORK/copy.yaml"
expect_exit "import new id" 0 $PILAR instrument import "$WORK/copy.yaml"
contains "imported" "Imported instrument 'spbe-2020-copy' (47 indicators)."

# score from files: Layanan (45.5) and Audit TIK (4.5) at 4, the rest at 3 -> exactly 3.5, Sangat Baik
{
  echo "code,score"
  for i in $(seq 1 47); do
    code=$(printf 'I%02d' "$i")
    if [ "$i" -ge 29 ]; then echo "$code,4"; else echo "$code,3"; fi
  done
} > "$WORK/scores.csv"
expect_exit "score SPBE json" 0 $PILAR score --instrument Instruments/spbe-2020.yaml --scores "$WORK/scores.csv" --format json
python3 - "$WORK/out" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert abs(r["index"] - 3.5) < 1e-12, r["index"]
assert r["display"] == "3.50" and r["predicate"] == "Sangat Baik" and r["coverage"] == 1, r
for key in ("index", "display", "predicate", "coverage", "groups", "pillars"): assert key in r
PY
check "SPBE 3.5 is Sangat Baik" $?
printf 'code,score\nI01,NA\nI02,9\nZZ,1\n' > "$WORK/bad.csv"
expect_exit "score with bad rows" 1 $PILAR score --instrument Instruments/spbe-2020.yaml --scores "$WORK/bad.csv"
contains "out of scale row named" "line 3: score 9 for 'I02' is outside the scale 1–5"
contains "unknown code named" "line 4: 'ZZ' is not an indicator of spbe-2020"

# stored cycle
expect_exit "seed-demo" 0 $PILAR seed-demo
contains "demo sign-ins printed" "kediri.kominfo / demo-kominfo-2022"
expect_exit "seed-demo again" 0 $PILAR seed-demo
contains "seed-demo is idempotent" "already loaded"
expect_exit "score stored cycle" 0 $PILAR score --region kota-kediri --cycle 2022 --layer verified --format json
python3 -c "import json,sys; r=json.load(open('$WORK/out')); assert r['display']=='3.23' and r['predicate']=='Baik', r" ; check "stored verified index 3.23" $?
expect_exit "score text" 0 $PILAR score --region kota-kediri --cycle 2022 --layer self
contains "text report" "index: 3.56 (Sangat Baik)"
expect_exit "score unknown layer" 2 $PILAR score --region kota-kediri --cycle 2022 --layer guess
expect_exit "score unknown region" 1 $PILAR score --region nowhere --cycle 2022

# users: password from standard input
echo "a-good-password" | $PILAR user add --region kota-kediri --username budi --role agency --agency dinkes >"$WORK/out" 2>&1
check "user add (exit $?)" $?
contains "user added" "Added agency 'budi'"
echo "a-good-password" | $PILAR user add --region kota-kediri --username budi --role leader >"$WORK/out" 2>&1
[ $? = 1 ]; check "duplicate username refused" $?
contains "duplicate named" "username 'budi' is already taken"
echo "short" | $PILAR user add --region kota-kediri --username sari --role leader >"$WORK/out" 2>&1
[ $? = 1 ]; check "short password refused" $?
echo "a-good-password" | $PILAR user add --region kota-kediri --username sari --role agency >"$WORK/out" 2>&1
[ $? = 1 ]; check "agency role without agency refused" $?
contains "agency needed" "an agency user needs an agency"
$PILAR user add --region kota-kediri --username sari --role leader </dev/null >"$WORK/out" 2>&1
[ $? = 1 ]; check "no password on stdin refused" $?
contains "stdin named" "no password on standard input"

# regions: a province's second city, then its admin
$PILAR region add --code kota-madiun --name "Kota Madiun" --kind kota --province "Jawa Timur" --time-zone Asia/Jakarta >"$WORK/out" 2>&1
check "region add (exit $?)" $?
contains "region added" "Added region 'kota-madiun' (Kota Madiun, Jawa Timur) with the six Smart City pillars."
$PILAR region list >"$WORK/out" 2>&1
contains "region listed" "kota-madiun	kota	Kota Madiun	Jawa Timur	Asia/Jakarta"
$PILAR region add --code kota-madiun --name "Kota Madiun" --kind kota --province "Jawa Timur" >"$WORK/out" 2>&1
[ $? = 1 ]; check "duplicate region code refused" $?
contains "duplicate code named" "--code: 'kota-madiun' is already a region's code or sign-in prefix"
$PILAR region add --code "Kota Madiun" --name "Kota Madiun" --kind desa --province "Jawa Timur" --time-zone Asia/Tokyo >"$WORK/out" 2>&1
[ $? = 2 ]; check "bad region fields refused" $?
contains "bad code named" "--code: the code 'Kota Madiun' must be"
contains "bad kind named" "--kind: the kind must be kota, kabupaten or provinsi, found 'desa'"
contains "bad zone named" "--time-zone: the time zone must be Asia/Jakarta, Asia/Makassar or Asia/Jayapura, found 'Asia/Tokyo'"
$PILAR region list >"$WORK/out" 2>&1
! grep -q "Kota Madiun.*Kota Madiun" "$WORK/out" && [ "$(grep -c kota-madiun "$WORK/out")" = 1 ]; check "nothing added by the refusals" $?
echo "a-good-password" | $PILAR user add --region kota-madiun --username kota-madiun.admin --role admin >"$WORK/out" 2>&1
check "region admin added (exit $?)" $?
contains "region admin named" "Added admin 'kota-madiun.admin' to Kota Madiun."

# stored files against their SHA-256: all good, then one deleted and one changed behind Pilar's back
expect_exit "seed-demo --scale 1 (with files)" 0 $PILAR seed-demo --scale 1
expect_exit "files check" 0 $PILAR files check
contains "every file matches" "every file matches its SHA-256"
stored=$(find "$PILAR_DATA_DIR/files" -type f ! -path "$PILAR_DATA_DIR/files/tmp/*" | sort)
gone=$(echo "$stored" | sed -n 1p); hurt=$(echo "$stored" | sed -n 2p)
rm "$gone"; printf 'X' | dd of="$hurt" bs=1 seek=0 count=1 conv=notrunc 2>/dev/null
expect_exit "files check finds the two" 1 $PILAR files check
contains "missing named" "missing  $(basename "$gone")"
contains "damaged named" "damaged  $(basename "$hurt")"
contains "summary counts them" "1 missing, 1 damaged."

# a backup refuses to be written while a file is missing or damaged, and needs a name
expect_exit "backup without --to" 2 $PILAR backup
contains "backup names its option" "pilar backup --to FILE"
expect_exit "backup with a damaged file refused" 1 $PILAR backup --to "$WORK/b.zip"
contains "backup names the missing file" "pilar files check"
[ ! -e "$WORK/b.zip" ] && [ ! -e "$WORK/b.zip.partial" ]; check "no archive or partial archive left" $?
expect_exit "restore of a missing archive" 1 $PILAR restore "$WORK/none.zip"
contains "restore names the missing archive" "no such file"

echo "cli: $passed passed, $failed failed"
[ "$failed" = 0 ]
