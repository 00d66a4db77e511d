#!/bin/sh
# Playwright from PyPI for the front desk's browser tests, in a virtual
# environment under .build/ (ignored by git, the user's own, so this works as
# root and as an ordinary user). It drives Debian's chromium (apt, listed in
# the Makefile's TEST_PACKAGES): no browser is ever downloaded.
set -eu
cd "$(dirname "$0")/.."
VENV=.build/browser-venv
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c "import playwright" 2>/dev/null; then exit 0; fi
mkdir -p .build
rm -rf "$VENV"
python3 -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "playwright==1.*"
"$VENV/bin/python" -m pip show playwright | sed -n "s/^Version: /playwright for the browser tests: /p"
