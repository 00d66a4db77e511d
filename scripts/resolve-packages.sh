#!/bin/sh
# Resolves the Swift packages (swift package resolve ARGS), for any user.
#
# Where git reads github.com from a local mirror (a `url.<dir>.insteadOf`
# rule, as on machines that keep copies of the packages under /opt) and that
# mirror belongs to another user, git refuses it to an ordinary user:
# "detected dubious ownership". For this one step the mirror's repositories
# are named safe in a throwaway global config that includes the user's own;
# nothing in ~/.gitconfig changes, and the build afterwards reads only the
# checkouts under .build, which are the user's.
set -eu
cd "$(dirname "$0")/.."
SWIFT="${SWIFT:-swift}"
me=$(id -u)
safe=""
for dir in $(git config --get-regexp '^url\..*\.insteadof$' 2>/dev/null | sed -n 's/^url\.\(\/.*\)\.insteadof .*/\1/p' | sort -u); do
    [ -d "$dir" ] && [ "$(stat -c %u "$dir")" != "$me" ] || continue
    safe="$safe $(find "$dir" -maxdepth 3 -type d -name '*.git' -prune | sort | tr '\n' ' ')"
done
if [ -z "${safe# }" ]; then
    exec $SWIFT package resolve "$@"
fi
config=$(mktemp "${TMPDIR:-/tmp}/dangol-gitconfig.XXXXXX")
trap 'rm -f "$config"' EXIT
trap 'rm -f "$config"; exit 130' INT TERM
{
    [ -f "$HOME/.gitconfig" ] && printf '[include]\n\tpath = %s\n' "$HOME/.gitconfig"
    printf '[safe]\n'
    for repo in $safe; do printf '\tdirectory = %s\n' "$repo"; done
} > "$config"
GIT_CONFIG_GLOBAL="$config" $SWIFT package resolve "$@"
