# The two commands of the README's quick start, on a fresh Debian machine:
#   make demo   builds dangol and runs the demo on a throwaway vault
#   make test   runs the whole test suite
# Both install what they need through apt-get when it is missing.
# `make bench` runs the benchmark (minutes; see README).

SWIFT ?= swift
APT_PACKAGES = libgit2-dev libsodium-dev libssl-dev pkg-config git
# The tests drive a pseudo-terminal with util-linux's `script` (bsdutils), start
# their own sshd on a loopback port (openssh-server) for the ssh remote tests, and
# compile the failing-write shim they preload (gcc), and read times in other
# zones (tzdata: TZ=Asia/Seoul, America/New_York). The front desk's tests run
# Debian's chromium (with Korean fonts) under Playwright from PyPI, installed in
# a virtual environment under .build/ by scripts/browser-deps.sh (python3-venv).
TEST_PACKAGES = bsdutils openssh-server gcc tzdata chromium fonts-noto-cjk python3-venv

.PHONY: demo test bench deps test-deps build clean

deps:
	@sh scripts/install-deps.sh $(APT_PACKAGES)

test-deps: deps
	@sh scripts/install-deps.sh $(TEST_PACKAGES)
	@sh scripts/browser-deps.sh

build: deps
	$(SWIFT) build

demo: build
	sh scripts/demo.sh

test: test-deps
	$(SWIFT) build --build-tests
	$(SWIFT) test

bench: deps
	sh scripts/bench.sh

clean:
	rm -rf .build
