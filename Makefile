# The two commands of the README's quick start, on a fresh Debian machine:
#   make demo   builds dangol and runs the demo on a throwaway vault
#   make test   runs the whole test suite, then lists every skipped test with
#               its reason; it fails when a test this machine can run was
#               skipped (the rule: scripts/test.sh)
# Both install what they need through apt-get when it is missing (with sudo
# when not run as root), and pass for an ordinary user as well as for root.
# `make bench` runs the benchmark (minutes; see README).

SWIFT ?= swift
APT_PACKAGES = libgit2-dev libsodium-dev libssl-dev pkg-config git
# The tests drive a pseudo-terminal with util-linux's `script` (bsdutils), start
# their own sshd on a loopback port (openssh-server) for the ssh remote tests,
# compile the failing-write shim they preload (gcc), read times in other zones
# (tzdata: TZ=Asia/Seoul, America/New_York), find the agent with `ps` (procps),
# and speak to its socket as another user with python3.
TEST_PACKAGES = bsdutils openssh-server gcc tzdata procps python3

.PHONY: demo test bench deps test-deps packages build clean

# Every Debian package the build and the tests need, and nothing else: what
# .ci/run installs as root before it runs the tests as an ordinary user.
packages:
	@sh scripts/install-deps.sh $(APT_PACKAGES) $(TEST_PACKAGES)

deps:
	@sh scripts/install-deps.sh $(APT_PACKAGES)
	@SWIFT="$(SWIFT)" sh scripts/resolve-packages.sh >/dev/null

test-deps: deps
	@sh scripts/install-deps.sh $(TEST_PACKAGES)

build: deps
	$(SWIFT) build

demo: build
	sh scripts/demo.sh

test: test-deps
	$(SWIFT) build --build-tests
	@SWIFT="$(SWIFT)" sh scripts/test.sh

bench: deps
	sh scripts/bench.sh

clean:
	rm -rf .build
