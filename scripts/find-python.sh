#!/usr/bin/env bash
# Prints the path of the machine's own Python 3.13, the functions' runtime version, which the venv, the
# tests and the build use: `python3.13` on PATH (Debian 13's), else pyenv's newest 3.13, else where Debian
# or a source build installs it. With none, says what to install and fails.
# `find-python.sh --check PATH` only tells (by its status) whether PATH runs Python 3.13.
set -euo pipefail

PYTHON_VERSION=3.13

# A pyenv shim is on PATH for every version pyenv knows but runs only the selected ones: each candidate
# must answer.
runs_wanted_python() {
  [ -n "$1" ] && "$1" -c "import sys; sys.exit(sys.version_info[:2] != (${PYTHON_VERSION/./, }))" >/dev/null 2>&1
}

if [ "${1:-}" = "--check" ]; then
  runs_wanted_python "${2:-}"
  exit
fi

pyenv_root=$(pyenv root 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}")
for candidate in "$(command -v "python$PYTHON_VERSION" || true)" \
    $(ls -d "$pyenv_root"/versions/"$PYTHON_VERSION".*/bin/python"$PYTHON_VERSION" 2>/dev/null | sort -V -r) \
    "/usr/bin/python$PYTHON_VERSION" "/usr/local/bin/python$PYTHON_VERSION"; do
  if runs_wanted_python "$candidate"; then
    echo "$candidate"
    exit 0
  fi
done

cat >&2 <<MESSAGE
setup: Python $PYTHON_VERSION is needed (the functions run on Lambda's python$PYTHON_VERSION, and the tests
on the same version), and none was found on PATH, in pyenv or in /usr/bin and /usr/local/bin. Install one:
  Debian 13:  sudo apt-get install python$PYTHON_VERSION python$PYTHON_VERSION-venv
  pyenv:      pyenv install $PYTHON_VERSION
then run this again.
MESSAGE
exit 1
