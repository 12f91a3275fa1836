#!/usr/bin/env bash
# Rebuild the freestanding launcher shipped in src/pbench/targets/command/_launcher (x86-64 Linux).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
dir="$here/src/pbench/targets/command/_launcher"
gcc -Os -static -nostdlib -fno-stack-protector -fno-asynchronous-unwind-tables \
    -fno-pie -no-pie -Wl,--build-id=none -s -o "$dir/launcher-x86_64" "$dir/launcher.c"
strip -R .comment "$dir/launcher-x86_64"
ls -l "$dir/launcher-x86_64"
