#!/bin/sh
# Make sure Valgrind exists, for the tests of `--measure instructions|cycles` (each run
# under cachegrind). Installs Debian's package only when valgrind cannot be found.
# Non-interactive.
set -eu

if found=$(command -v valgrind 2>/dev/null); then
    echo "ensure_valgrind: found $found ($(valgrind --version))"
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure_valgrind: valgrind not found and apt-get is unavailable; install valgrind" >&2
    exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1 || ! sudo -n true 2>/dev/null; then
        echo "ensure_valgrind: valgrind not found; installing it needs root: run" \
            "'sudo apt-get install -y valgrind'" >&2
        exit 1
    fi
    SUDO="sudo -n"
fi

echo "ensure_valgrind: installing valgrind with apt-get"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends valgrind

if found=$(command -v valgrind 2>/dev/null); then
    echo "ensure_valgrind: installed $found ($(valgrind --version))"
else
    echo "ensure_valgrind: valgrind was installed but is still not on PATH" >&2
    exit 1
fi
