"""`python -m catalog [path]`, the check command `make check` and `make test` run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from catalog.__main__ import main as check_main

REPO_ROOT = Path(__file__).resolve().parents[2]
PRODUCTS_YAML = REPO_ROOT / "products.yaml"
FUNCTIONS = REPO_ROOT / "functions"
VENV_PYTHON = REPO_ROOT / ".venv" / "bin" / "python"
PYTHON = str(VENV_PYTHON) if VENV_PYTHON.exists() else sys.executable
PRODUCT_IDS = ["and-me", "stalker-rider", "smasapo-club", "home-alsok", "watashi-no-omamori"]


def _check(*args: str) -> subprocess.CompletedProcess[str]:
    # As the Makefile runs it: the venv's python, from functions/.
    return subprocess.run(
        [PYTHON, "-m", "catalog", *args],
        cwd=FUNCTIONS,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_given_the_real_catalog_then_the_check_exits_0_with_one_line_per_product():
    result = _check()
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines[:-1]] == PRODUCT_IDS
    assert lines[-1].endswith("5 products, 5 sources: OK")
    assert result.stderr == ""


def test_given_a_bad_copy_by_path_then_the_check_exits_1_naming_the_field_on_stderr(tmp_path: Path):
    text = PRODUCTS_YAML.read_text(encoding="utf-8")
    good_row = "premiums: {A: 20680, B: 16510, C: 11920, D: 8770}"
    assert text.count(good_row) == 1
    bad = tmp_path / "products.yaml"
    bad.write_text(text.replace(good_row, "premiums: {A: 20680, B: '16,510', C: 11920, D: 8770}"), encoding="utf-8")

    result = _check(str(bad))

    assert result.returncode == 1
    assert result.stdout == ""
    assert "products.yaml is invalid (1 problem(s)):" in result.stderr
    assert "products[4].midterm_table.rows[2].premiums.B: expected int yen, got '16,510'" in result.stderr


def test_given_a_path_that_does_not_exist_then_the_check_exits_1_saying_it_cannot_read_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    # In-process: the same main() the module runs, without another interpreter start-up.
    missing = tmp_path / "nowhere.yaml"
    assert check_main(["catalog", str(missing)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"(file) {missing}: cannot read" in captured.err
