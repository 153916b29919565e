"""Setup's search for the machine's Python 3.13 (scripts/find-python.sh): on PATH first, then pyenv's
newest, past a pyenv shim that is on PATH but does not run; with none, it says what to install."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "find-python.sh"
PYTHON_313 = os.path.realpath(sys.executable)
# What pyenv's shim does for a version that is installed but not selected.
SHIM = "#!/bin/sh\necho \"pyenv: python3.13: command not found\" >&2\nexit 127\n"


def _find(tmp_path: Path, path_python: str | None, pyenv_versions: list[str]) -> subprocess.CompletedProcess[str]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    if path_python == "shim":
        (bin_dir / "python3.13").write_text(SHIM, encoding="utf-8")
        (bin_dir / "python3.13").chmod(0o755)
    elif path_python:
        (bin_dir / "python3.13").symlink_to(path_python)
    for version in pyenv_versions:
        where = tmp_path / "pyenv" / "versions" / version / "bin"
        where.mkdir(parents=True)
        (where / "python3.13").symlink_to(PYTHON_313)
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(tmp_path), "PYENV_ROOT": str(tmp_path / "pyenv")}
    return subprocess.run(["bash", str(SCRIPT)], capture_output=True, text=True, env=env, timeout=60, check=False)


def test_given_a_working_python313_on_path_then_it_is_taken(tmp_path: Path) -> None:
    found = _find(tmp_path, PYTHON_313, ["3.13.9"])
    assert found.returncode == 0, found.stderr
    assert found.stdout.strip() == str(tmp_path / "bin" / "python3.13")


def test_given_only_a_pyenv_shim_on_path_then_pyenvs_newest_313_is_taken(tmp_path: Path) -> None:
    found = _find(tmp_path, "shim", ["3.13.0", "3.13.10", "3.13.9", "3.12.1"])
    assert found.returncode == 0, found.stderr
    assert found.stdout.strip() == str(tmp_path / "pyenv" / "versions" / "3.13.10" / "bin" / "python3.13")


def test_given_no_python313_then_it_fails_saying_what_to_install(tmp_path: Path) -> None:
    if any(Path(d, "python3.13").exists() for d in ("/usr/bin", "/usr/local/bin")):
        pytest.skip("this machine has a system Python 3.13, which the search rightly finds")
    found = _find(tmp_path, "shim", ["3.12.1"])
    assert found.returncode == 1 and found.stdout == ""
    assert "Python 3.13 is needed" in found.stderr
    assert "apt-get install python3.13 python3.13-venv" in found.stderr
    assert "pyenv install 3.13" in found.stderr


def test_given_the_check_flag_then_it_tells_a_313_from_another_python(tmp_path: Path) -> None:
    assert subprocess.run(["bash", str(SCRIPT), "--check", PYTHON_313], check=False).returncode == 0
    (tmp_path / "python").write_text(SHIM, encoding="utf-8")
    (tmp_path / "python").chmod(0o755)
    assert subprocess.run(["bash", str(SCRIPT), "--check", str(tmp_path / "python")], check=False).returncode != 0
    assert subprocess.run(["bash", str(SCRIPT), "--check", str(tmp_path / "absent")], check=False).returncode != 0
