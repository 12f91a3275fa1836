#!/usr/bin/env bash
# Lint, format check, type check and the import layers: the same commands CI's reviewers run.
set -euo pipefail
cd "$(dirname "$0")/.."
ruff check src tests scripts
ruff format --check src tests scripts
mypy
PYTHONPATH="src${PYTHONPATH:+:$PYTHONPATH}" lint-imports --no-cache --no-logo
