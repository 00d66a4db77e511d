#!/bin/sh
# The benchmark: builds a vault of generated customers (100,000 by default;
# BENCH_CUSTOMERS=N for another size) with the default MODERATE Argon2id and
# prints the figures the README quotes. Times are wall-clock on this machine.
set -eu
cd "$(dirname "$0")/.."
N="${BENCH_CUSTOMERS:-100000}"
swift build -c release >/dev/null
BIN="$(swift build -c release --show-bin-path)"
umask 077
RAM=/dev/shm
[ -d "$RAM" ] && [ -w "$RAM" ] || RAM="${XDG_RUNTIME_DIR:?needs /dev/shm or XDG_RUNTIME_DIR}"
SECRETS=$(mktemp -d "$RAM/dangol-bench.XXXXXX")
WORK=$(mktemp -d "${BENCH_DIR:-${TMPDIR:-/tmp}}/dangol-bench.XXXXXX")
trap 'rm -rf "$SECRETS" "$WORK"' EXIT INT TERM
printf '%s\n' "bench marker quartz violet" > "$SECRETS/pass"
export DANGOL_PASSPHRASE_FILE="$SECRETS/pass"
V="$WORK/vault"

now() { python3 -c 'import time; print(time.monotonic())'; }
elapsed() { python3 -c "import sys; print(f'{(float(sys.argv[2]) - float(sys.argv[1])):.2f}')" "$1" "$2"; }

echo "== dangol benchmark: $N generated customers, $(nproc) cores, $(uname -m)"
"$BIN/dangol" init "$V" --owner 원장 >/dev/null
t0=$(now)
"$BIN/dangol-synth" "$V" "$N" --seed 2026 --per-commit 1000
t1=$(now)
echo "build the vault: $(elapsed "$t0" "$t1") s for $N customers in $(git -C "$V" rev-list --count HEAD) commits"
echo "vault size: $(du -sh "$V/.git" | cut -f1) in .git"
echo
echo "-- in process (dangol-bench)"
"$BIN/dangol-bench" "$V" --runs 20
echo
echo "-- whole processes: median of 5 runs, then minus the Argon2id unlock measured above"
python3 - "$BIN/dangol" "$V" <<'PY'
import statistics, subprocess, sys, time, os
dangol, vault = sys.argv[1], sys.argv[2]
env = dict(os.environ, DANGOL_VAULT=vault)
def timed(args):
    t = time.monotonic(); out = subprocess.run([dangol] + args, env=env, check=True, capture_output=True, text=True).stdout
    return time.monotonic() - t, out.strip()
ids = []
adds = []
for i in range(5):
    dt, out = timed(["add", "--name", "벤치마크", "--phone", f"010-5{i:03d}-0000"]); adds.append(dt); ids.append(out)
sets = [timed(["set", ids[i], f"phone=010-6{i:03d}-1111"])[0] for i in range(5)]
# Argon2id alone, through the library's own KDF at the vault's parameters.
kdf = [timed(["show", ids[0], "--json"])[0] for _ in range(3)]
print(f"dangol add:  median {statistics.median(adds)*1000:.0f} ms (process, unlock included)")
print(f"dangol set:  median {statistics.median(sets)*1000:.0f} ms (process, unlock included)")
print(f"dangol show: median {statistics.median(kdf)*1000:.0f} ms (process, unlock included; the floor any command pays)")
print(f"add minus show: {(statistics.median(adds)-statistics.median(kdf))*1000:.0f} ms   set minus show: {(statistics.median(sets)-statistics.median(kdf))*1000:.0f} ms")
PY
