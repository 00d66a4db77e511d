#!/bin/sh
# Makes the format-1 vaults MigrationTests opens, with a dangol from before
# format 2 (the access log on the data branch), so that the migration is
# tested on vaults that dangol really wrote:
#   format1.tar.gz          changes, reads, an export and an erasure
#   format1-erasing.tar.gz  an erasure killed after its journal, then a read
#                           (format 1 carried that read's entry over the switch)
# OLD=<that dangol binary>, e.g. built from commit ff3f591:
#   git archive ff3f591 | tar -x -C /tmp/before && (cd /tmp/before && swift build -c release --product dangol)
#   OLD=/tmp/before/.build/release/dangol sh Tests/dangolTests/Fixtures/make-format1.sh
# The passphrase is the tests' own (Sandbox.passphrase); every customer is made up.
set -eu
OLD=${OLD:?set OLD to a dangol binary of format 1}
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export DANGOL_PASSPHRASE="violet staple orbit canyon" DANGOL_MIRROR=inline HOME="$WORK" LANG=C.UTF-8
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null

V="$WORK/a/salon"
mkdir -p "$WORK/a"
"$OLD" init "$V" --owner 원장 --kdf-level test >/dev/null
export DANGOL_VAULT="$V"
A=$("$OLD" add --name 가을 --phone 010-1000-2000)
B=$("$OLD" add --name 나래 --phone 010-3000-4000)
C=$("$OLD" add --name 다온 --phone 010-5000-6000)
"$OLD" visit "$A" --service 커트 >/dev/null
"$OLD" set "$B" note=앞머리 >/dev/null
"$OLD" show "$A" >/dev/null
"$OLD" search 2000 >/dev/null
"$OLD" list >/dev/null
"$OLD" export "$C" >/dev/null
"$OLD" erase "$C" --reason 요청 --yes >/dev/null
"$OLD" visit "$B" --service 염색 >/dev/null
"$OLD" audit verify >/dev/null
tar -czf "$HERE/format1.tar.gz" -C "$WORK/a" salon

V="$WORK/b/salon"
mkdir -p "$WORK/b"
"$OLD" init "$V" --owner 원장 --kdf-level test >/dev/null
export DANGOL_VAULT="$V"
A=$("$OLD" add --name 라희 --phone 010-7000-8000)
B=$("$OLD" add --name 마루 --phone 010-9000-1000)
"$OLD" visit "$B" --service 펌 >/dev/null
DANGOL_TEST_CRASH_AT=journal-written "$OLD" erase "$B" --reason 요청 --yes >/dev/null 2>&1 || true
test -f "$V/.git/dangol-erase"
"$OLD" show "$A" >/dev/null
tar -czf "$HERE/format1-erasing.tar.gz" -C "$WORK/b" salon
ls -l "$HERE"/*.tar.gz
