#!/bin/sh
# The test command behind `make test`: the whole suite (arguments go to
# `swift test`), then every skipped test with its reason, and a verdict on the
# skips. The suite's output is kept in .build/test.log.
#
# The rule. A test may skip only with a reason that starts with one of:
#   "needs root: WHAT"          it needs root (mounting a file system, acting
#                               as another user, reading a process's /proc
#                               files that only root may). Accepted when the
#                               suite runs as an ordinary user; run as root,
#                               the skip fails the run, since root can.
#   "not permitted here: WHAT"  root was refused by the machine itself (a
#                               container without CAP_SYS_ADMIN). Accepted.
#   "long run: HOW"             a run scripts/proof.sh starts on purpose
#                               (FAULT_SWEEP=full). Accepted.
# Any other reason fails the run: a missing tool (python3, sshd, a compiler,
# a browser) is something `make test` installs, so a test skipped for it is
# a test this machine could have run.
set -eu
cd "$(dirname "$0")/.."
SWIFT="${SWIFT:-swift}"
mkdir -p .build
log=.build/test.log
status=.build/test.status
rm -f "$status"
# The suite's own exit status survives the pipe into tee (and set -e, which
# would end the group at a failing suite before its status is written).
{ rc=0; $SWIFT test "$@" 2>&1 || rc=$?; echo "$rc" > "$status"; } | tee "$log"
code=$(cat "$status" 2>/dev/null || echo 1)
sh scripts/skip-report.sh "$log" || code=1
if [ "$code" != 0 ]; then echo "make test: FAILED (the suite exited $(cat "$status" 2>/dev/null || echo '?'); skips above)" >&2; fi
exit "$code"
