#!/bin/sh
# Make sure hyperfine exists, for the tests that run the peer beside pbench (its JSON
# and CSV keys, its hook order, its parameter order): Debian's package when missing.
exec sh "$(dirname "$0")/ensure_command.sh" hyperfine
