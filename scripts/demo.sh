#!/bin/sh
# The demo: a throwaway vault with a few hundred generated customers (never
# real people), the everyday work done as the README teaches it (nothing
# personal in an argument), a tamper caught, an erasure, and what git itself
# can see. It speaks the reader's language, as dangol does (LANG=ko_KR.UTF-8
# for Korean); its narration is the catalogue's (`dangol-synth --say`).
#   DEMO_KDF=test   the vault at the light Argon2id level (the test that runs
#                   the demo); otherwise the default a user gets, MODERATE.
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
V="$WORK/salon"
export DANGOL_VAULT="$V"

say() { printf '\n\033[36m# %s\033[0m\n' "$(dangol-synth --say "$@")"; }
show() { printf '\033[1m$ %s\033[0m\n' "$*"; }
step() { show "$*"; "$@"; }

printf '%s\n' "$(dangol-synth --say "demo.intro" vault="$V")"
printf '%s\n' "$(dangol-synth --say "demo.passphrase")"
echo
if [ "${DEMO_KDF:-}" = test ]; then
    step dangol init "$V" --owner 원장 --kdf-level test
else
    step dangol init "$V" --owner 원장
fi
show dangol-synth "$V" 300 --seed 2026 --per-commit 25
dangol-synth "$V" 300 --seed 2026 --per-commit 25 >/dev/null
dangol-synth --say "demo.synth" n=300

# Standard input, as a script gives it: a person at the terminal is asked.
say "demo.add"
cat > "$SECRETS/customer.json" <<'EOF'
{"name": "김민지", "phone": "010-1234-5678", "birthday": "03-14", "allergies": ["PPD"], "note": "두피 예민"}
EOF
cat > "$SECRETS/visit.json" <<'EOF'
{"services": ["염색"], "formula": "웰라 6/0 + 6% 30분", "price": 80000, "reaction": "두피 가려움 약간"}
EOF
show "dangol add --json - < customer.json"
ID=$(dangol add --json - < "$SECRETS/customer.json")
echo "$ID"
show "dangol visit $ID --json - < visit.json"
dangol visit "$ID" --json - < "$SECRETS/visit.json" >/dev/null

say "demo.counter"
printf '5678\nset %s phone=010-9999-0000\nshow %s\n' "$ID" "$ID" > "$SECRETS/counter"
show "dangol shell"
sed 's/^/> /' "$SECRETS/counter"
dangol shell < "$SECRETS/counter"

say "demo.git"
show "git log -4 --format='%h %an %ad  %s' --date=short"
git -C "$V" log -4 --format='%h %an %ad  %s' --date=short
show "git ls-files records | head -3"
git -C "$V" ls-files records | head -3

say "demo.tamper"
show "sed -i 's/\"staff_sees_contacts\": false/\"staff_sees_contacts\": true/' dangol.json && git commit -am …"
sed -i 's/"staff_sees_contacts" *: *false/"staff_sees_contacts": true/' "$V/dangol.json"
git -C "$V" -c user.name=someone -c user.email=someone@example.invalid commit -q -am "settings"
show "dangol check"
if dangol check; then echo "demo: the tampered settings were not caught" >&2; exit 1; fi
say "demo.reject"
step dangol reject
step dangol check

say "demo.erase"
step dangol erase "$ID" --yes --reason "demo"
say "demo.scan"
hits=$(git -C "$V" cat-file --batch-all-objects --batch | grep -a -c -e 김민지 -e 01012345678 -e 010-1234-5678 -e 010-9999-0000 || true)
dangol-synth --say "demo.hits" n="$hits"
[ "$hits" = 0 ]
step git -C "$V" fsck --full --strict

say "demo.serve"
echo
dangol-synth --say "demo.done"
