#!/bin/sh
# Make sure Valgrind exists, for the tests of `--measure instructions|cycles` (each run
# under cachegrind): Debian's package when missing.
exec sh "$(dirname "$0")/ensure_command.sh" valgrind
