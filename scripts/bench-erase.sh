#!/bin/sh
# Erasure benchmark, side by side with git filter-repo on identical copies.
#   one:       a vault of 2,000 generated customers in 10,000 commits (each
#              customer added, then 8,000 changes spread over them), packed
#              as dangol packs a vault in use (in the background whenever
#              6,700 objects are loose); one customer erased by `dangol
#              erase` (rewrite, purge and the verification scan) and by
#              `git filter-repo --invert-paths` on an identical copy. The
#              ratio is the figure to watch. Then the same vault in one pack
#              (`dangol gc`), and with every object loose (a vault whose
#              packing never ran: the worst case).
#   retention: the same shape with a history spread over the past seven
#              years; `dangol retention --inactive P --erase` of about 100
#              customers in one rewrite.
# Argon2id (default MODERATE) is paid once per dangol process: it is timed
# apart (the floor: start, open, unlock) and taken off. Each figure is the
# median of three runs on fresh copies. Copies are synced to
# the disk before anything is timed, so neither tool pays for writing the
# other's copy back.
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh git-filter-repo >/dev/null
BENCH_NAME=dangol-bench-erase
. scripts/bench-setup.sh
export DANGOL_MIRROR=inline

timeit() { python3 - "$@" <<'PY'
import subprocess, sys, time
t = time.monotonic()
r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
if r.returncode != 0:
    sys.stderr.write(r.stderr.decode(errors="replace")); sys.exit(r.returncode)
print(f"{(time.monotonic() - t) * 1000:.0f}")
PY
}
# The floor: a command that starts, opens and unlocks, then finds nothing.
floor() { python3 - "$BIN/dangol" "$1" <<'PY'
import subprocess, sys, time
t = time.monotonic()
subprocess.run([sys.argv[1], "show", "0" * 32, "--vault", sys.argv[2]], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(f"{(time.monotonic() - t) * 1000:.0f}")
PY
}

echo "== erasure benchmark, $(nproc) cores, git filter-repo $(git filter-repo --version 2>/dev/null || echo '?')"
V="$WORK/vault"
"$BIN/dangol" init "$V" --owner 원장 >/dev/null
"$BIN/dangol-synth" "$V" 2000 --seed 2026 --per-commit 1 --edits 8000 --fast --pack-as-used >/dev/null
shape() { git -C "$1" count-objects -vH | awk '/^count:/{l=$2} /^in-pack:/{p=$2} /^packs:/{n=$2} /^size-pack:/{s=$2" "$3} END{print p" objects in "n" packs ("s"), "l" loose"}'; }
echo "vault: 2,000 customers, $(git -C "$V" rev-list --count HEAD) commits"
# The customer added in the 100th commit: 9,900 later commits hold them.
ID=$(git -C "$V" log --reverse --format=%s | sed -n '101p' | cut -d' ' -f2)
FILE="records/$(echo "$ID" | cut -c1-2)/$(echo "$ID" | cut -c3-4)/$ID.rec"

# dangol erase and git filter-repo on two identical copies of $1, three
# times on fresh copies; the medians are compared.
median() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
compare() {
    DS=""; GS=""; FS=""
    for run in 1 2 3; do
        rm -rf "$WORK/for-dangol" "$WORK/for-filter-repo"
        cp -a "$1" "$WORK/for-dangol"
        cp -a "$1" "$WORK/for-filter-repo"
        sync
        FS="$FS $(floor "$WORK/for-dangol")"
        DS="$DS $(timeit "$BIN/dangol" erase "$ID" --reason "benchmark" --yes --vault "$WORK/for-dangol")"
        GS="$GS $(timeit git -C "$WORK/for-filter-repo" filter-repo --force --invert-paths --path "$FILE")"
    done
    F=$(median $FS); D=$(median $DS); G=$(median $GS)
    echo "dangol erase, one customer (rewrite + purge + verification): $((D - F)) ms (whole process $D ms; floor $F ms; runs:$DS)"
    echo "git filter-repo --invert-paths, same customer, identical copy: $G ms (runs:$GS)"
    python3 -c "import sys; d,g=map(float,sys.argv[1:]); print(f'ratio: filter-repo / dangol = {g/max(d,1):.1f}x')" "$((D - F))" "$G"
    git -C "$WORK/for-dangol" fsck --full --strict >/dev/null 2>&1 && echo "git fsck --full --strict after dangol erase: clean"
    if git -C "$WORK/for-dangol" rev-list --all --objects | grep -q "$ID"; then echo "FAILED: $ID still reachable"; exit 1; fi
}

echo "-- as dangol keeps a vault in use: $(shape "$V")"
compare "$V"
echo
cp -a "$V" "$WORK/one-pack"
"$BIN/dangol" gc --vault "$WORK/one-pack" >/dev/null
echo "-- in one pack (dangol gc): $(shape "$WORK/one-pack")"
compare "$WORK/one-pack"
rm -rf "$WORK/one-pack"
echo
L="$WORK/all-loose"
cp -a "$V" "$L"
mkdir "$WORK/packs"
mv "$L"/.git/objects/pack/pack-* "$WORK/packs/"
for P in "$WORK"/packs/*.pack; do git -C "$L" unpack-objects -q < "$P"; done
rm -rf "$WORK/packs"
echo "-- every object loose (a vault whose packing never ran): $(shape "$L")"
compare "$L"
rm -rf "$L"
echo
echo "-- retention: one rewrite for about 100 customers"
R="$WORK/retention"
"$BIN/dangol" init "$R" --owner 원장 >/dev/null
"$BIN/dangol-synth" "$R" 2000 --seed 2027 --per-commit 1 --edits 8000 --fast --pack-as-used --history-from 2019-11-25 >/dev/null
BEST=""; BESTN=0
for P in 5y 4y 3y 30m 2y 18m 1y; do
    n=$("$BIN/dangol" retention --inactive "$P" --json --vault "$R" | python3 -c "import json,sys; print(len(json.load(sys.stdin)))")
    if [ -z "$BEST" ] || [ $(( (n - 100) * (n - 100) )) -lt $(( (BESTN - 100) * (BESTN - 100) )) ]; then BEST=$P; BESTN=$n; fi
done
F=$(floor "$R")
T=$(timeit "$BIN/dangol" retention --inactive "$BEST" --erase --yes --vault "$R")
echo "dangol retention --inactive $BEST --erase: $BESTN customers in one rewrite: $((T - F)) ms (whole process $T ms)"
git -C "$R" fsck --full --strict >/dev/null 2>&1 && echo "git fsck --full --strict after retention --erase: clean"
