#!/bin/sh
# Erasure benchmark, side by side with git filter-repo on identical copies;
# prints the README's erasure table.
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
# median of three runs on fresh copies. Copies are synced to the disk before
# anything is timed, so neither tool pays for writing the other's copy back.
# After every erasure: the scan found no remnant, `git fsck --full --strict`
# is clean and the customer is in no object git can list, or the script fails.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -euo pipefail
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh git-filter-repo >/dev/null
BENCH_NAME=dangol-bench-erase
. scripts/bench-setup.sh
export DANGOL_MIRROR=inline

# The floor: a command that starts, opens and unlocks, then finds nothing (exit 4).
floor() { timeit --exit 4 "$BIN/dangol" show 00000000000000000000000000000000 --vault "$1"; }

# The erasure receipts' remnant counts, and git's own checks, after an erase.
verify() {
    local vault=$1 what=$2 remnants
    remnants=$("$BIN/dangol" audit --action erase --json --vault "$vault" |
        python3 -c "import json,sys; print(sum(e['receipt']['remnants_found'] for e in json.load(sys.stdin)))")
    [ "$remnants" = 0 ] || { echo "bench-erase.sh: $what: the scan found $remnants remnants" >&2; exit 1; }
    git -C "$vault" fsck --full --strict >/dev/null 2>"$WORK/fsck.err" ||
        { echo "bench-erase.sh: $what: git fsck --full --strict failed" >&2; cat "$WORK/fsck.err" >&2; exit 1; }
}

echo "== erasure benchmark, $(nproc) cores, $(date -u +%F), load average $(cut -d' ' -f1-3 /proc/loadavg), git filter-repo $(git filter-repo --version)"
V="$WORK/vault"
"$BIN/dangol" init "$V" --owner 원장 >/dev/null
"$BIN/dangol-synth" "$V" 2000 --seed 2026 --per-commit 1 --edits 8000 --fast --pack-as-used >/dev/null
# How a vault's objects lie: "8 packs (96 MiB) and 3,528 loose objects"; packsize: "102 MiB".
shape() { git -C "$1" count-objects -v |
    awk '/^count:/{l=$2} /^packs:/{n=$2} /^size-pack:/{s=$2} END{ printf "%d packs (%.0f MiB) and %d loose objects\n", n, s / 1024, l }' |
    sed ':a;s/\B[0-9]\{3\}\>/,&/;ta'; }
packsize() { git -C "$1" count-objects -v | awk '/^size-pack:/{ printf "%.0f MiB\n", $2 / 1024 }'; }
COMMITS=$(git -C "$V" rev-list --count HEAD)
echo "vault: 2,000 customers, $COMMITS commits" >&2
# The customer added in the 100th commit: 9,900 later commits hold them.
git -C "$V" log --reverse --format=%s > "$WORK/subjects"
ID=$(sed -n '101p' "$WORK/subjects" | cut -d' ' -f2)
[ -n "$ID" ] || { echo "bench-erase.sh: no customer in the 100th commit" >&2; exit 1; }
FILE="records/${ID:0:2}/${ID:2:2}/$ID.rec"

# dangol erase and git filter-repo on two identical copies of $1, three
# times on fresh copies; sets D (dangol less the floor), F (the floor), G
# (filter-repo's median), GMIN (its fastest) and RUNS (its runs).
compare() {
    local ds=() gs=() fs=() d
    for run in 1 2 3; do
        rm -rf "$WORK/for-dangol" "$WORK/for-filter-repo"
        cp -a "$1" "$WORK/for-dangol"
        cp -a "$1" "$WORK/for-filter-repo"
        sync
        fs+=("$(floor "$WORK/for-dangol")")
        ds+=("$(timeit "$BIN/dangol" erase "$ID" --reason "benchmark" --yes --vault "$WORK/for-dangol")")
        gs+=("$(timeit git -C "$WORK/for-filter-repo" filter-repo --force --invert-paths --path "$FILE")")
        verify "$WORK/for-dangol" "$2, run $run"
        if git -C "$WORK/for-dangol" rev-list --all --objects > "$WORK/objects" && grep -q "$ID" "$WORK/objects"; then
            echo "bench-erase.sh: $2: $ID still reachable" >&2; exit 1
        fi
    done
    F=$(median "${fs[@]}"); d=$(median "${ds[@]}"); G=$(median "${gs[@]}")
    D=$((d - F)); GMIN=$(printf '%s\n' "${gs[@]}" | sort -n | head -1)
    RUNS="$(thousands "${gs[0]}"); $(thousands "${gs[1]}"); $(thousands "${gs[2]}")"
    echo "$2: dangol ${ds[*]} (floor ${fs[*]}), filter-repo ${gs[*]}" >&2
}

