#!/bin/sh
# Prints every test a `swift test` log says was skipped, with its reason, and
# judges each skip by the rule written in scripts/test.sh: exits 1 when a
# test this machine can run was skipped.
#   sh scripts/skip-report.sh LOG
set -eu
log="$1"
uid=$(id -u)
# XCTest prints a skip as
#   FILE:LINE: Class.test : Test skipped - REASON
# (only the reason's first line is on that line).
grep -a ': Test skipped - ' "$log" | sed 's/^[^ ]*: \([^ ]*\) : Test skipped - /\1\t/' | sort -u |
awk -F '\t' -v uid="$uid" '
    {
        reason = $2
        if (reason ~ /^needs root: /) ok = (uid != 0)
        else if (reason ~ /^not permitted here: / || reason ~ /^long run: /) ok = 1
        else ok = 0
        n++
        if (!ok) bad++
        line[n] = sprintf("  %s %s\n      %s", ok ? "skipped" : "SKIPPED, NOT ALLOWED:", $1, reason)
    }
    END {
        who = uid == 0 ? "root" : "an ordinary user (uid " uid ")"
        printf "skipped tests: %d, run as %s; %d not allowed by the rule in scripts/test.sh\n", n, who, bad
        for (i = 1; i <= n; i++) print line[i]
        exit (bad > 0 ? 1 : 0)
    }'
