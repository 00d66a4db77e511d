#!/bin/sh
# The long runs behind SECURITY.md's section 12: crash trials, generated bad
# input, faults, two writers and libFuzzer, many times more than the test
# command runs them, and the leak scan (as in the test command). Prints the
# section's table. A figure counts only tests that ran and passed: a skipped
# test shows as "skipped: REASON", a failed one as "FAILED", and either
# makes the script exit non-zero (a skip allowed by the rule in scripts/test.sh,
# such as "needs root" for an ordinary user, does not).
#   CRASH_TRIALS_SET  dangol set killed with SIGKILL at random moments (default 1000)
#   CRASH_TRIALS_ADD, _IMPORT, _ERASE, _PUSH   the same for add, import, erase
#                     and push to a path remote (default 250 each, 1000 in all);
#                     CRASH_TRIALS sets every family at once
#   BAD_INPUT_ROUNDS  mutated inputs per parser (default 100000)
#   FUZZ_SECONDS      libFuzzer time per parser (default 300; 0: no fuzzing)
#   FAULT_SWEEP       full (default): every write of set, visit, add, import and
#                     erase failing, once and for good; anything else: set only,
#                     one kind per write, as in make test
#   CONCURRENCY_CHANGES  changes per writer, two writers at once (default 100)
# Each suite's whole output is kept in PROOF_LOGS (default .build/proof).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -euo pipefail
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh libgit2-dev libsodium-dev libssl-dev pkg-config git >/dev/null
sh scripts/resolve-packages.sh >/dev/null
swift build --build-tests >/dev/null
each="${CRASH_TRIALS:-}"
export CRASH_TRIALS_SET="${CRASH_TRIALS_SET:-${each:-1000}}" CRASH_TRIALS_ADD="${CRASH_TRIALS_ADD:-${each:-250}}" \
    CRASH_TRIALS_IMPORT="${CRASH_TRIALS_IMPORT:-${each:-250}}" CRASH_TRIALS_ERASE="${CRASH_TRIALS_ERASE:-${each:-250}}" \
    CRASH_TRIALS_PUSH="${CRASH_TRIALS_PUSH:-${each:-250}}" BAD_INPUT_ROUNDS="${BAD_INPUT_ROUNDS:-100000}"
export FAULT_SWEEP="${FAULT_SWEEP:-full}" CONCURRENCY_CHANGES="${CONCURRENCY_CHANGES:-100}"
unset CRASH_TRIALS
fuzz_seconds="${FUZZ_SECONDS:-300}"
logs="${PROOF_LOGS:-.build/proof}"
rm -rf "$logs"
mkdir -p "$logs"
failed=""

# suite NAME FILTER: runs the tests FILTER names; the output goes to NAME.log.
suite() {
    echo "== $1 ($2)" >&2
    local t0=$SECONDS
    if ! swift test --skip-build --filter "$2" >"$logs/$1.log" 2>&1; then
        failed="$failed $1"
        grep -a ' error: ' "$logs/$1.log" | head -20 >&2 || true
    fi
    echo "   $((SECONDS - t0)) s" >&2
}

# outcome NAME CASE: how the test case CASE (Class.method) ended in NAME.log:
# passed, FAILED, "skipped: REASON" or "not run".
outcome() {
    local log="$logs/$1.log" reason
    if grep -aq "^Test Case '$2' failed" "$log"; then echo FAILED
    elif grep -aq "^Test Case '$2' skipped" "$log"; then
        reason=$(grep -a " $2 : Test skipped - " "$log" | head -1 | sed 's/.* : Test skipped - //')
        echo "skipped: $reason"
    elif grep -aq "^Test Case '$2' passed" "$log"; then echo passed
    else echo "not run"
    fi
}

# printed NAME PREFIX: the lines a test printed that start with PREFIX.
printed() { grep -a "^$2" "$logs/$1.log" || true; }

# seconds NAME CASE: how long the test case took.
seconds() { sed -n "s/^Test Case '$2' passed (\([0-9.]*\) seconds)$/\1/p" "$logs/$1.log" | head -1 | awk '{ printf "%.0f", $1 }'; }

