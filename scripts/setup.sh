#!/usr/bin/env bash
# Installs everything the project needs on a fresh Debian machine, every Python package from a lock with
# hashes: the project's venv (.venv, on Python 3.13 as the functions' runtime, from uv.lock), the SAM CLI
# with cfn-lint (.sam-venv) and checkov (.checkov-venv) in environments of their own (requirements/*.txt),
# Debian's Chromium with a Japanese font for the browser tests, and the npm packages used in the pages'
# checks (axe-core). Safe to run again: each step is skipped when done.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1 || ! dpkg -s fonts-ipafont-gothic >/dev/null 2>&1; then
  echo "setup: installing chromium and a Japanese font (apt)"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-ipafont-gothic >/dev/null
fi

if ! bash scripts/find-python.sh --check .venv/bin/python >/dev/null 2>&1; then
  PYTHON=$(bash scripts/find-python.sh)
  echo "setup: a venv on $PYTHON ($("$PYTHON" --version))"
  rm -rf .venv .sam-venv .checkov-venv
  "$PYTHON" -m venv .venv
fi
# uv itself, at the version and with the hashes uv.lock gives it; it then makes the venv exactly the lock.
.venv/bin/python - > .venv/uv-requirements.txt <<'PY'
import tomllib
(uv,) = [p for p in tomllib.load(open("uv.lock", "rb"))["package"] if p["name"] == "uv"]
hashes = " ".join(f"--hash={w['hash']}" for w in uv["wheels"])
print(f"uv=={uv['version']} {hashes}")
PY
if [ "$(.venv/bin/uv --version 2>/dev/null | cut -d' ' -f2)" != "$(cut -d' ' -f1 .venv/uv-requirements.txt | cut -d= -f3)" ]; then
  echo "setup: installing uv"
  .venv/bin/python -m pip install -q --disable-pip-version-check --require-hashes --no-deps \
    -r .venv/uv-requirements.txt
fi
UV=.venv/bin/uv

if [ ! -f .venv/.installed ] || [ uv.lock -nt .venv/.installed ] || [ pyproject.toml -nt .venv/.installed ]; then
  echo "setup: installing the locked Python packages"
  # --locked: stop, rather than resolve anew, when pyproject.toml and uv.lock disagree (make lock).
  "$UV" sync --quiet --locked --extra dev --python .venv/bin/python
  touch .venv/.installed
fi

# The SAM CLI (with cfn-lint) and checkov pin many packages: each has a venv of its own, made exactly
# its lock.
tool_venv() {
  local venv=$1 lock=$2
  if [ ! -f "$venv/.installed" ] || [ "$lock" -nt "$venv/.installed" ]; then
    echo "setup: installing $lock into $venv"
    rm -rf "$venv"
    "$UV" venv --quiet --python .venv/bin/python "$venv"
    "$UV" pip sync --quiet --require-hashes --python "$venv/bin/python" "$lock"
    touch "$venv/.installed"
  fi
}
tool_venv .sam-venv requirements/sam-cli.txt
tool_venv .checkov-venv requirements/checkov.txt

if [ ! -d node_modules/axe-core ] || [ package.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm packages"
  npm install --no-audit --no-fund --silent
fi
