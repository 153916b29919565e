#!/usr/bin/env bash
# Installs everything the project needs on a fresh Debian machine: the Python venv with the
# project and its dev tools, aws-sam-cli in a venv of its own, Debian's Chromium with a Japanese font
# for the browser tests, and the npm packages used in the pages' checks (axe-core). Safe to run again:
# each step is skipped when done.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1 || ! dpkg -s fonts-ipafont-gothic >/dev/null 2>&1; then
  echo "setup: installing chromium and a Japanese font (apt)"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-ipafont-gothic >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
if [ ! -f .venv/.installed ] || [ pyproject.toml -nt .venv/.installed ]; then
  echo "setup: installing Python packages"
  .venv/bin/pip install -q --upgrade pip
  .venv/bin/pip install -q -e ".[dev]"
  touch .venv/.installed
fi

# aws-sam-cli pins many packages: its own venv. `sam build` packages the functions (and a test runs it).
SAM_CLI_VERSION=1.170.0
if [ ! -f ".sam-venv/.installed-$SAM_CLI_VERSION" ]; then
  echo "setup: installing aws-sam-cli $SAM_CLI_VERSION"
  rm -rf .sam-venv
  python3 -m venv .sam-venv
  .sam-venv/bin/pip install -q --disable-pip-version-check "aws-sam-cli==$SAM_CLI_VERSION"
  touch ".sam-venv/.installed-$SAM_CLI_VERSION"
fi

if [ ! -d node_modules/axe-core ] || [ package.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm packages"
  npm install --no-audit --no-fund --silent
fi
