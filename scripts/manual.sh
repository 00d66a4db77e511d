#!/bin/sh
# Writes dangol's manual page in one language:
#   sh scripts/manual.sh GENERATE_MANUAL DANGOL LANG OUTPUT_FILE
# GENERATE_MANUAL is swift-argument-parser's generate-manual tool, the one its
# generate-manual plugin runs. The tool is run here directly because the
# plugin starts it without the caller's locale (so only an English page could
# come out) and because the tool drops every character outside ASCII, which
# would take the Hangul out of both pages (the examples of `dangol search`,
# the whole Korean page). So the help it reads from dangol carries each such
# character as an ASCII token through the tool, and the page gets it back.
# perl is part of every Debian system (perl-base is essential).
set -eu
tool=$1
dangol=$2
lang=$3
output=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat >"$work/dangol" <<WRAPPER
#!/bin/sh
LANG='$lang' LC_ALL= LC_MESSAGES= '$dangol' "\$@" | perl -CS -pe 's/([^\\x00-\\x7F])/sprintf("zqU%Xqz", ord(\$1))/ge'
WRAPPER
chmod 0755 "$work/dangol"
"$tool" "$work/dangol" --output-directory "$work"
perl -CS -pe 's/zqU([0-9A-F]+)qz/chr(hex($1))/ge' "$work/dangol.1" >"$output"
