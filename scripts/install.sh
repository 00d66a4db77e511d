#!/bin/sh
# make install / make uninstall: dangol, its bash, zsh and fish completions
# and its manual page (English, and Korean under man/ko), in the usual places
# under PREFIX. Install records what it wrote, and the directories it had to
# create, in PREFIX/share/dangol/installed; uninstall removes exactly those.
#
#   sh scripts/install.sh install PREFIX BINARY GENERATE_MANUAL
#   sh scripts/install.sh uninstall PREFIX
# GENERATE_MANUAL is swift-argument-parser's generate-manual tool (see manual.sh).
set -euf

mode=$1
prefix=$2
manifest="$prefix/share/dangol/installed"
bin="$prefix/bin/dangol"
bash_completion="$prefix/share/bash-completion/completions/dangol"
zsh_completion="$prefix/share/zsh/site-functions/_dangol"
fish_completion="$prefix/share/fish/vendor_completions.d/dangol.fish"
man_en="$prefix/share/man/man1/dangol.1"
man_ko="$prefix/share/man/ko/man1/dangol.1"

record=""
# Creates a directory and its missing parents, recording each one made.
make_dir() {
    missing=""
    d=$1
    while [ ! -d "$d" ]; do
        missing="$d
$missing"
        d=$(dirname "$d")
    done
    saved_ifs=$IFS
    IFS='
'
    for d in $missing; do
        mkdir -m 0755 "$d"
        record="${record}dir $d
"
    done
    IFS=$saved_ifs
}

put() {  # put MODE SOURCE TARGET
    make_dir "$(dirname "$3")"
    install -m "$1" "$2" "$3"
    record="${record}file $3
"
}

case $mode in
install)
    binary=$3
    generate_manual=$4
    for f in "$binary" "$generate_manual"; do
        [ -x "$f" ] || { echo "install: $f is not built (make install builds it)" >&2; exit 1; }
    done
    # Directories an earlier install created stay on the list.
    [ -f "$manifest" ] && record=$(grep '^dir ' "$manifest" || true) && record="${record:+$record
}"
    put 0755 "$binary" "$bin"
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    here=$(dirname "$0")
    sh "$here/manual.sh" "$generate_manual" "$binary" C.UTF-8 "$tmp/dangol.en.1"
    sh "$here/manual.sh" "$generate_manual" "$binary" ko_KR.UTF-8 "$tmp/dangol.ko.1"
    "$bin" --generate-completion-script bash >"$tmp/bash"
    "$bin" --generate-completion-script zsh >"$tmp/zsh"
    "$bin" --generate-completion-script fish >"$tmp/fish"
    put 0644 "$tmp/bash" "$bash_completion"
    put 0644 "$tmp/zsh" "$zsh_completion"
    put 0644 "$tmp/fish" "$fish_completion"
    put 0644 "$tmp/dangol.en.1" "$man_en"
    put 0644 "$tmp/dangol.ko.1" "$man_ko"
    make_dir "$(dirname "$manifest")"
    printf '%s' "$record" | awk '!seen[$0]++' >"$manifest"
    echo "installed $bin, its completions (bash, zsh, fish) and manual page (man dangol)"
    echo "a vault opened by $bin points git's textconv at it from then on"
    ;;
uninstall)
    if [ ! -f "$manifest" ]; then
        echo "no $manifest: removing the files an install puts there"
        for f in "$bin" "$bash_completion" "$zsh_completion" "$fish_completion" "$man_en" "$man_ko"; do
            rm -f "$f"
        done
        exit 0
    fi
    dirs=$(grep '^dir ' "$manifest" | cut -c5- | sort -r || true)
    grep '^file ' "$manifest" | cut -c6- | while IFS= read -r f; do rm -f "$f"; done
    rm -f "$manifest"
    # Deepest first (reverse order sorts a child after its parent); a
    # directory something else has put files in since stays.
    printf '%s\n' "$dirs" | while IFS= read -r d; do [ -n "$d" ] && rmdir "$d" 2>/dev/null || true; done
    echo "removed dangol from $prefix"
    ;;
*)
    echo "usage: $0 install PREFIX BINARY GENERATE_MANUAL | uninstall PREFIX" >&2
    exit 2
    ;;
esac
