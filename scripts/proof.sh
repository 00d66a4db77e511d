#!/bin/sh
# The long runs behind SECURITY.md's reliability figures: crash trials and
# generated bad input, many times more than the test command runs them; and
# the leak scan's figures (it runs once, as in the test command).
#   CRASH_TRIALS      dangol set killed with SIGKILL at random moments (default 1000)
#   BAD_INPUT_ROUNDS  mutated inputs per parser (default 100000)
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh libgit2-dev libsodium-dev libssl-dev pkg-config git >/dev/null
swift build --build-tests >/dev/null
export CRASH_TRIALS="${CRASH_TRIALS:-1000}" BAD_INPUT_ROUNDS="${BAD_INPUT_ROUNDS:-100000}"
echo "== crash trials: $CRASH_TRIALS"
swift test --skip-build --filter CrashTrialTests 2>&1 | grep -E "error|passed|failed" | grep -v "Test Suite"
echo "== bad input: $BAD_INPUT_ROUNDS rounds per parser (record files, key slots, index segments, customer JSON, queries, CSV)"
swift test --skip-build --filter BadInputTests 2>&1 | grep -E "error|passed|failed" | grep -v "Test Suite"
echo "== leak scan after a scripted full workflow (/tmp, /dev/shm, the vault, remote and clones; /proc; modes; core files)"
swift test --skip-build --filter LeakScanTests 2>&1 | grep -E "error|leak scan|passed|failed" | grep -v "Test Suite"
