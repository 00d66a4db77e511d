# The two commands of the README's quick start, on a fresh Debian machine:
#   make demo   builds dangol and runs the demo on a throwaway vault
#   make test   runs the whole test suite
# Both install what they need through apt-get when it is missing.
# `make install [PREFIX=/usr/local]` installs a release build with its shell
# completions and manual page; `make uninstall` removes exactly that.
# `make bench` runs the benchmark (minutes; see README).

SWIFT ?= swift
APT_PACKAGES = libgit2-dev libsodium-dev libssl-dev pkg-config git
# The tests drive a pseudo-terminal with util-linux's `script` (bsdutils), start
# their own sshd on a loopback port (openssh-server) for the ssh remote tests,
# compile the failing-write shim they preload (gcc), and load the completions and
# manual page `make install` puts in a temporary prefix (bash-completion, zsh,
# fish, man-db).
TEST_PACKAGES = bsdutils openssh-server gcc bash-completion zsh fish man-db

PREFIX ?= /usr/local
DESTDIR ?=
# The tests install their debug build (CONFIG=debug) to check the same steps.
CONFIG ?= release

.PHONY: demo test bench deps test-deps build clean install uninstall

deps:
	@sh scripts/install-deps.sh $(APT_PACKAGES)

test-deps: deps
	@sh scripts/install-deps.sh $(TEST_PACKAGES)

build: deps
	$(SWIFT) build

demo: build
	sh scripts/demo.sh

test: test-deps
	$(SWIFT) build --build-tests
	$(SWIFT) test

# The manual pages (English, and Korean under man/ko) come from the tool behind
# swift-argument-parser's generate-manual plugin, run through scripts/manual.sh:
# the plugin itself starts the tool without the caller's locale, and the tool
# drops Hangul unless it is carried through (see the script).
BIN = $$($(SWIFT) build -c $(CONFIG) --show-bin-path)
install: deps
	$(SWIFT) build -c $(CONFIG) --product dangol
	$(SWIFT) build -c $(CONFIG) --product generate-manual
	mkdir -p .build/manual
	sh scripts/manual.sh "$(BIN)/generate-manual" "$(BIN)/dangol" C.UTF-8 .build/manual/dangol.en.1
	sh scripts/manual.sh "$(BIN)/generate-manual" "$(BIN)/dangol" ko_KR.UTF-8 .build/manual/dangol.ko.1
	sh scripts/install.sh install "$(DESTDIR)$(PREFIX)" "$(BIN)/dangol" .build/manual/dangol.en.1 .build/manual/dangol.ko.1

uninstall:
	sh scripts/install.sh uninstall "$(DESTDIR)$(PREFIX)"

bench: deps
	sh scripts/bench.sh

clean:
	rm -rf .build
