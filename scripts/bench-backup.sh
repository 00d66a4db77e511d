#!/bin/sh
# Backup benchmark: a vault of BENCH_CUSTOMERS (10,000) generated customers
# with a history (one commit per 10 customers, then BENCH_EDITS changes
# spread over them, one commit each), pushed to a path remote, cloned from
# it, and checked with --history. Whole processes, default MODERATE
# Argon2id; the unlock floor (start, open, Argon2id) is reported apart.
# Prints the README's backup table. Secrets live in /dev/shm; vaults in
# BENCH_DIR (default $TMPDIR or /tmp).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -euo pipefail
cd "$(dirname "$0")/.."
N="${BENCH_CUSTOMERS:-10000}"
EDITS="${BENCH_EDITS:-2000}"
BENCH_NAME=dangol-bench-backup
. scripts/bench-setup.sh
export DANGOL_MIRROR=inline

V="$WORK/salon"
"$BIN/dangol" init "$V" --owner 원장 >/dev/null
"$BIN/dangol-synth" "$V" "$N" --seed 2026 --per-commit 10 --edits "$EDITS" --fast >/dev/null
COMMITS=$(git -C "$V" rev-list --count HEAD)
SIZE=$(du -sh "$V/.git" | cut -f1)
echo "== backup benchmark, $(nproc) cores, $(date -u +%F), load average $(cut -d' ' -f1-3 /proc/loadavg): $N customers, $COMMITS commits, $SIZE in .git"
# synth --fast leaves the working tree behind: the first command checks it out.
"$BIN/dangol" list --vault "$V" >/dev/null
# A lookup of an id that is not there (exit 4): everything a command pays but the work.
floor=$(timeit --exit 4 "$BIN/dangol" show 00000000000000000000000000000000 --vault "$V")

"$BIN/dangol" remote add usb "$WORK/usb/salon.git" --vault "$V" >/dev/null
first=$(timeit "$BIN/dangol" push usb --vault "$V")
there=$(du -sh "$WORK/usb/salon.git" | cut -f1)
"$BIN/dangol" list --json --vault "$V" > "$WORK/list.json"
ID=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[0]['id'])" "$WORK/list.json")
"$BIN/dangol" set "$ID" note=bench --vault "$V" >/dev/null
again=$(timeit "$BIN/dangol" push usb --vault "$V")
clone=$(timeit "$BIN/dangol" clone "$WORK/usb/salon.git" "$WORK/restored")
"$BIN/dangol" check --history --json --vault "$WORK/restored" > "$WORK/check.json"
read -r VERSIONS SUMMARIES < <(python3 -c "import json,sys; c = json.load(open(sys.argv[1])); print(c['records_checked'], c['commits_checked'])" "$WORK/check.json")
history=$(timeit "$BIN/dangol" check --history --vault "$WORK/restored")
head=$(timeit "$BIN/dangol" check --vault "$WORK/restored")

echo
echo "| what | time |"
echo "| --- | --- |"
echo "| floor of a command that unlocks (start, open, Argon2id) | $(thousands "$floor") ms |"
echo "| first \`dangol push\` to a path remote ($there written there) | $(thousands "$first") ms |"
echo "| \`dangol push\` of one more change | $(thousands "$again") ms |"
echo "| \`dangol clone\` of it (fetch, checkout of $(thousands "$N") files, unlock, check of the head) | $(thousands "$clone") ms |"
echo "| \`dangol check --history\` of the clone: $(thousands "$VERSIONS") record versions decrypted and validated, $(thousands "$SUMMARIES") summaries | $(thousands "$history") ms |"
echo "| \`dangol check\` of the head ($(thousands "$N") records) | $(thousands "$head") ms |"
