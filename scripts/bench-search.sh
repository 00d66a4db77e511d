#!/bin/sh
# Search benchmark, side by side with `pass grep` on the same customers;
# prints the README's search table.
#   cold: the whole `dangol search` process on 1,000 and 10,000 customers
#         (default MODERATE Argon2id), and the floor every command pays
#         (process start, open, Argon2id) reported apart; medians of five;
#   pass: the same 1,000 customers in a pass store (throwaway gpg key made
#         here, in temp dirs; the user's ~/.gnupg and store are not touched);
#   warm: index build (from the record files, then from the index cache),
#         peak memory and p50/p99 over 300 mixed queries at BENCH_SEARCH_MAX
#         customers (100,000 by default), inside one process
#         (dangol-bench-search).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -euo pipefail
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh pass gnupg >/dev/null
MAX="${BENCH_SEARCH_MAX:-100000}"
bench_cleanup() { gpgconf --homedir "$SECRETS/gnupg" --kill gpg-agent 2>/dev/null || true; }
BENCH_NAME=dangol-bench-search
. scripts/bench-setup.sh

echo "== search benchmark, $(nproc) cores, $(date -u +%F), load average $(cut -d' ' -f1-3 /proc/loadavg)"
# The query: the last four digits of the phone of the 500th generated
# customer, who is in every vault below, so each search finds someone (a
# search that finds no one exits 4, and is not what is timed here).
"$BIN/dangol-synth" unused 1000 --seed 2026 --jsonl "$SECRETS/customers.jsonl"
Q=$(sed -n 500p "$SECRETS/customers.jsonl" | python3 -c "import json,sys; print(''.join(c for c in json.load(sys.stdin)['phone'] if c.isdigit())[-4:])")
echo "query: the last four digits of a customer's phone" >&2
declare -A SEARCH FLOOR
for N in 1000 10000; do
    V="$WORK/v$N"
    "$BIN/dangol" init "$V" --owner 원장 >/dev/null
    "$BIN/dangol-synth" "$V" "$N" --seed 2026 --per-commit 1000 >/dev/null
    s=(); f=()
    for i in 1 2 3 4 5; do
        s+=("$(timeit "$BIN/dangol" search "$Q" --vault "$V" --json)")
        # An id that is not there: exit 4, after everything a command pays but the work.
        f+=("$(timeit --exit 4 "$BIN/dangol" show 00000000000000000000000000000000 --vault "$V")")
    done
    SEARCH[$N]=$(median "${s[@]}"); FLOOR[$N]=$(median "${f[@]}")
    echo "dangol search, $N customers: ${SEARCH[$N]} ms (floor ${FLOOR[$N]} ms; runs ${s[*]})" >&2
done

# pass, with the same 1,000 customers, one entry each.
export GNUPGHOME="$SECRETS/gnupg" PASSWORD_STORE_DIR="$WORK/pass-store"
mkdir -m 700 "$GNUPGHOME"
gpg --batch --quiet --pinentry-mode loopback --passphrase '' --quick-gen-key "dangol bench <bench@dangol.invalid>" default default never 2>/dev/null
KEY=$(gpg --batch --list-keys --with-colons | awk -F: '/^fpr/ {print $10; exit}')
pass init "$KEY" >/dev/null
i=0
while IFS= read -r line; do
    i=$((i + 1))
    printf '%s\n' "$line" | pass insert -m -f "customers/$i" >/dev/null
done < "$SECRETS/customers.jsonl"
p=()
for r in 1 2 3; do p+=("$(timeit pass grep "$Q")"); done
PASS=$(median "${p[@]}")
echo "pass grep, 1000 entries: $PASS ms (runs ${p[*]})" >&2

# Warm, in one process: first the index from the record files alone (which
# writes the encrypted index cache), then, in a fresh process, from the cache
# as every later command opens it, and the queries.
V="$WORK/big"
"$BIN/dangol" init "$V" --owner 원장 >/dev/null
"$BIN/dangol-synth" "$V" "$MAX" --seed 2026 --per-commit 5000 --fast >/dev/null
"$BIN/dangol-bench-search" "$V" --cold > "$WORK/cold.txt"
"$BIN/dangol-bench-search" "$V" > "$WORK/warm.txt"
cat "$WORK/cold.txt" "$WORK/warm.txt" >&2

python3 - "$MAX" "${SEARCH[1000]}" "${FLOOR[1000]}" "${SEARCH[10000]}" "${FLOOR[10000]}" "$PASS" "$WORK/cold.txt" "$WORK/warm.txt" <<'PY'
import re, sys
mx, s1, f1, s10, f10, pss, cold, warm = sys.argv[1:]
s1, f1, s10, f10, pss = map(float, (s1, f1, s10, f10, pss))
cold, warm = open(cold).read(), open(warm).read()
def grab(pattern, text):
    m = re.search(pattern, text)
    if not m:
        sys.exit(f"bench-search.sh: dangol-bench-search printed no line matching {pattern!r}")
    return m.groups()
plain, = grab(r"plaintext JSON (\d+) MB", warm)
cms, cpeak = grab(r"from the record files.*?: (\d+) ms, peak (\d+) MB", cold)
wms, wpeak, ratio = grab(r"from the encrypted index cache: (\d+) ms, peak (\d+) MB \(\d+ MB before\): ([\d.]+)×", warm)
lp50, lp99 = grab(r"first 50 shown: p50 ([\d.]+) ms  p99 ([\d.]+) ms", warm)
up50, up99 = grab(r"every match: +p50 ([\d.]+) ms  p99 ([\d.]+) ms", warm)
n = f"{int(mx):,}"
rows = [
    ("`dangol search` of four phone digits, whole process, 1,000 customers",
     f"{s1:,.0f} ms, of which the floor (start, open, Argon2id) {f1:,.0f} ms: search {s1 - f1:,.0f} ms", ""),
    ("the same, 10,000 customers", f"{s10:,.0f} ms: floor {f10:,.0f} ms, search {s10 - f10:,.0f} ms",
     "under 0.5 s besides Argon2id"),
    ("`pass grep` of the same digits, the same 1,000 customers, throwaway gpg key", f"{pss:,.0f} ms", ""),
    ("pass grep / dangol search at 1,000", f"{pss / s1:.0f}× with Argon2id, {pss / max(s1 - f1, 1):.0f}× without",
     "at least 200× without"),
    (f"open the index of {n} customers from the record files (first open: decrypt on all cores, write the cache)",
     f"{int(cms) / 1000:.1f} s, peak {cpeak} MB ({int(cpeak) / int(plain):.1f}× plaintext)", ""),
    ("open it from the encrypted index cache (every later open; a change since costs only its records)",
     f"{int(wms):,} ms, peak {wpeak} MB ({float(ratio):.2f}× the {plain} MB of plaintext JSON)", "under 2× plaintext"),
    (f"warm search at {n}, 300 mixed queries (digits, names, 초성, words, filters), first 50 shown as the shell shows them",
     f"p50 {float(lp50):.2f} ms, p99 {float(lp99):.2f} ms", "p99 under 2 ms"),
    ("the same, every match handed out (`--json` without `--limit`)", f"p50 {float(up50):.2f} ms, p99 {float(up99):.2f} ms", ""),
]
print()
print("| what | figure | target |")
print("| --- | --- | --- |")
for r in rows:
    print("| " + " | ".join(r) + " |")
PY
