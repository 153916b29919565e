#!/usr/bin/env bash
# Installs everything the project needs on a fresh Debian machine, every Python package from a lock with
# hashes: the project's venv (.venv, on Python 3.13 as the functions' runtime, from uv.lock), the SAM CLI
# with cfn-lint (.sam-venv) and checkov (.checkov-venv) in environments of their own (requirements/*.txt),
# Debian's Chromium with a Japanese font for the browser tests, and the npm packages used in the pages'
# checks (axe-core). Safe to run again: each step is skipped when done.
set -euo pipefail
cd "$(dirname "$0")/.."

# The functions run on Lambda's python3.13, and the tests and the build use the same version.
PYTHON_VERSION=3.13

if ! command -v chromium >/dev/null 2>&1 || ! dpkg -s fonts-ipafont-gothic >/dev/null 2>&1; then
  echo "setup: installing chromium and a Japanese font (apt)"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-ipafont-gothic >/dev/null
fi

# The machine's own Python 3.13: on PATH (Debian 13's python3.13), pyenv's, or where Debian installs it.
# A pyenv shim is on PATH for every version pyenv knows but runs only the selected ones: each candidate
# must answer.
runs_wanted_python() {
  [ -n "$1" ] && "$1" -c "import sys; sys.exit(sys.version_info[:2] != (${PYTHON_VERSION/./, }))" >/dev/null 2>&1
}
find_python() {
  local candidate
  for candidate in "$(command -v "python$PYTHON_VERSION" || true)" \
      $(ls -d "$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")"/versions/"$PYTHON_VERSION".*/bin/python"$PYTHON_VERSION" \
          2>/dev/null | sort -V -r) \
      "/usr/bin/python$PYTHON_VERSION" "/usr/local/bin/python$PYTHON_VERSION"; do
    if runs_wanted_python "$candidate"; then echo "$candidate"; return 0; fi
  done
  return 1
}

if ! runs_wanted_python .venv/bin/python; then
  if ! PYTHON=$(find_python); then
    cat >&2 <<MESSAGE
setup: Python $PYTHON_VERSION is needed (the functions run on Lambda's python$PYTHON_VERSION, and the tests
on the same version), and none was found on PATH, in pyenv or in /usr/bin. Install one:
  Debian 13:  sudo apt-get install python$PYTHON_VERSION python$PYTHON_VERSION-venv
  pyenv:      pyenv install $PYTHON_VERSION
then run this again.
MESSAGE
    exit 1
  fi
  echo "setup: a venv on $PYTHON ($("$PYTHON" --version))"
  rm -rf .venv .sam-venv .checkov-venv
  "$PYTHON" -m venv .venv
  # uv itself, at the version and with the hashes uv.lock gives it; then the venv is made exactly the lock.
  "$PYTHON" - > .venv/uv-requirements.txt <<'PY'
import tomllib
(uv,) = [p for p in tomllib.load(open("uv.lock", "rb"))["package"] if p["name"] == "uv"]
hashes = " ".join(f"--hash={w['hash']}" for w in uv["wheels"])
print(f"uv=={uv['version']} {hashes}")
PY
  .venv/bin/python -m pip install -q --disable-pip-version-check --require-hashes --no-deps \
    -r .venv/uv-requirements.txt
fi
UV=.venv/bin/uv
export UV_PYTHON_DOWNLOADS=never

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
