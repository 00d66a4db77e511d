# Shared set-up of the benchmark scripts, sourced after `cd` to the
# repository with BENCH_NAME set: a release build ($BIN), secrets on a
# RAM-backed file system ($SECRETS, with the throwaway passphrase in
# DANGOL_PASSPHRASE_FILE), a work directory ($WORK, under BENCH_DIR if set),
# both removed on exit. A script may define bench_cleanup for more. The
# scripts run under bash with -e, -u and pipefail; a figure is first put in a
# variable (`x=$(timeit ...)`), never straight into an echo, whose own status
# would hide the command's.
sh scripts/install-deps.sh python3 >/dev/null
# BENCH_BIN: a release build's directory to use as it is (no build here).
if [ -n "${BENCH_BIN:-}" ]; then
    BIN="$BENCH_BIN"
else
    swift build -c release >/dev/null
    BIN="$(swift build -c release --show-bin-path)"
fi
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

# timeit [--exit N] COMMAND...: the wall-clock milliseconds of COMMAND, its
# output discarded. Fails (showing its stderr) unless it exits 0, or N when
# given: a failed command is never timed as if it had done its work.
timeit() { python3 - "$@" <<'PY'
import subprocess, sys, time
args = sys.argv[1:]
expected = 0
if args[0] == "--exit":
    expected, args = int(args[1]), args[2:]
t = time.monotonic()
r = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
ms = (time.monotonic() - t) * 1000
if r.returncode != expected:
    sys.stderr.write(f"benchmark: {' '.join(args[:3])} exited {r.returncode}, not {expected}\n")
    sys.stderr.write(r.stderr.decode(errors="replace")[-2000:])
    sys.exit(1)
print(f"{ms:.0f}")
PY
}

# median N...: the median of whole numbers (the middle one, or the lower of two).
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# thousands N: 12345 as 12,345.
thousands() { printf '%s' "$1" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta'; }
