#!/bin/sh
# The benchmark: builds a vault of generated customers, one commit each
# (100,000 customers and 100,000 commits by default; BENCH_CUSTOMERS=N for
# another size) plus one customer edited 1,000 times (BENCH_EDITS), with the
# default MODERATE Argon2id, and prints the figures the README quotes.
# Times are wall-clock on this machine; Argon2id is reported on its own.
set -eu
cd "$(dirname "$0")/.."
N="${BENCH_CUSTOMERS:-100000}"
EDITS="${BENCH_EDITS:-1000}"
BENCH_NAME=dangol-bench
. scripts/bench-setup.sh
V="$WORK/vault"

now() { python3 -c 'import time; print(time.monotonic())'; }
elapsed() { python3 -c "import sys; print(f'{(float(sys.argv[2]) - float(sys.argv[1])):.1f}')" "$1" "$2"; }

echo "== dangol benchmark: $N generated customers, $(nproc) cores, $(uname -m)"
"$BIN/dangol" init "$V" --owner 원장 >/dev/null
t0=$(now)
# Set-up only: --fast skips fsync and the per-commit working-tree update.
"$BIN/dangol-synth" "$V" "$N" --seed 2026 --per-commit 1 --edits-of-one "$EDITS" --fast > "$WORK/synth.txt"
t1=$(now)
EDITED=$(sed -n 's/^edited: //p' "$WORK/synth.txt")
echo "set-up: $(elapsed "$t0" "$t1") s for $N customers in $(git -C "$V" rev-list --count HEAD) commits ($(du -sh "$V/.git" | cut -f1) in .git)"
echo
echo "-- in process (dangol-bench; every figure but the first excludes Argon2id)"
"$BIN/dangol-bench" "$V" --runs 20 ${EDITED:+--blame "$EDITED"}
# What the last edit wrote: the objects reachable from it and not from its parent.
git -C "$V" rev-list --objects HEAD^..HEAD | cut -d' ' -f1 | git -C "$V" cat-file --batch-check='%(objecttype) %(objectsize)' |
    awk '{ n++; b += $2; t[$1]++ } END { printf "objects written by one edit: %d (%d commit, %d trees, %d blob), %d bytes\n", n, t["commit"], t["tree"], t["blob"], b }'
echo
echo "-- the same record history in a small vault: 2,000 customers, then $EDITS changes of one"
V2="$WORK/small"
"$BIN/dangol" init "$V2" --owner 원장 >/dev/null
"$BIN/dangol-synth" "$V2" 2000 --seed 7 --per-commit 1 --edits-of-one "$EDITS" --fast > "$WORK/synth2.txt"
E2=$(sed -n 's/^edited: //p' "$WORK/synth2.txt")
"$BIN/dangol-bench" "$V2" --runs 5 --blame "$E2" | grep -E "vault:|blame|log,"
echo
echo "-- whole processes, median of 5 runs (unlock included), and minus the floor of dangol show"
python3 - "$BIN/dangol" "$V" "$EDITED" <<'PY'
import statistics, subprocess, sys, time, os
dangol, vault, edited = sys.argv[1], sys.argv[2], sys.argv[3]
env = dict(os.environ, DANGOL_VAULT=vault)
def timed(args):
    t = time.monotonic(); out = subprocess.run([dangol] + args, env=env, check=True, capture_output=True, text=True).stdout
    return time.monotonic() - t, out.strip()
ids = []
adds = []
for i in range(5):
    dt, out = timed(["add", "--name", "벤치마크", "--phone", f"010-5{i:03d}-0000"]); adds.append(dt); ids.append(out)
rows = {
    "dangol add": adds,
    "dangol set": [timed(["set", ids[i], f"phone=010-6{i:03d}-1111"])[0] for i in range(5)],
    "dangol show (the floor)": [timed(["show", ids[0], "--json"])[0] for _ in range(5)],
    "dangol log --limit 50": [timed(["log", "--limit", "50", "--json"])[0] for _ in range(5)],
}
if edited:
    rows["dangol blame (1,000 versions)"] = [timed(["blame", edited, "--json"])[0] for _ in range(3)]
floor = statistics.median(rows["dangol show (the floor)"])
for name, xs in rows.items():
    m = statistics.median(xs)
    print(f"{name:32s} {m*1000:7.0f} ms   minus floor {max(0, m - floor)*1000:6.0f} ms")
PY
