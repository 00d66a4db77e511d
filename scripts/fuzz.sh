#!/bin/sh
# libFuzzer over dangol's parsers: record files, key slots, customer JSON
# (the schema validator), search queries, import files (CSV / JSON lines), pack
# indexes, and packs read against their index.
#   sh scripts/fuzz.sh [TARGET...]      default: all seven
#   FUZZ_SECONDS   seconds per target (default 60; 0: no fuzzing at all, where
#                  libFuzzer itself would take 0 to mean no limit)
#   FUZZ_WORK      where corpora and crash inputs go (default .build-fuzz/work)
# The fuzz build (-sanitize=fuzzer,address) has its own scratch path, so it
# never disturbs the normal build. Seeds are generated from a fixed seed by
# `dangol-fuzz seeds`; a crash leaves its input under $FUZZ_WORK/crashes and
# ends the script non-zero (replay it: dangol-fuzz replay TARGET FILE).
set -eu
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-60}"
case "$seconds" in
    ''|*[!0-9]*) echo "fuzz.sh: FUZZ_SECONDS must be a whole number of seconds, not \"$seconds\"" >&2; exit 2 ;;
esac
if [ "$seconds" -eq 0 ]; then
    echo "fuzz.sh: FUZZ_SECONDS=0: no fuzzing"
    exit 0
fi
work="${FUZZ_WORK:-$PWD/.build-fuzz/work}"
targets="${*:-record keyslot customer query csv packindex pack}"

# FUZZ_SEEDER: a dangol-fuzz from the normal build (the test suite passes
# its own, since it already holds the normal build's lock).
seeder="${FUZZ_SEEDER:-}"
if [ -z "$seeder" ]; then
    swift build --product dangol-fuzz >/dev/null
    seeder="$(swift build --show-bin-path)/dangol-fuzz"
fi
mkdir -p "$work/crashes"
# The fuzz build resolves the packages into its own scratch path.
sh scripts/resolve-packages.sh --scratch-path .build-fuzz >"$work/resolve.log" 2>&1 || { cat "$work/resolve.log" >&2; exit 1; }
if ! swift build --product dangol-fuzz --scratch-path .build-fuzz \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -DDANGOL_LIBFUZZER >"$work/build.log" 2>&1
then
    grep -v "Cannot export local symbol" "$work/build.log" | tail -20 >&2
    echo "fuzz.sh: the fuzz build failed" >&2
    exit 1
fi
fuzzer="$(swift build --product dangol-fuzz --scratch-path .build-fuzz --show-bin-path)/dangol-fuzz"

rm -rf "$work/seeds"
"$seeder" seeds "$work/seeds"
failed=0
for t in $targets; do
    mkdir -p "$work/corpus/$t"
    log="$work/$t.log"
    # -timeout: an input that takes over 5 s is a hang; -rss_limit_mb: one
    # that needs over 2 GiB is a finding too.
    if DANGOL_FUZZ_TARGET="$t" ASAN_OPTIONS=detect_leaks=0 "$fuzzer" \
        -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 -max_len=4096 -print_final_stats=1 \
        -artifact_prefix="$work/crashes/$t-" "$work/corpus/$t" "$work/seeds/$t" >"$log" 2>&1
    then status=ok; else status=CRASH; failed=1; fi
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
    printf '%-9s %s  %s executions in %s s, %s, corpus %s inputs\n' "$t" "$status" "${execs:-?}" "$seconds" \
        "${cov:-cov: ?}" "$(ls "$work/corpus/$t" | wc -l)"
    [ "$status" = ok ] || tail -30 "$log"
done
exit $failed
