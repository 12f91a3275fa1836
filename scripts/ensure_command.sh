#!/bin/sh
# Make sure COMMAND exists, installing Debian's PACKAGE (default: COMMAND) with apt-get
# only when it cannot be found. Non-interactive; exit 1 with what to run when it
# cannot install. Used by ensure_hyperfine.sh and ensure_valgrind.sh.
#
#   sh scripts/ensure_command.sh COMMAND [PACKAGE]
set -eu

command=$1
package=${2:-$1}
me="ensure_$command"

if found=$(command -v "$command" 2>/dev/null); then
    echo "$me: found $found ($("$command" --version))"
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "$me: $command not found and apt-get is unavailable; install $package" >&2
    exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1 || ! sudo -n true 2>/dev/null; then
        echo "$me: $command not found; installing it needs root: run" \
            "'sudo apt-get install -y $package'" >&2
        exit 1
    fi
    SUDO="sudo -n"
fi

echo "$me: installing $package with apt-get"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "$package"

if found=$(command -v "$command" 2>/dev/null); then
    echo "$me: installed $found ($("$command" --version))"
else
    echo "$me: $package was installed but $command is still not on PATH" >&2
    exit 1
fi
