#!/bin/sh
# The benchmark: builds a vault of generated customers, one commit each
# (100,000 customers and 100,000 commits by default; BENCH_CUSTOMERS=N for
# another size) plus one customer edited 1,000 times (BENCH_EDITS), with the
# default MODERATE Argon2id, and prints the README's table: in process
# (dangol-bench) with every object loose as generated, then the same vault
# packed by `dangol gc`, a small vault with the same edited record, and
# whole processes. Times are wall-clock on this machine; Argon2id is
# reported on its own.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -euo pipefail
cd "$(dirname "$0")/.."
N="${BENCH_CUSTOMERS:-100000}"
EDITS="${BENCH_EDITS:-1000}"
BENCH_NAME=dangol-bench
. scripts/bench-setup.sh
V="$WORK/vault"

echo "== dangol benchmark: $N generated customers, $(nproc) cores, $(uname -m), $(date -u +%F), load average $(cut -d' ' -f1-3 /proc/loadavg)"
"$BIN/dangol" init "$V" --owner 원장 >/dev/null
# Set-up only: --fast skips fsync and the per-commit working-tree update.
t0=$SECONDS
"$BIN/dangol-synth" "$V" "$N" --seed 2026 --per-commit 1 --edits-of-one "$EDITS" --fast > "$WORK/synth.txt"
setup=$((SECONDS - t0))
EDITED=$(sed -n 's/^edited: //p' "$WORK/synth.txt")
[ -n "$EDITED" ] || { echo "bench.sh: dangol-synth named no edited customer" >&2; exit 1; }
COMMITS=$(git -C "$V" rev-list --count HEAD)
echo "set-up: $setup s for $N customers in $COMMITS commits ($(du -sh "$V/.git" | cut -f1) in .git, every object loose)"

# git itself listing the history: three runs, the median.
revlist() { local a b c; a=$(timeit git -C "$1" rev-list --count HEAD); b=$(timeit git -C "$1" rev-list --count HEAD)
    c=$(timeit git -C "$1" rev-list --count HEAD); median "$a" "$b" "$c"; }

echo "-- in process, every object loose" >&2
"$BIN/dangol-bench" "$V" --runs 20 --blame "$EDITED" > "$WORK/loose.json"
revlist_loose=$(revlist "$V")
# What the last edit wrote, and the access-log entry after it: the objects
# reachable from each commit and not from its parent.
written() {
    git -C "$V" rev-list --objects "$1^..$1" | cut -d' ' -f1 > "$WORK/$2"
    git -C "$V" cat-file --batch-check='%(objecttype) %(objectsize)' < "$WORK/$2" > "$WORK/$2.sizes"
}
written "$(git -C "$V" log -1 --invert-grep --grep='^audit$' --format=%H)" edit-objects
written "$(git -C "$V" log -1 --grep='^audit$' --format=%H)" audit-objects

echo "-- the same record history in a small vault: 2,000 customers" >&2
V2="$WORK/small"
"$BIN/dangol" init "$V2" --owner 원장 >/dev/null
"$BIN/dangol-synth" "$V2" 2000 --seed 7 --per-commit 1 --edits-of-one "$EDITS" --fast > "$WORK/synth2.txt"
E2=$(sed -n 's/^edited: //p' "$WORK/synth2.txt")
"$BIN/dangol-bench" "$V2" --runs 5 --blame "$E2" > "$WORK/small.json"

echo "-- whole processes, median of 5 runs" >&2
python3 - "$BIN/dangol" "$V" "$EDITED" > "$WORK/whole.json" <<'PY'
import json, statistics, subprocess, sys, time, os
dangol, vault, edited = sys.argv[1:]
# Back to back, each change waits for the previous one's background mirror
# update (the write lock): on a busy machine that can outlast the default 10 s.
env = dict(os.environ, DANGOL_VAULT=vault, DANGOL_LOCK_TIMEOUT="300")
def timed(args):
    t = time.monotonic()
    out = subprocess.run([dangol] + args, env=env, check=True, capture_output=True, text=True).stdout
    return (time.monotonic() - t) * 1000, out.strip()
ids, adds = [], []
for i in range(5):
    dt, out = timed(["add", "--name", "벤치마크", "--phone", f"010-5{i:03d}-0000"]); adds.append(dt); ids.append(out)
rows = {
    "add": adds,
    "set": [timed(["set", ids[i], f"phone=010-6{i:03d}-1111"])[0] for i in range(5)],
    "show": [timed(["show", ids[0], "--json"])[0] for _ in range(5)],
    "log": [timed(["log", "--limit", "50", "--json"])[0] for _ in range(5)],
    "blame": [timed(["blame", edited, "--json"])[0] for _ in range(3)],
}
print(json.dumps({k: statistics.median(v) for k, v in rows.items()}))
PY

