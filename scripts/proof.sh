#!/bin/sh
# The long runs behind SECURITY.md's reliability figures: crash trials and
# generated bad input, many times more than the test command runs them.
#   CRASH_TRIALS      dangol set killed with SIGKILL at random moments (default 1000)
#   BAD_INPUT_ROUNDS  mutated inputs per parser (default 100000)
#   FAULT_SWEEP       full: every write of set, visit, add, import and erase failing,
#                     once and for good (make test: set only, one kind per write)
#   CONCURRENCY_CHANGES  changes per writer, two writers at once (default 100)
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh libgit2-dev libsodium-dev pkg-config git >/dev/null
swift build --build-tests >/dev/null
export CRASH_TRIALS="${CRASH_TRIALS:-1000}" BAD_INPUT_ROUNDS="${BAD_INPUT_ROUNDS:-100000}"
export FAULT_SWEEP="${FAULT_SWEEP:-full}" CONCURRENCY_CHANGES="${CONCURRENCY_CHANGES:-100}"
echo "== crash trials: $CRASH_TRIALS"
swift test --skip-build --filter CrashTrialTests 2>&1 | grep -E "error|passed|failed" | grep -v "Test Suite"
echo "== bad input: $BAD_INPUT_ROUNDS rounds per parser (record files, key slots, index segments, customer JSON, queries, CSV)"
swift test --skip-build --filter BadInputTests 2>&1 | grep -E "error|passed|failed" | grep -v "Test Suite"
echo "== faults: a full disk (tmpfs), and every write of a change failing ($FAULT_SWEEP)"
swift test --skip-build --filter 'DiskFullTests|FailingWriteTests' 2>&1 | grep -E "error|passed|failed|skipped|fault sweep" | grep -v "Test Suite"
echo "== two writers at once, $CONCURRENCY_CHANGES changes each"
swift test --skip-build --filter ConcurrencyTests 2>&1 | grep -E "error|passed|failed|two writers" | grep -v "Test Suite"