rows=(); fastest=(); floors=()
ratio() { python3 -c "import sys; print(f'{float(sys.argv[2]) / max(float(sys.argv[1]), 1):.1f}×')" "$1" "$2"; }
row() {
    rows+=("| $1 | $(thousands "$D") ms | $(thousands "$G") ms ($RUNS) | $(ratio "$D" "$G") |")
    fastest+=("$(ratio "$D" "$GMIN")"); floors+=("$F")
}

what="as a vault in use: $(shape "$V")"
compare "$V" "as in use"
row "$what"

cp -a "$V" "$WORK/one-pack"
"$BIN/dangol" gc --vault "$WORK/one-pack" >/dev/null
what="in one pack (\`dangol gc\`, $(packsize "$WORK/one-pack"))"
compare "$WORK/one-pack" "one pack"
row "$what"
rm -rf "$WORK/one-pack"

L="$WORK/all-loose"
cp -a "$V" "$L"
mkdir "$WORK/packs"
mv "$L"/.git/objects/pack/pack-* "$WORK/packs/"
for P in "$WORK"/packs/*.pack; do git -C "$L" unpack-objects -q < "$P"; done
rm -rf "$WORK/packs"
what="every object loose (a vault whose packing never ran; $(thousands "$(git -C "$L" count-objects -v | awk '/^count:/{print $2}')") files)"
compare "$L" "all loose"
row "$what"
rm -rf "$L"

# Retention: one rewrite for about 100 customers.
R="$WORK/retention"
"$BIN/dangol" init "$R" --owner 원장 >/dev/null
"$BIN/dangol-synth" "$R" 2000 --seed 2027 --per-commit 1 --edits 8000 --fast --pack-as-used --history-from 2019-11-25 >/dev/null
BEST=""; BESTN=0
for P in 5y 4y 3y 30m 2y 18m 1y; do
    "$BIN/dangol" retention --inactive "$P" --json --vault "$R" > "$WORK/retention.json"
    n=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))))" "$WORK/retention.json")
    if [ -z "$BEST" ] || [ $(( (n - 100) * (n - 100) )) -lt $(( (BESTN - 100) * (BESTN - 100) )) ]; then BEST=$P; BESTN=$n; fi
done
F=$(floor "$R")
T=$(timeit "$BIN/dangol" retention --inactive "$BEST" --erase --yes --vault "$R")
verify "$R" "retention --erase"
rows+=("| \`dangol retention --inactive $BEST --erase\`: $BESTN customers in one rewrite, as in use | $(thousands $((T - F))) ms | | |")
floors+=("$F")

echo
echo "Vault: 2,000 generated customers in $(thousands "$COMMITS") commits; the floor (start, open, Argon2id) taken off dangol's figures: $(printf '%s\n' "${floors[@]}" | sort -n | head -1)–$(printf '%s\n' "${floors[@]}" | sort -n | tail -1) ms."
echo
echo "| history | dangol erase (rewrite + purge + verification scan + receipt) | git filter-repo (its three runs) | ratio |"
echo "| --- | --- | --- | --- |"
printf '%s\n' "${rows[@]}"
echo
echo "Every run: 0 remnants found by the scan, \`git fsck --full --strict\` clean, the customer in no object git can list. Against filter-repo's fastest run in each row: $(printf '%s, ' "${fastest[@]}" | sed 's/, $//')."
