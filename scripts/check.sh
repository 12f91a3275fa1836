#!/usr/bin/env bash
# Lint, format check and type check: the same commands CI's reviewers run.
set -euo pipefail
cd "$(dirname "$0")/.."
ruff check src tests scripts
ruff format --check src tests scripts
mypy
lint-imports --no-cache
