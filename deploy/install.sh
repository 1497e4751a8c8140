#!/usr/bin/env bash
# Builds trailhound in release mode and installs it, its rule pack, the systemd unit and an
# example configuration. The Makefile's `install` target runs this script; it is the one
# implementation of installing.
#
#   deploy/install.sh                      build, then install under /usr/local and /etc
#   PREFIX=/opt/trailhound deploy/install.sh
#   DESTDIR=/tmp/stage deploy/install.sh   stage into a directory (packaging, tests)
#   BINARY=path/to/trailhound deploy/install.sh   install a binary built elsewhere; no build
#   SWIFTPM_ARGS='--scratch-path .build-release' deploy/install.sh   more arguments for swift build
#
# The release build links the Swift runtime, Foundation and Dispatch statically
# (--static-swift-stdlib), so the binary needs only libraries Debian ships (glibc, libstdc++,
# zlib, SQLite) and runs on a log host without Swift. Before installing anything, the binary is
# run here (`--version`, then `check` on the rules about to be installed); if it cannot run, the
# install stops and names the shared libraries ldd cannot find. CHECK_BINARY=no skips that run,
# for staging a binary built for another architecture.
#
# Layout (DESTDIR is prepended to each; PREFIX defaults to /usr/local, SYSCONFDIR to /etc):
#   $PREFIX/bin/trailhound
#   $PREFIX/share/trailhound/rules/        the bundled rules (the binary finds them at
#                                          ../share/trailhound/rules next to its bin directory)
#   $SYSCONFDIR/systemd/system/trailhound.service
#   $SYSCONFDIR/trailhound/trailhound.yaml only if absent: an existing configuration is never touched
set -euo pipefail
cd "$(dirname "$0")/.."

PREFIX="${PREFIX:-/usr/local}"
DESTDIR="${DESTDIR:-}"
SYSCONFDIR="${SYSCONFDIR:-/etc}"
SWIFT="${SWIFT:-swift}"
BINARY="${BINARY:-}"
SWIFTPM_ARGS="${SWIFTPM_ARGS:-}"
CHECK_BINARY="${CHECK_BINARY:-yes}"

fail() {
    echo "install: $*" >&2
    exit 1
}

case "$PREFIX" in
/*) ;;
*) fail "PREFIX must be an absolute path, got '$PREFIX'" ;;
esac

[ -f deploy/trailhound.service ] || fail "deploy/trailhound.service is missing; run from a trailhound checkout"
[ -d rules ] || fail "rules/ is missing; run from a trailhound checkout"

# --- The binary ------------------------------------------------------------------------------
if [ -z "$BINARY" ]; then
    # The same build as `make`: the Swift runtime linked in, so the binary runs without Swift.
    # shellcheck disable=SC2206 # SWIFTPM_ARGS is a list of words on purpose
    build=(build -c release --product trailhound --static-swift-stdlib $SWIFTPM_ARGS)
    echo "install: building trailhound (release, Swift runtime linked statically)"
    "$SWIFT" "${build[@]}"
    BINARY="$("$SWIFT" "${build[@]}" --show-bin-path)/trailhound"
fi
[ -x "$BINARY" ] || fail "no executable at $BINARY (set BINARY= to a built trailhound, or unset it to build)"

# --- The binary must run on this machine, before anything is installed ------------------------
# A binary linked against the Swift runtime's shared libraries (a plain `swift build`) fails to
# start on a host without Swift ("error while loading shared libraries: libswiftCore.so"), and so
# would the unit's ExecStartPre. Running it here catches that, a missing Debian library (zlib,
# SQLite) and a glibc too old for the binary, while nothing has been changed yet.
if [ "$CHECK_BINARY" != no ]; then
    if ! output="$("$BINARY" --version 2>&1)"; then
        missing="$(ldd "$BINARY" 2>/dev/null | grep 'not found' | sed -e 's/^[[:space:]]*//' -e 's/ (0x[0-9a-f]*)$//' || true)"
        echo "install: $BINARY does not run on this machine:" >&2
        printf '%s\n' "$output" | head -3 | sed 's/^/install:   /' >&2
        if [ -n "$missing" ]; then
            echo "install: shared libraries it needs and this machine lacks (ldd):" >&2
            printf '%s\n' "$missing" | sed 's/^/install:   /' >&2
        fi
        fail "nothing installed. Install the missing libraries, or use a binary built with 'make' (its release build links the Swift runtime statically: swift build -c release --static-swift-stdlib), e.g. make install BINARY=path"
    fi
    echo "install: $BINARY runs here (trailhound $output)"
    if ! output="$("$BINARY" check --rules rules 2>&1)"; then
        printf '%s\n' "$output" | tail -20 | sed 's/^/install:   /' >&2
        fail "$BINARY runs but rejects the rules in rules/ (trailhound check --rules rules); nothing installed"
    fi
    echo "install: the rules load with it ($(printf '%s\n' "$output" | tail -1))"
