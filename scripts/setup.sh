#!/usr/bin/env bash
# Set up everything Gusev Planner needs on a Debian/Ubuntu machine with Python 3.11+.
# Idempotent: each step is skipped when its inputs have not changed since the last run.
#   - Debian packages: chromium (browser tests, PNG/PDF export) and npm, only when missing
#   - front-end files (Leaflet, jQuery) from the npm registry, copied to static/vendor/
#   - a virtual environment in .venv with the pinned Python dependencies
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
stamps="$root/.setup-stamps"
mkdir -p "$stamps"

log() { printf '[setup] %s\n' "$*"; }
sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

apt_packages=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || apt_packages+=(chromium)
command -v npm >/dev/null 2>&1 || apt_packages+=(npm)
python_bin=${PYTHON:-python3}
if ! "$python_bin" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "[setup] Python 3.11 or newer is required (found: $("$python_bin" --version 2>&1))." >&2
  exit 1
fi
if [ ! -x .venv/bin/python ] && ! "$python_bin" -c 'import ensurepip, venv' >/dev/null 2>&1; then
  apt_packages+=(python3-venv)
fi
if [ ${#apt_packages[@]} -gt 0 ]; then
  log "installing Debian packages: ${apt_packages[*]}"
  sudo_if_needed apt-get update -qq
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${apt_packages[@]}" >/dev/null
fi

# Front-end assets: npm ci from the committed lockfile, then copy what the browser needs
# (the list of files, with their licences, is in scripts/frontend_assets.py; the wheel build uses it too).
front_key=$(cat package.json package-lock.json scripts/setup.sh scripts/frontend_assets.py | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamps/frontend" 2>/dev/null)" != "$front_key" ] || [ ! -f static/vendor/npm-packages.json ]; then
  log "installing front-end files from the npm registry"
  npm ci --silent --no-audit --no-fund
  "$python_bin" scripts/frontend_assets.py node_modules static/vendor
  echo "$front_key" > "$stamps/frontend"
fi

# Python environment: pinned requirements (constraints.txt) plus the project in editable mode.
py_key=$(cat pyproject.toml constraints.txt | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamps/python" 2>/dev/null)" != "$py_key" ] || [ ! -x .venv/bin/planner ]; then
  log "installing the Python environment in .venv"
  [ -x .venv/bin/python ] || "$python_bin" -m venv .venv
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dashboard,notebook,test,dev]'
  echo "$py_key" > "$stamps/python"
fi
log "ready"
