#!/bin/sh
# Make sure hyperfine exists, for the tests that run the peer beside pbench (its JSON
# and CSV keys, its hook order, its parameter order). Installs the distribution's
# package only when hyperfine cannot be found. Non-interactive.
set -eu

if found=$(command -v hyperfine 2>/dev/null); then
    echo "ensure_hyperfine: found $found ($(hyperfine --version))"
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure_hyperfine: hyperfine not found and apt-get is unavailable; install hyperfine" >&2
    exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1 || ! sudo -n true 2>/dev/null; then
        echo "ensure_hyperfine: hyperfine not found; installing it needs root: run" \
            "'sudo apt-get install -y hyperfine'" >&2
        exit 1
    fi
    SUDO="sudo -n"
fi

echo "ensure_hyperfine: installing hyperfine with apt-get"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends hyperfine

if found=$(command -v hyperfine 2>/dev/null); then
    echo "ensure_hyperfine: installed $found ($(hyperfine --version))"
else
    echo "ensure_hyperfine: hyperfine was installed but is still not on PATH" >&2
    exit 1
fi