# thousands N: 12345 as 12,345.
thousands() { printf '%s' "$1" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta'; }

# figure NAME CASE TEXT: TEXT when the case passed, else how it ended.
figure() {
    local how
    how=$(outcome "$1" "$2")
    if [ "$how" = passed ]; then echo "$3"; else echo "$how"; fi
}

rows=()
row() { rows+=("| $1 | $(thousands "$2") | $3 |"); }

suite crash 'CrashTrialTests|InterruptedPushTests'
suite erase-points 'EraseTests.testKilledAtEveryStep'
suite purge-stages 'PurgeTests.testInterruptedAtEveryStage'
suite bad-input BadInputTests
suite faults 'DiskFullTests|FailingWriteTests'
suite writers ConcurrencyTests
suite leaks LeakScanTests
suite prompts PromptTests.testAddAsksInKoreanAsksAgainAfterAWrongAnswerAndKeepsAnswersOutOfArgv
if [ "$fuzz_seconds" != 0 ]; then
    echo "== libFuzzer, $fuzz_seconds s per parser" >&2
    if ! FUZZ_SECONDS="$fuzz_seconds" sh scripts/fuzz.sh >"$logs/fuzz.log" 2>&1; then failed="$failed fuzz"; fi
fi

# Crash trials.
trials() { printed crash "crash trials: $1 " | sed 's/^crash trials: [a-z]* \([0-9]*\), \([0-9]*\) killed.*/\1 \2/'; }
read -r n k <<<"$(trials set)" || true
row "crash trials: \`dangol set\` killed at a random moment" \
    "$(figure crash CrashTrialTests.testKilledAtAnyMomentOfAChangeTheVaultIsWhole "${n:-?} trials (${k:-?} killed while running), 0 failures")" \
    "\`sh scripts/proof.sh\` (CRASH_TRIALS_SET=$CRASH_TRIALS_SET)"
all=0; killed=0; per=""; ok=passed
for f in add:testKilledAtAnyMomentOfAnAddTheCustomerIsThereOrNot import:testKilledAtAnyMomentOfAnImportAllOrNoneArrive \
    erase:testKilledAtAnyMomentOfAnEraseItFinishesAfterwards push:testKilledAtAnyMomentOfAPushTheNextPushCompletes; do
    how=$(outcome crash "CrashTrialTests.${f#*:}")
    [ "$how" = passed ] || ok="${f%%:*}: $how"
    read -r n k <<<"$(trials "${f%%:*}")" || true
    all=$((all + ${n:-0})); killed=$((killed + ${k:-0})); per="$per${per:+, }${n:-0}"
done
row "crash trials of \`add\`, \`import\`, \`erase\` and \`push\` to a path remote" \
    "$([ "$ok" = passed ] && echo "$all trials ($per; $killed killed while running), 0 failures" || echo "$ok")" \
    "\`sh scripts/proof.sh\` (CRASH_TRIALS_ADD, _IMPORT, _ERASE, _PUSH=N)"
how=passed
for c in testAPushKilledBeforeTheRemotePurgePurgesNextTime testLockFilesOfAKilledPushDoNotBlockTheNext; do
    h=$(outcome crash "InterruptedPushTests.$c"); [ "$h" = passed ] || how="$c: $h"
done
row "a push killed before the remote's purge; lock files a killed push leaves" \
    "$([ "$how" = passed ] && echo "both pass (every \`make test\`)" || echo "$how")" "\`swift test --filter InterruptedPushTests\`"
row "crash points of \`erase\`" \
    "$(figure erase-points EraseTests.testKilledAtEveryStepThenFinishedByRunningItAgain \
        "$(printed erase-points 'crash points of erase: ' | sed 's/^crash points of erase: \([0-9]*\) steps.*/\1 of \1 steps/') (every \`make test\`)")" \
    "\`swift test --filter EraseTests\`"
row "purge interrupted at each stage" \
    "$(figure purge-stages PurgeTests.testInterruptedAtEveryStageLeavesACompleteRepositoryAndRunningAgainFinishes \
        "$(printed purge-stages 'purge interrupted: ' | sed 's/^purge interrupted: \([0-9]*\) stages.*/\1 of \1 stages/') (every \`make test\`)")" \
    "\`swift test --filter PurgeTests\`"

# Faults.
row "a full disk (a 16 MB tmpfs filled to the last byte)" \
    "$(figure faults DiskFullTests.testAFullDiskRefusesEveryWriteClearlyAndTheVaultSurvives \
        "$(printed faults 'full disk: ' | sed 's/^full disk: \([0-9]*\) writing commands.* and \([0-9]*\) reads.*/\1 + \2/' | awk -F' [+] ' '{ n = $1 + $2; print n " of " n " commands" }') ($(seconds faults DiskFullTests.testAFullDiskRefusesEveryWriteClearlyAndTheVaultSurvives) s)")" \
    "\`swift test --filter DiskFullTests\` (root)"
sweep=$(printed faults 'fault sweep [a-z]*: [0-9]* trials, [0-9]* failed cleanly' | awk '
    { sub(/:/, "", $3); list = list (list ? ", " : "") $3 " " $4; t += $4; f += $6; s += $9 }
    END { printf "%d trials (%s): %d failed naming the disk with the head unmoved, %d saved, 0 in between", t, list, f, s }')
row "failing writes: each write of a change failing with EIO, once or from then on ($FAULT_SWEEP)" \
    "$(figure faults FailingWriteTests.testEveryWriteOfAChangeFailingLeavesTheVaultWhole \
        "$sweep ($(seconds faults FailingWriteTests.testEveryWriteOfAChangeFailingLeavesTheVaultWhole) s)")" \
    "\`sh scripts/proof.sh\` (FAULT_SWEEP=full)"
row "the same for \`erase\`" \
    "$(figure faults FailingWriteTests.testEveryWriteOfAnErasureFailingLeavesAVaultThatFinishesIt \
        "$(printed faults 'fault sweep erase: ' | sed 's/^fault sweep erase: //') ($(seconds faults FailingWriteTests.testEveryWriteOfAnErasureFailingLeavesAVaultThatFinishesIt) s)")" \
    "the same"

# Two writers.
for c in $(grep -ao "^Test Case 'ConcurrencyTests\.[A-Za-z]*' [a-z]*" "$logs/writers.log" | sed "s/^Test Case '\([^']*\)' .*/\1/" | sort -u); do
    h=$(outcome writers "$c"); [ "$h" = passed ] || { row "two writers at once" "$c: $h" "\`swift test --filter ConcurrencyTests\`"; }
done
if ! grep -aq "^Test Case 'ConcurrencyTests.* \(failed\|skipped\)" "$logs/writers.log"; then
    row "two writers at once, $CONCURRENCY_CHANGES changes each" \
        "$(printed writers 'two writers, ' | sed 's/^two writers, //' | paste -sd';' - | sed 's/;/; /g')" \
        "\`swift test --filter ConcurrencyTests\` (CONCURRENCY_CHANGES=N)"
fi

# Bad input.
how=passed
for c in $(grep -ao "^Test Case 'BadInputTests\.[A-Za-z]*'" "$logs/bad-input.log" | sed "s/^Test Case '\([^']*\)'/\1/" | sort -u); do
    h=$(outcome bad-input "$c"); [ "$h" = passed ] || how="$c: $h"
done
inputs=$(printed bad-input 'bad input: ' | awk '{ for (i = 1; i < NF; i++) if ($(i + 1) == "inputs" || $(i + 1) == "inputs,") t += $i } END { print t + 0 }')
row "generated bad input: record files, key slots, index segments, customer JSON, queries, CSV" \
    "$([ "$how" = passed ] && echo "$(thousands "$inputs") inputs, 0 crashes or hangs" || echo "$how")" \
    "\`sh scripts/proof.sh\` (BAD_INPUT_ROUNDS=$BAD_INPUT_ROUNDS)"
row "a mutated record file that opens" \
    "$(figure bad-input BadInputTests.testRecordFilesThatAreNotWhatWasWrittenAreRefused \
        "$(printed bad-input 'bad input: record files ' | sed 's/^bad input: record files \([0-9]*\) inputs, \([0-9]*\) opened/\2 \1/' | { read -r o n; echo "$o of $(thousands "$n")"; })")" \
    "the same"

# libFuzzer.
if [ "$fuzz_seconds" = 0 ]; then
    fuzz="no fuzzing (FUZZ_SECONDS=0)"
elif grep -q CRASH "$logs/fuzz.log" || [[ " $failed " == *" fuzz "* ]]; then
    fuzz="FAILED: $(grep -E '^[a-z]+ +CRASH' "$logs/fuzz.log" | paste -sd';' -)"
else
    fuzz="$fuzz_seconds s per parser: $(awk '$2 == "ok" { printf "%s%s %s executions", sep, $1, $3; sep = ", " }' "$logs/fuzz.log"); 0 crashes, hangs or unclear errors"
fi
row "libFuzzer on the record file decoder, key slots, customer JSON, queries, import files, pack indexes, packs" "$fuzz" \
    "\`sh scripts/fuzz.sh\` or \`sh scripts/proof.sh\` (FUZZ_SECONDS=$fuzz_seconds)"

# The leak scan.
leak=$(printed leaks 'leak scan: ')
# field LABEL: the number the leak scan printed after LABEL.
field() { sed -n "s|.*$1 \([0-9]*\).*|\1|p" <<<"$leak"; }
bytes() { awk -v b="$1" 'BEGIN { if (b >= 1e9) printf "%.2f GB", b / 1e9; else if (b >= 1e6) printf "%.2f MB", b / 1e6; else printf "%d bytes", b }'; }
scan=$(sed -n 's/^leak scan: \([0-9]*\) files, \([0-9]*\) bytes under \([^(]*\) (\([0-9]*\) vanished.*; \([0-9]*\) repositories, \([0-9]*\) bytes with.*; \([0-9]*\) markers.* in \([0-9]*\) forms.*/\1|\2|\3|\4|\5|\6|\7|\8/p' <<<"$leak" |
    { IFS='|' read -r files size roots vanished repos rbytes markers forms
      echo "$files files, $(bytes "$size") under ${roots% } ($vanished vanished while scanning); $repos repositories, $(bytes "$rbytes") with every object decompressed; $markers markers in $forms forms"; })
case_full=LeakScanTests.testNothingLeaksFromAFullWorkflow
row "leak scan after a scripted full workflow" "$(figure leaks $case_full "$scan; $(field '; hits') hits")" \
    "\`swift test --filter LeakScanTests\` (every \`make test\`)"
row "/proc of running dangol processes: \`dangol edit\`, its editor, the unlock agent" \
    "$(figure leaks $case_full "$(field '/proc files checked') files checked as uid $(id -u), no marker, passphrase, code or key; core limit 0")" "the same"
row "every process's arguments (\`/proc/*/cmdline\`, \`ps -eo args\`) while \`dangol add\` waits at its third question in a pseudo-terminal, the name and phone number already typed" \
    "$(figure prompts PromptTests.testAddAsksInKoreanAsksAgainAfterAWrongAnswerAndKeepsAnswersOutOfArgv \
        "neither the name nor the number, with or without dashes, in any process's arguments (every \`make test\`)")" \
    "\`swift test --filter PromptTests\`"
row "PR_SET_DUMPABLE from outside: dangol's /proc/PID/environ read by another process of its user" \
    "$(figure leaks LeakScanTests.testAnotherProcessOfTheSameUserCannotReadDangolsEnvironment "refused (Permission denied), while the reader's own is readable")" \
    "the same"
row "file modes in the vault, the path remote and both clones" \
    "$(figure leaks $case_full "$(field 'modes checked') files and directories, none open to group or others")" "the same"
how=$(outcome leaks LeakScanTests.testAFatalSignalEndsDangolWithoutACrashReportOrCore)
[ "$how" = passed ] || how="dangol init: $how"
row "core files: the agent and \`dangol init\` killed with SIGSEGV" \
    "$([ "$how" = passed ] && figure leaks $case_full "none (the control shell left $(field 'control core files')); no crash report" || echo "$how")" \
    "the same"

echo
echo "$(date -u +%Y-%m-%d), $(nproc) cores, as $( [ "$(id -u)" = 0 ] && echo root || echo "an ordinary user (uid $(id -u))"):"
echo
echo "| what | figure | reproduce |"
echo "| --- | --- | --- |"
printf '%s\n' "${rows[@]}"
echo
bad=$(printf '%s\n' "${rows[@]}" | grep -c '| \(FAILED\|not run\|skipped: \)' || true)
allowed=$(printf '%s\n' "${rows[@]}" | grep -c '| skipped: \(not permitted here\|long run\): ' || true)
[ "$(id -u)" = 0 ] || allowed=$((allowed + $(printf '%s\n' "${rows[@]}" | grep -c '| skipped: needs root: ' || true)))
if [ -n "$failed" ] || [ "$bad" -gt "$allowed" ]; then
    echo "proof.sh: FAILED:${failed:- } $((bad - allowed)) rows without a figure; the logs are in $logs" >&2
    exit 1
fi
echo "logs: $logs"
