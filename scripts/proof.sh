#!/bin/sh
# The long runs behind SECURITY.md's reliability figures: crash trials,
# generated bad input and libFuzzer, many times more than the test command
# runs them; and the leak scan's figures (it runs once, as in the test command).
#   CRASH_TRIALS_SET  dangol set killed with SIGKILL at random moments (default 1000)
#   CRASH_TRIALS_ADD, _IMPORT, _ERASE, _PUSH   the same for add, import, erase
#                     and push to a path remote (default 250 each, 1000 in all);
#                     CRASH_TRIALS sets every family at once
#   BAD_INPUT_ROUNDS  mutated inputs per parser (default 100000)
#   FUZZ_SECONDS      libFuzzer time per parser (default 300; 0 skips it)
#   FAULT_SWEEP       full: every write of set, visit, add, import and erase failing,
#                     once and for good (make test: set only, one kind per write)
#   CONCURRENCY_CHANGES  changes per writer, two writers at once (default 100)
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh libgit2-dev libsodium-dev libssl-dev pkg-config git >/dev/null
swift build --build-tests >/dev/null
each="${CRASH_TRIALS:-}"
export CRASH_TRIALS_SET="${CRASH_TRIALS_SET:-${each:-1000}}" CRASH_TRIALS_ADD="${CRASH_TRIALS_ADD:-${each:-250}}" \
    CRASH_TRIALS_IMPORT="${CRASH_TRIALS_IMPORT:-${each:-250}}" CRASH_TRIALS_ERASE="${CRASH_TRIALS_ERASE:-${each:-250}}" \
    CRASH_TRIALS_PUSH="${CRASH_TRIALS_PUSH:-${each:-250}}" BAD_INPUT_ROUNDS="${BAD_INPUT_ROUNDS:-100000}"
export FAULT_SWEEP="${FAULT_SWEEP:-full}" CONCURRENCY_CHANGES="${CONCURRENCY_CHANGES:-100}"
unset CRASH_TRIALS
echo "== crash trials: set $CRASH_TRIALS_SET, add $CRASH_TRIALS_ADD, import $CRASH_TRIALS_IMPORT, erase $CRASH_TRIALS_ERASE, push $CRASH_TRIALS_PUSH"
swift test --skip-build --filter CrashTrialTests 2>&1 | grep -E "error|passed|failed|crash trials:" | grep -v "Test Suite"
echo "== bad input: $BAD_INPUT_ROUNDS rounds per parser (record files, key slots, index segments, customer JSON, queries, CSV)"
swift test --skip-build --filter BadInputTests 2>&1 | grep -E "error|passed|failed" | grep -v "Test Suite"
echo "== faults: a full disk (tmpfs), and every write of a change failing ($FAULT_SWEEP)"
swift test --skip-build --filter 'DiskFullTests|FailingWriteTests' 2>&1 | grep -E "error|passed|failed|skipped|fault sweep" | grep -v "Test Suite"
echo "== two writers at once, $CONCURRENCY_CHANGES changes each"
swift test --skip-build --filter ConcurrencyTests 2>&1 | grep -E "error|passed|failed|two writers" | grep -v "Test Suite"
echo "== leak scan after a scripted full workflow (/tmp, /dev/shm, the vault, remote and clones; /proc; modes; core files)"
swift test --skip-build --filter LeakScanTests 2>&1 | grep -E "error|leak scan|passed|failed" | grep -v "Test Suite"
if [ "${FUZZ_SECONDS:-300}" != 0 ]; then
    echo "== libFuzzer: ${FUZZ_SECONDS:-300} s per parser"
    FUZZ_SECONDS="${FUZZ_SECONDS:-300}" sh scripts/fuzz.sh
fi
