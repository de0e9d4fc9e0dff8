#!/usr/bin/env bash
# Set up (idempotent) and run every check: ruff, mypy and the whole pytest suite,
# real-browser tests included (headless Debian chromium).
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/setup.sh
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
.venv/bin/python -m pytest "$@"