echo "-- packed by dangol gc" >&2
# The changes above may have started dangol's own background packing (past
# 6,700 loose objects) already; after gc the vault is one pack.
gc=$(timeit "$BIN/dangol" gc --vault "$V")
objects=$(git -C "$V" count-objects -v | awk '/^in-pack:/ { print $2 }')
"$BIN/dangol-bench" "$V" --runs 20 --blame "$EDITED" > "$WORK/packed.json"
revlist_packed=$(revlist "$V")

python3 - "$WORK" "$N" "$COMMITS" "$EDITS" "$objects" "$gc" "$revlist_loose" "$revlist_packed" <<'PY'
import json, sys
work, n, commits, edits, objects, gc, rl_loose, rl_packed = sys.argv[1:]
load = lambda name: json.load(open(f"{work}/{name}.json"))
loose, packed, small, whole = load("loose"), load("packed"), load("small"), load("whole")
num = lambda x: f"{int(x):,}"
def ms(x):
    return f"{x:,.0f} ms" if x >= 100 else f"{x:.1f} ms"
def both(a, b, key):
    return f"{ms(a[key]).removesuffix(' ms')} / {ms(b[key])}"
def written(name):
    kinds, size = {}, 0
    for line in open(f"{work}/{name}.sizes"):
        kind, bytes_ = line.split()
        kinds[kind] = kinds.get(kind, 0) + 1
        size += int(bytes_)
    return (f"{sum(kinds.values())} ({kinds.get('commit', 0)} commit, {kinds.get('tree', 0)} trees, "
            f"{kinds.get('blob', 0)} blob), {size / 1000:.1f} KB")
rows = [
    (f"Argon2id unlock ({loose['kdf_ops']} passes, {loose['kdf_mib']} MiB)", ms(loose["unlock_ms"]), ""),
    ("add one customer, as `dangol add` does it (commit; mirror follows in the background)",
     ms(loose["add"]["median"]), ms(loose["add"]["p90"])),
    ("commit one edit, as `dangol set` does it", ms(loose["edit"]["median"]), ms(loose["edit"]["p90"])),
    ("the background working-tree and index update after it", ms(loose["mirror"]["median"]), ms(loose["mirror"]["p90"])),
    ("add / edit with the mirror updated before returning (`DANGOL_MIRROR=inline`)",
     f"{ms(loose['add_inline']['median']).removesuffix(' ms')} / {ms(loose['edit_inline']['median'])}",
     f"{ms(loose['add_inline']['p90']).removesuffix(' ms')} / {ms(loose['edit_inline']['p90'])}"),
    ("objects one edit writes", written("edit-objects"), ""),
    ("objects its access-log entry writes", written("audit-objects"), ""),
    ("`log`, newest 50 entries with summaries decrypted", ms(loose["log50"]["median"]), ms(loose["log50"]["p90"])),
    (f"`blame` of a record with {num(small['blame_versions'])} versions, vault of {num(small['customers'])} customers",
     ms(small["blame"]["median"]), ms(small["blame"]["p90"])),
    (f"`blame` of the same history in the {num(commits)}-commit vault", ms(loose["blame"]["median"]), ms(loose["blame"]["p90"])),
    (f"`git rev-list --count HEAD` of that vault (git itself)", ms(float(rl_loose)), ""),
    (f"the same vault packed (`dangol gc`, once, {int(gc) / 1000:.0f} s: {num(objects)} objects in one pack): `blame`",
     ms(packed["blame"]["median"]), ms(packed["blame"]["p90"])),
    ("packed: `log` newest 50 / add one customer / commit one edit",
     f"{ms(packed['log50']['median']).removesuffix(' ms')} / {ms(packed['add']['median']).removesuffix(' ms')} / {ms(packed['edit']['median'])}",
     f"{ms(packed['log50']['p90']).removesuffix(' ms')} / {ms(packed['add']['p90']).removesuffix(' ms')} / {ms(packed['edit']['p90'])}"),
    ("packed: `git rev-list --count HEAD`", ms(float(rl_packed)), ""),
    (f"list every record id from the fan-out trees ({num(loose['customers'])} files)", ms(loose["list_ids_ms"]), ""),
]
print()
print("| what | median | p90 |")
print("| --- | --- | --- |")
for what, median, p90 in rows:
    print(f"| {what} | {median} | {p90} |")
print()
print(f"Whole processes (unlock included), median of 5 runs in the loose vault: `dangol show` {ms(whole['show'])}, "
      f"`dangol log --limit 50` {ms(whole['log'])}, `dangol blame` of the edited record {ms(whole['blame'])}; "
      f"run back to back, `dangol add` {ms(whole['add'])} and `dangol set` {ms(whole['set'])}.")
PY
