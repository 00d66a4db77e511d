#!/bin/sh
# Search benchmark, side by side with `pass grep` on the same customers.
#   cold: the whole `dangol search` process on 1,000 and 10,000 customers
#         (default MODERATE Argon2id), and the floor every command pays
#         (process start, open, Argon2id) reported apart;
#   pass: the same 1,000 customers in a pass store (throwaway gpg key made
#         here, in temp dirs; the user's ~/.gnupg and store are not touched);
#   warm: index build (from the record files, then from the index cache),
#         peak memory and p50/p99 over 300 mixed queries at BENCH_SEARCH_MAX
#         customers (100,000 by default), inside one process
#         (dangol-bench-search).
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh pass gnupg >/dev/null
MAX="${BENCH_SEARCH_MAX:-100000}"
bench_cleanup() { gpgconf --homedir "$SECRETS/gnupg" --kill gpg-agent 2>/dev/null || true; }
BENCH_NAME=dangol-bench-search
. scripts/bench-setup.sh

median() { python3 -c "import statistics,sys; print(f'{statistics.median(float(x) for x in sys.argv[1:])*1000:.0f}')" "$@"; }
timeit() { python3 - "$@" <<'PY'
import subprocess, sys, time
t = time.monotonic(); subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); print(f"{time.monotonic() - t:.4f}")
PY
}

echo "== search benchmark, $(nproc) cores"
for N in 1000 10000; do
    V="$WORK/v$N"
    "$BIN/dangol" init "$V" --owner 원장 >/dev/null
    "$BIN/dangol-synth" "$V" "$N" --seed 2026 --per-commit 1000 >/dev/null
    s=""; f=""
    for i in 1 2 3 4 5; do
        s="$s $(timeit "$BIN/dangol" search 5678 --vault "$V" --json)"
        f="$f $(timeit "$BIN/dangol" show 00000000000000000000000000000000 --vault "$V")"
    done
    ms=$(median $s); floor=$(median $f)
    echo "dangol search 5678, $N customers: ${ms} ms (floor: start, open and Argon2id ${floor} ms; search itself $((ms - floor)) ms)"
    [ "$N" = 1000 ] && { D1=$ms; F1=$floor; }
done

# pass, with the same 1,000 customers, one entry each.
export GNUPGHOME="$SECRETS/gnupg" PASSWORD_STORE_DIR="$WORK/pass-store"
mkdir -m 700 "$GNUPGHOME"
gpg --batch --quiet --pinentry-mode loopback --passphrase '' --quick-gen-key "dangol bench <bench@dangol.invalid>" default default never 2>/dev/null
KEY=$(gpg --batch --list-keys --with-colons | awk -F: '/^fpr/ {print $10; exit}')
pass init "$KEY" >/dev/null
"$BIN/dangol-synth" unused 1000 --seed 2026 --jsonl "$SECRETS/customers.jsonl"
i=0
while IFS= read -r line; do
    i=$((i + 1))
    printf '%s\n' "$line" | pass insert -m -f "customers/$i" >/dev/null
done < "$SECRETS/customers.jsonl"
p=""
for r in 1 2 3; do p="$p $(timeit pass grep 5678)"; done
pms=$(median $p)
echo "pass grep 5678, 1000 entries: ${pms} ms"
python3 -c "import sys; d,f,p=map(float,sys.argv[1:]); print(f'ratio at 1,000: pass grep / dangol search = {p/d:.0f}x with Argon2id, {p/max(d-f,1):.0f}x without')" "$D1" "$F1" "$pms"

echo
echo "-- warm, in one process, $MAX customers"
V="$WORK/big"
"$BIN/dangol" init "$V" --owner 원장 >/dev/null
"$BIN/dangol-synth" "$V" "$MAX" --seed 2026 --per-commit 5000 --fast >/dev/null
# First the index from the record files alone (which writes the encrypted
# index cache), then, in a fresh process, from the cache as every later
# command opens it, and the queries.
"$BIN/dangol-bench-search" "$V" --cold
"$BIN/dangol-bench-search" "$V"
