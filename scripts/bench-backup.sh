#!/bin/sh
# Backup benchmark: a vault of BENCH_CUSTOMERS (10,000) generated customers
# with a history (one commit per 10 customers, then BENCH_EDITS changes
# spread over them, one commit each), pushed to a path remote, cloned from
# it, and checked with --history. Whole processes, default MODERATE
# Argon2id; the unlock floor (start, open, Argon2id) is reported apart.
# Secrets live in /dev/shm; vaults in BENCH_DIR (default $TMPDIR or /tmp).
set -eu
cd "$(dirname "$0")/.."
N="${BENCH_CUSTOMERS:-10000}"
EDITS="${BENCH_EDITS:-2000}"
BENCH_NAME=dangol-bench-backup
. scripts/bench-setup.sh
export DANGOL_MIRROR=inline

timeit() { python3 - "$@" <<'PY'
import subprocess, sys, time
t = time.monotonic()
ok = {0, 4} if sys.argv[1] == "--not-found-ok" else {0}
args = sys.argv[2:] if sys.argv[1] == "--not-found-ok" else sys.argv[1:]
r = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
if r.returncode not in ok:
    sys.stderr.write(r.stderr.decode()); sys.exit(r.returncode)
print(f"{(time.monotonic() - t) * 1000:.0f}")
PY
}

V="$WORK/salon"
"$BIN/dangol" init "$V" --owner 원장 >/dev/null
"$BIN/dangol-synth" "$V" "$N" --seed 2026 --per-commit 10 --edits "$EDITS" --fast >/dev/null
COMMITS=$(git -C "$V" rev-list --count HEAD)
echo "== backup benchmark, $(nproc) cores: $N customers, $COMMITS commits, $(du -sh "$V/.git" | cut -f1) in .git"
# synth --fast leaves the working tree behind: the first command checks it out.
"$BIN/dangol" list --vault "$V" >/dev/null
# A lookup of an id that is not there: everything a command pays but the work.
floor=$(timeit --not-found-ok "$BIN/dangol" show 00000000000000000000000000000000 --vault "$V")
echo "floor (process start, open, Argon2id unlock): ${floor} ms"

"$BIN/dangol" remote add usb "$WORK/usb/salon.git" --vault "$V" >/dev/null
echo "first push to a path remote: $(timeit "$BIN/dangol" push usb --vault "$V") ms ($(du -sh "$WORK/usb/salon.git" | cut -f1) there)"
ID=$("$BIN/dangol" list --json --vault "$V" | python3 -c "import json,sys; print(json.load(sys.stdin)[0]['id'])")
"$BIN/dangol" set "$ID" note=bench --vault "$V" >/dev/null
echo "push of one more change: $(timeit "$BIN/dangol" push usb --vault "$V") ms"
echo "clone (fetch, checkout, unlock, check of the head): $(timeit "$BIN/dangol" clone "$WORK/usb/salon.git" "$WORK/restored") ms"
VERSIONS=$("$BIN/dangol" check --history --json --vault "$WORK/restored" | python3 -c "import json,sys; print(json.load(sys.stdin)['records_checked'])")
echo "check --history of the clone ($VERSIONS record versions): $(timeit "$BIN/dangol" check --history --vault "$WORK/restored") ms"
echo "check of the head: $(timeit "$BIN/dangol" check --vault "$WORK/restored") ms"
