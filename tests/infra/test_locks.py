"""Every Python package comes from a lock with hashes, and the locks agree with what asks for them.

Given pyproject.toml and uv.lock, when uv checks the one against the other, then they agree (and a
changed range is caught); the functions' requirements*.txt are uv.lock's own export for each package's
group, every pin with its hashes, so the tests run exactly the versions that ship; and the SAM CLI's
and checkov's locks pin what their requirements/*.in ask for. `make lock` writes all of them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from helpers.packages import locked_requirements, locked_versions

ROOT = Path(__file__).resolve().parents[2]
UV = ROOT / ".venv" / "bin" / "uv"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
LOCK = tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))
LOCKED = {p["name"]: p["version"] for p in LOCK["package"] if "version" in p}
# functions/Makefile installs each of these into a package; the groups are pyproject.toml's.
FUNCTION_LOCKS = {"requirements.txt": "function", "requirements-validator.txt": "validator",
                  "requirements-build.txt": "snapshot"}
TOOL_LOCKS = ("sam-cli", "checkov")


def _uv(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run([str(UV), *args, "--python", sys.executable], capture_output=True, text=True, cwd=cwd,
                          env=env, timeout=300, check=False)


def test_given_pyproject_and_its_lock_when_uv_checks_them_then_they_agree() -> None:
    checked = _uv("lock", "--check", "--offline")
    assert checked.returncode == 0, checked.stderr


def test_given_a_range_changed_in_pyproject_without_make_lock_then_the_check_refuses_it(tmp_path: Path) -> None:
    # Online, as CI is: the check resolves the changed range against the index before comparing.
    for name in ("pyproject.toml", "uv.lock"):
        shutil.copy(ROOT / name, tmp_path / name)
    pyproject = tmp_path / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    assert text.count('"pypdf>=7.0,<8"') == 2
    pyproject.write_text(text.replace('"pypdf>=7.0,<8"', '"pypdf>=7.1,<8"'), encoding="utf-8")
    checked = _uv("lock", "--check", cwd=tmp_path)
    assert checked.returncode != 0
    assert "needs to be updated" in checked.stderr, checked.stderr


def test_given_the_development_venv_then_it_holds_exactly_the_locked_versions() -> None:
    checked = _uv("sync", "--check", "--locked", "--extra", "dev", "--offline")
    assert checked.returncode == 0, checked.stderr
    for name in ("pydantic", "pydantic-core", "aws-lambda-powertools", "pypdf", "pyyaml", "boto3", "moto"):
        assert metadata.version(name) == LOCKED[name], name


@pytest.mark.parametrize(("file_name", "group"), sorted(FUNCTION_LOCKS.items()))
def test_given_a_functions_requirements_then_it_is_the_locks_export_of_its_group_every_pin_hashed(
    file_name: str, group: str, tmp_path: Path
) -> None:
    committed = ROOT / "functions" / file_name
    exported = _uv("export", "--frozen", "--offline", "--only-group", group, "--no-emit-project",
                   "--output-file", str(tmp_path / file_name))
    assert exported.returncode == 0, exported.stderr
    # The same pins, hashes and markers (the two header lines name the command's output path).
    assert (tmp_path / file_name).read_text(encoding="utf-8").splitlines()[2:] == \
        committed.read_text(encoding="utf-8").splitlines()[2:], "run make lock"
    hashes = locked_requirements(committed)
    assert hashes and all(len(found) >= 1 for found in hashes.values()), hashes
    for name, version in locked_versions(committed).items():
        assert version == LOCKED[name], name


def test_given_the_function_groups_then_they_ask_for_the_projects_own_ranges() -> None:
    project = {canonicalize_name(Requirement(d).name): Requirement(d) for d in PYPROJECT["project"]["dependencies"]}
    groups: dict[str, dict[str, Requirement]] = {}
    for name, entries in PYPROJECT["dependency-groups"].items():
        groups[name] = {}
        for entry in entries:
            included = groups[entry["include-group"]] if isinstance(entry, dict) else {}
            groups[name].update(included)
            if isinstance(entry, str):
                groups[name][canonicalize_name(Requirement(entry).name)] = Requirement(entry)
    for name in ("function", "validator", "snapshot"):
        for dist, requirement in groups[name].items():
            assert str(requirement.specifier) == str(project[dist].specifier), (name, dist)
    # boto3 is part of the Lambda runtime; jinja2 only builds the site.
    assert set(groups["function"]) | set(groups["validator"]) | set(groups["snapshot"]) == \
        set(project) - {"boto3", "jinja2"}
    # The YAML parser is used while building only; the PDF reader by the validator only.
    assert set(groups["snapshot"]) == {"pyyaml"}
    assert set(groups["validator"]) - set(groups["function"]) == {"pypdf"}


@pytest.mark.parametrize("tool", TOOL_LOCKS)
def test_given_a_tools_lock_then_it_pins_what_its_requirements_ask_with_hashes_and_its_venv_holds_it(
    tool: str,
) -> None:
    lock = ROOT / "requirements" / f"{tool}.txt"
    pins = locked_versions(lock)
    asked = [
        Requirement(line.split(" #")[0])
        for line in (ROOT / "requirements" / f"{tool}.in").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for requirement in asked:
        assert requirement.specifier.contains(pins[canonicalize_name(requirement.name)]), requirement
    hashes = locked_requirements(lock)
    assert all(len(found) >= 1 for found in hashes.values()), hashes
    venv = ROOT / (".sam-venv" if tool == "sam-cli" else f".{tool}-venv")
    frozen = subprocess.run([str(UV), "pip", "freeze", "--python", str(venv / "bin" / "python")],
                            capture_output=True, text=True, timeout=120, check=True).stdout
    installed = {canonicalize_name(n): v for n, _, v in (line.partition("==") for line in frozen.splitlines())}
    assert installed == pins