fi

bindir="$DESTDIR$PREFIX/bin"
rulesdir="$DESTDIR$PREFIX/share/trailhound/rules"
unitdir="$DESTDIR$SYSCONFDIR/systemd/system"
configdir="$DESTDIR$SYSCONFDIR/trailhound"

install -d -m 0755 "$bindir"
install -m 0755 "$BINARY" "$bindir/trailhound"
echo "install: $bindir/trailhound"

# --- Rules: replaced as a whole, so a rule removed upstream does not linger -------------------
install -d -m 0755 "$(dirname "$rulesdir")"
staging="$(mktemp -d "$(dirname "$rulesdir")/.rules.XXXXXX")"
trap 'rm -rf "$staging"' EXIT
cp -R rules/. "$staging/"
find "$staging" -type d -exec chmod 0755 {} +
find "$staging" -type f -exec chmod 0644 {} +
chmod 0755 "$staging"
rm -rf "$rulesdir"
mv "$staging" "$rulesdir"
trap - EXIT
echo "install: $rulesdir/ ($(find "$rulesdir" -type f -name '*.yaml' | wc -l | tr -d ' ') rule files)"

# --- The unit: its paths follow PREFIX ---------------------------------------------------------
install -d -m 0755 "$unitdir"
sed -e "s|/usr/local/bin/trailhound|$PREFIX/bin/trailhound|g" \
    -e "s|/usr/local/share/trailhound|$PREFIX/share/trailhound|g" \
    -e "s|/etc/trailhound/|$SYSCONFDIR/trailhound/|g" \
    deploy/trailhound.service >"$unitdir/trailhound.service.tmp"
chmod 0644 "$unitdir/trailhound.service.tmp"
mv "$unitdir/trailhound.service.tmp" "$unitdir/trailhound.service"
echo "install: $unitdir/trailhound.service"

# --- The configuration: an example only where there is none -----------------------------------
install -d -m 0755 "$configdir"
if [ -e "$configdir/trailhound.yaml" ]; then
    echo "install: $configdir/trailhound.yaml exists; left unchanged"
elif [ -f deploy/trailhound.yaml ]; then
    install -m 0644 deploy/trailhound.yaml "$configdir/trailhound.yaml"
    echo "install: $configdir/trailhound.yaml (example; edit before starting)"
else
    fail "deploy/trailhound.yaml (the example configuration) is missing and $configdir/trailhound.yaml does not exist"
fi

# --- What next ------------------------------------------------------------------------------
config="$SYSCONFDIR/trailhound/trailhound.yaml"
if [ -n "$DESTDIR" ]; then
    echo
    echo "Staged under $DESTDIR; on the target machine, after copying the tree into place:"
else
    echo
    echo "Installed. Next:"
fi
cat <<NEXT
  1. Edit $config (spool path, sinks); keep it root-owned and not group- or world-writable.
  2. Check it:       $PREFIX/bin/trailhound check --config $config
  3. Start it:       systemctl daemon-reload
                     systemctl enable --now trailhound
  4. Watch it:       systemctl status trailhound; journalctl -u trailhound -f
The unit reads the spool at /var/spool/cloudtrail; to use another path, see the comments in
$SYSCONFDIR/systemd/system/trailhound.service and override it with 'systemctl edit trailhound'.
NEXT
