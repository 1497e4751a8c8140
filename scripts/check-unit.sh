#!/usr/bin/env bash
# Scores the systemd unit's hardening with `systemd-analyze security` and fails above 2.0.
#
#   scripts/check-unit.sh [UNIT_FILE]      (default: deploy/trailhound.service)
#
# --offline=yes reads the unit file itself, so this works without systemd as PID 1 (containers,
# CI). --threshold is on systemd's ×10 scale: 20 means an exposure of 2.0. Override with
# THRESHOLD=15 scripts/check-unit.sh to try a stricter bar.
set -euo pipefail
cd "$(dirname "$0")/.."

unit="${1:-deploy/trailhound.service}"
threshold="${THRESHOLD:-20}"

if ! command -v systemd-analyze >/dev/null 2>&1; then
    # On Debian 12 /usr/bin/systemd-analyze comes with the `systemd` package (dpkg -S says so).
    if [ "$(id -u)" = 0 ] && [ "${CI:-}" = true ]; then
        echo "check-unit: systemd-analyze missing; installing Debian's systemd package" >&2
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq systemd >/dev/null
    else
        echo "check-unit: systemd-analyze not found. Install it (Debian/Ubuntu: apt-get install systemd)" >&2
        echo "check-unit: and run again; CI installs it itself when run as root with CI=true." >&2
        exit 2
    fi
fi

if [ ! -f "$unit" ]; then
    echo "check-unit: no unit file at $unit" >&2
    exit 2
fi

# The full table goes to a file so that the summary is what a CI log shows; the exit status is
# systemd-analyze's own verdict against the threshold.
report="$(mktemp)"
trap 'rm -f "$report"' EXIT
status=0
systemd-analyze security --offline=yes --threshold="$threshold" "$unit" >"$report" 2>&1 || status=$?

overall="$(grep -o 'Overall exposure level for [^:]*: [0-9.]*' "$report" | awk '{print $NF}' || true)"
if [ -z "$overall" ]; then
    cat "$report" >&2
    echo "check-unit: systemd-analyze gave no score for $unit (exit $status)" >&2
    exit 2
fi

limit="$(awk -v t="$threshold" 'BEGIN { printf "%.1f", t / 10 }')"
# Items that still cost exposure, so a regression shows what changed.
grep '^✗' "$report" | sed 's/^/  /' || true
if [ "$status" -ne 0 ]; then
    echo "check-unit: FAIL $unit exposure $overall is above $limit" >&2
    exit 1
fi
echo "check-unit: OK $unit exposure $overall (limit $limit)"
