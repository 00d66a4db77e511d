#!/bin/sh
# The demo: a throwaway vault with a few hundred generated customers (never
# real people), then the everyday commands, then what git itself can see.
set -eu
cd "$(dirname "$0")/.."
export PATH="$PWD/.build/debug:$PATH"
umask 077

# Passphrases never touch a disk: the demo's lives on a RAM-backed file system.
RAM=/dev/shm
[ -d "$RAM" ] && [ -w "$RAM" ] || RAM="${XDG_RUNTIME_DIR:-}"
[ -n "$RAM" ] || { echo "demo: needs /dev/shm or XDG_RUNTIME_DIR for its passphrase file" >&2; exit 1; }
SECRETS=$(mktemp -d "$RAM/dangol-demo.XXXXXX")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/dangol-demo.XXXXXX")
trap 'rm -rf "$SECRETS" "$WORK"' EXIT INT TERM
printf '%s\n' "violet staple orbit canyon" > "$SECRETS/passphrase"
export DANGOL_PASSPHRASE_FILE="$SECRETS/passphrase"
export DANGOL_VAULT="$WORK/salon"

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }

echo "dangol demo: a throwaway vault in $DANGOL_VAULT (removed at the end)"
echo "passphrase from DANGOL_PASSPHRASE_FILE; Argon2id at the default MODERATE level, so each command takes a moment to unlock"
step dangol init "$DANGOL_VAULT" --owner 원장
step dangol-synth "$DANGOL_VAULT" 300 --seed 2026 --per-commit 25
printf '\n\033[1m$ dangol add --name 김민지 --phone 010-1234-5678 --birthday 1990-03-14\033[0m\n'
ID=$(dangol add --name 김민지 --phone 010-1234-5678 --birthday 1990-03-14)
echo "$ID"
step dangol visit "$ID" --service 염색 --formula "웰라 6/0 + 6% 30분" --price 80000 --note "두피 예민"
step dangol set "$ID" phone=010-9999-0000
step dangol show "$ID"
step dangol show "$(echo "$ID" | cut -c1-8)" --json
printf '\n\033[1m$ dangol list | head -8\033[0m\n'
dangol list | head -8
step dangol check

printf '\n\033[1m$ git log -4 --invert-grep --grep=^audit$ --format="%%h %%an %%ad  %%s" --date=short\033[0m   (no name, phone or field in messages)\n'
git -C "$DANGOL_VAULT" log -4 --invert-grep --grep='^audit$' --format="%h %an %ad  %s" --date=short
printf '\n\033[1m$ git log -2 --grep=^audit$ --format="%%h %%an %%ad  %%s" --date=short\033[0m   (access-log entries: every read and change is one, encrypted)\n'
git -C "$DANGOL_VAULT" log -2 --grep='^audit$' --format="%h %an %ad  %s" --date=short
printf '\n\033[1m$ git ls-files | head -4\033[0m   (paths are random ids)\n'
git -C "$DANGOL_VAULT" ls-files | grep '^records/' | head -4
step git -C "$DANGOL_VAULT" fsck --full --strict
printf '\n\033[1m$ every git object, decompressed, searched for the customer'"'"'s name and phones\033[0m\n'
hits=$(git -C "$DANGOL_VAULT" cat-file --batch-all-objects --batch | grep -a -c -e 김민지 -e 01012345678 -e 010-1234-5678 -e 010-9999-0000 || true)
echo "hits: $hits"
[ "$hits" = 0 ]
echo "\ndemo done: the vault is deleted now"
