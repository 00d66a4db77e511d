# Shared set-up of the benchmark scripts, sourced after `cd` to the
# repository with BENCH_NAME set: a release build ($BIN), secrets on a
# RAM-backed file system ($SECRETS, with the throwaway passphrase in
# DANGOL_PASSPHRASE_FILE), a work directory ($WORK, under BENCH_DIR if set),
# both removed on exit. A script may define bench_cleanup for more.
swift build -c release >/dev/null
BIN="$(swift build -c release --show-bin-path)"
umask 077
RAM=/dev/shm
[ -d "$RAM" ] && [ -w "$RAM" ] || RAM="${XDG_RUNTIME_DIR:?needs /dev/shm or XDG_RUNTIME_DIR}"
SECRETS=$(mktemp -d "$RAM/$BENCH_NAME.XXXXXX")
WORK=$(mktemp -d "${BENCH_DIR:-${TMPDIR:-/tmp}}/$BENCH_NAME.XXXXXX")
cleanup() {
    if command -v bench_cleanup >/dev/null 2>&1; then bench_cleanup; fi
    rm -rf "$SECRETS" "$WORK"
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM
printf '%s\n' "bench marker quartz violet" > "$SECRETS/pass"
export DANGOL_PASSPHRASE_FILE="$SECRETS/pass"
