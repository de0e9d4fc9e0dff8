#!/usr/bin/env bash
# Set up (idempotent) and start the Gusev Planner dashboard on the bundled Gusev data.
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/setup.sh
exec .venv/bin/python -m streamlit run app.py "$@"
