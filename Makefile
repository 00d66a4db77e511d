# The two commands of the README's quick start, on a fresh Debian machine:
#   make demo   builds dangol and runs the demo on a throwaway vault
#   make test   runs the whole test suite, then lists every skipped test with
#               its reason; it fails when a test this machine can run was
#               skipped (the rule: scripts/test.sh)
# Both install what they need through apt-get when it is missing (with sudo
# when not run as root), and pass for an ordinary user as well as for root.
# `make install [PREFIX=/usr/local]` installs a release build with its shell
# completions and manual page; `make uninstall` removes exactly that.
# `make bench` runs the benchmark (minutes; see README).

SWIFT ?= swift
APT_PACKAGES = libgit2-dev libsodium-dev libssl-dev pkg-config git
# The tests drive a pseudo-terminal with util-linux's `script` (bsdutils), start
# their own sshd on a loopback port (openssh-server) for the ssh remote tests,
# compile the failing-write shim they preload (gcc), read times in other zones
# (tzdata: TZ=Asia/Seoul, America/New_York), load the completions and manual
# page `make install` puts in a temporary prefix (bash-completion, zsh, fish,
# man-db), find the agent with `ps` (procps), and speak to its socket as another
# user with python3. The front desk's tests run Debian's chromium (with Korean
# fonts) under Playwright from PyPI, installed in a virtual environment under
# .build/ by scripts/browser-deps.sh (python3-venv).
TEST_PACKAGES = bsdutils openssh-server gcc tzdata bash-completion zsh fish man-db procps python3 chromium fonts-noto-cjk python3-venv

PREFIX ?= /usr/local
DESTDIR ?=
# The tests install their debug build (make install-built CONFIG=debug).
CONFIG ?= release

.PHONY: demo test bench deps test-deps packages build clean install install-built uninstall

# Every Debian package the build and the tests need, and nothing else: what
# .ci/run installs as root before it runs the tests as an ordinary user.
packages:
	@sh scripts/install-deps.sh $(APT_PACKAGES) $(TEST_PACKAGES)

deps:
	@sh scripts/install-deps.sh $(APT_PACKAGES)
	@SWIFT="$(SWIFT)" sh scripts/resolve-packages.sh >/dev/null

test-deps: deps
	@sh scripts/install-deps.sh $(TEST_PACKAGES)
	@sh scripts/browser-deps.sh

build: deps
	$(SWIFT) build

demo: build
	sh scripts/demo.sh

test: test-deps
	$(SWIFT) build --build-tests
	$(SWIFT) build --product generate-manual
	@SWIFT="$(SWIFT)" sh scripts/test.sh

# The manual pages (English, and Korean under man/ko) come from the tool behind
# swift-argument-parser's generate-manual plugin, run through scripts/manual.sh:
# the plugin itself starts the tool without the caller's locale, and the tool
# drops Hangul unless it is carried through (see the script).
# The Swift runtime and Foundation are linked in (--static-swift-stdlib): Swift
# has no stable ABI on Linux, and the installed dangol must outlive the toolchain
# it was built with.
install: deps
	$(SWIFT) build -c $(CONFIG) --static-swift-stdlib --product dangol
	$(SWIFT) build -c $(CONFIG) --static-swift-stdlib --product generate-manual
	$(MAKE) install-built

# The install without the build, for a build already made (`make test` builds
# generate-manual beside its debug build, and the tests install that: swift
# test holds the build directory's lock, so no build can run inside a test).
install-built:
	sh scripts/install.sh install "$(DESTDIR)$(PREFIX)" .build/$(CONFIG)/dangol .build/$(CONFIG)/generate-manual

uninstall:
	sh scripts/install.sh uninstall "$(DESTDIR)$(PREFIX)"

bench: deps
	sh scripts/bench.sh

clean:
	rm -rf .build
