#!/bin/sh
# The README's screenshots of the front desk (docs/screens/*.png): the demo's
# 300 generated customers (seed 2026, never real people) in a throwaway
# vault, `dangol serve`, and Debian's chromium at 1366×768 (one at tablet
# size). Pillow, in the browser tests' virtual environment, reduces colours
# so the files stay small.
set -eu
cd "$(dirname "$0")/.."
sh scripts/browser-deps.sh >/dev/null
.build/browser-venv/bin/python -c "import PIL" 2>/dev/null ||
    .build/browser-venv/bin/python -m pip install --quiet --disable-pip-version-check "pillow==11.*"
swift build --product dangol >/dev/null
swift build --product dangol-synth >/dev/null
BIN="$(swift build --show-bin-path)"
umask 077
SECRETS=$(mktemp -d /dev/shm/dangol-screens.XXXXXX)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/dangol-screens.XXXXXX")
PID=""
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$SECRETS" "$WORK"' EXIT INT TERM
printf '%s\n' "violet staple orbit canyon" > "$SECRETS/passphrase"
export DANGOL_PASSPHRASE_FILE="$SECRETS/passphrase"
V="$WORK/salon"
"$BIN/dangol" init "$V" --owner 원장 --kdf-level test >/dev/null 2>&1
"$BIN/dangol-synth" "$V" 300 --seed 2026 --per-commit 25 >/dev/null
"$BIN/dangol" settings "salon_name=단골 헤어" --vault "$V" >/dev/null
env -u DANGOL_PASSPHRASE_FILE "$BIN/dangol" serve --no-open --vault "$V" > "$WORK/serve.out" &
PID=$!
while ! grep -q http "$WORK/serve.out" 2>/dev/null; do sleep 0.2; done
URL=$(grep -o 'http://[^ ]*' "$WORK/serve.out" | head -1)
mkdir -p docs/screens
HOME="$WORK" .build/browser-venv/bin/python scripts/screenshots.py "$URL" "violet staple orbit canyon" docs/screens "$WORK/profile"
ls -l docs/screens
