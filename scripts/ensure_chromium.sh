#!/bin/sh
# Make sure a headless-capable Chromium exists for the browser tests of the HTML report
# (tests/report/test_html_browser.py, driven through tests/support/browser.py). Installs
# the distribution's package only when none is found. Non-interactive.
set -eu

find_chromium() {
    if [ -n "${PBENCH_CHROMIUM:-}" ] && [ -x "$PBENCH_CHROMIUM" ]; then
        echo "$PBENCH_CHROMIUM"
        return 0
    fi
    for name in chromium chromium-browser google-chrome google-chrome-stable; do
        if found=$(command -v "$name" 2>/dev/null); then
            echo "$found"
            return 0
        fi
    done
    return 1
}

if found=$(find_chromium); then
    echo "ensure_chromium: found $found"
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure_chromium: Chromium not found and apt-get is unavailable; install Chromium" \
        "(or set PBENCH_CHROMIUM to a Chrome/Chromium executable)" >&2
    exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1 || ! sudo -n true 2>/dev/null; then
        echo "ensure_chromium: Chromium not found; installing it needs root: run" \
            "'sudo apt-get install -y chromium' (or set PBENCH_CHROMIUM)" >&2
        exit 1
    fi
    SUDO="sudo -n"
fi

echo "ensure_chromium: installing Chromium with apt-get"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends chromium

if found=$(find_chromium); then
    echo "ensure_chromium: installed $found"
else
    echo "ensure_chromium: chromium was installed but no executable was found" >&2
    exit 1
fi
