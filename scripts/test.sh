#!/usr/bin/env bash
# Install what the tests need and run the whole suite (the README's second command;
# .ci/run runs exactly this). Uses the active virtual environment, or makes .venv.
#
#   bash scripts/test.sh [--busy] [PYTEST ARGS...]
#
# --busy runs the suite beside two CPU-bound processes (scripts/busy.py), as on a shared
# CI machine: the suite must pass there too. The other arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
busy=0
args=()
for arg in "$@"; do
    if [ "$arg" = "--busy" ]; then busy=1; else args+=("$arg"); fi
done
if [ -z "${VIRTUAL_ENV:-}" ]; then
    [ -x .venv/bin/python ] || python3 -m venv .venv
    # shellcheck disable=SC1091
    . .venv/bin/activate
fi
python -m pip install --quiet --disable-pip-version-check -e '.[test]'
# PostgreSQL's server binaries, for the tests that start a private server.
sh scripts/ensure_postgres.sh
# Headless Chromium, for the tests that open the HTML report in a browser.
sh scripts/ensure_chromium.sh
# hyperfine, for the tests that run the peer beside pbench.
sh scripts/ensure_hyperfine.sh
# Valgrind, for the tests of --measure instructions|cycles.
sh scripts/ensure_valgrind.sh
if [ "$busy" = 1 ]; then
    exec python scripts/busy.py python -m pytest ${args[@]+"${args[@]}"}
fi
exec python -m pytest ${args[@]+"${args[@]}"}
