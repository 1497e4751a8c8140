# Build and install trailhound. deploy/install.sh does the installing; this file passes it the
# usual variables so `make install PREFIX=… DESTDIR=…` works as packagers expect.
#
#   make                      release build (swift build -c release --product trailhound
#                             --static-swift-stdlib): the Swift runtime, Foundation and Dispatch
#                             are linked in, so the binary runs where only Debian's libraries are
#   sudo make install         build if needed, install under /usr/local and /etc
#   make install DESTDIR=/tmp/stage PREFIX=/usr
#   make install BINARY=path/to/trailhound   install a binary built elsewhere
#   make check-unit           score the systemd unit's hardening (fails above 2.0)
#   make SWIFTPM_ARGS='--scratch-path .build-release'   more arguments for swift build

PREFIX ?= /usr/local
SYSCONFDIR ?= /etc
DESTDIR ?=
SWIFT ?= swift
BINARY ?=
SWIFTPM_ARGS ?=

.PHONY: all build install check-unit

all: build

build:
	$(SWIFT) build -c release --product trailhound --static-swift-stdlib $(SWIFTPM_ARGS)

install:
	PREFIX='$(PREFIX)' SYSCONFDIR='$(SYSCONFDIR)' DESTDIR='$(DESTDIR)' SWIFT='$(SWIFT)' BINARY='$(BINARY)' \
		SWIFTPM_ARGS='$(SWIFTPM_ARGS)' deploy/install.sh

check-unit:
	scripts/check-unit.sh
