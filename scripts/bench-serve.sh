#!/bin/sh
# The front desk's benchmark (README, "The front desk"): 10,000 generated
# customers, a release build of `dangol serve`, Debian's chromium under
# Playwright (make test-deps installs both). Measured with the browser's
# Performance API: keystroke to rendered results over at least 200
# keystrokes of mixed queries, opening a card; the server's resident memory
# with the index warm; cold start (process start, page, sign-in with the
# default Argon2id, index from its cache) to the first results; the access
# log's entries and .git growth for those keystrokes.
# BENCH_SERVE_BUILD=1 also times what the server adds to a fresh clone's
# `make test`: the build of DangolServer and its packages on top of
# DangolKit, in a scratch build folder of its own.
set -eu
cd "$(dirname "$0")/.."
N="${BENCH_SERVE_CUSTOMERS:-10000}"
sh scripts/browser-deps.sh >/dev/null
BENCH_NAME=dangol-bench-serve
. scripts/bench-setup.sh

echo "== front desk benchmark, $N customers, $(nproc) cores"
V="$WORK/salon"
"$BIN/dangol" init "$V" --owner 원장 >/dev/null 2>&1
"$BIN/dangol-synth" "$V" "$N" --seed 2026 --per-commit 1000 >/dev/null
# The index cache, as any earlier command leaves it.
"$BIN/dangol" search 김 --vault "$V" >/dev/null
echo "| figure | value |"
echo "| --- | --- |"
HOME="$WORK" .build/browser-venv/bin/python scripts/bench-serve.py "$BIN/dangol" "$V" "$DANGOL_PASSPHRASE_FILE" "$WORK/profile"

if [ "${BENCH_SERVE_BUILD:-0}" = 1 ]; then
    S=.build-bench-serve
    rm -rf "$S"
    t0=$(date +%s)
    swift build --scratch-path "$S" --target DangolKit >/dev/null
    t1=$(date +%s)
    swift build --scratch-path "$S" --target DangolServer >/dev/null
    t2=$(date +%s)
    rm -rf "$S"
    echo "| build of DangolKit from scratch (for scale) | $((t1 - t0)) s |"
    echo "| added by DangolServer (Hummingbird, SwiftNIO, the server) | $((t2 - t1)) s |"
fi
