"""What ships is only what runs: each function's code folder holds the Lambda packages and nothing else.

Given each function of infra/template.yaml, when its handler is imported in a fresh interpreter that
sees only the function's code folder (its CodeUri), the dependencies that folder's requirements*.txt
name and boto3 (which the Lambda runtime provides), then the handler imports, every module it loads
comes from one of those places, and the site generator, the local stack and the benchmarks cannot be
imported at all.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import Any

import pytest

from devserver.template import TEMPLATE_PATH, Resolver, function_environment, functions, load_template
from helpers.packages import RUNTIME_PROVIDED, linked_distributions, locked_requirements

ROOT = TEMPLATE_PATH.parents[1]

DEVELOPMENT_PACKAGES = ("sitegen", "devserver", "benchmarks")

# Runs with -I -S: no site-packages, no .pth files (so no editable install), no PYTHON* variables.
_PROBE = """
import importlib, importlib.util, json, sys
code_dir, deps_dir, handler = sys.argv[1:4]
sys.path[:0] = [code_dir, deps_dir]
module_name, _, attr = handler.rpartition(".")
target = getattr(importlib.import_module(module_name), attr)
files = sorted({getattr(m, "__file__", None) or "" for m in list(sys.modules.values())} - {""})
print(json.dumps({
    "callable": callable(target),
    "files": files,
    "development": {name: importlib.util.find_spec(name) is not None for name in sys.argv[4:]},
}))
"""


def _code_dir(template: dict[str, Any], props: dict[str, Any]) -> Path:
    code_uri = props.get("CodeUri", template.get("Globals", {}).get("Function", {}).get("CodeUri"))
    assert isinstance(code_uri, str), "each function needs a local CodeUri folder"
    return (TEMPLATE_PATH.parent / code_uri).resolve()


def _requirements(code_dir: Path) -> list[str]:
    """Every requirement the build installs: each function's, the validator's and the build step's."""
    return [str(pin) for path in sorted(code_dir.glob("requirements*.txt")) for pin in locked_requirements(path)]


def _dependencies_dir(code_dir: Path, into: Path) -> Path:
    return linked_distributions([*_requirements(code_dir), *RUNTIME_PROVIDED], into)


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    return load_template()


@pytest.fixture(scope="module")
def deps_dirs(template: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> dict[Path, Path]:
    """Each code folder's dependencies, linked once for the whole module."""
    code_dirs = sorted({_code_dir(template, props) for props in functions(template).values()})
    return {d: _dependencies_dir(d, tmp_path_factory.mktemp("deps")) for d in code_dirs}


def _isolated(args: list[str], env: dict[str, str], cwd: Path) -> Any:
    """Runs a probe with -I -S and returns the JSON it prints last."""
    done = subprocess.run(
        [sys.executable, "-I", "-S", "-c", *args],
        capture_output=True,
        text=True,
        env={"PATH": os.environ.get("PATH", ""), **env},
        cwd=cwd,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def probes(
    template: dict[str, Any], deps_dirs: dict[Path, Path], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, dict[str, Any]]:
    """What each function's handler loads, imported once per function."""
    # The function's own variables (resource references by logical id), and the region the runtime sets.
    resolver = Resolver(
        template,
        refs={logical_id: logical_id for logical_id in template["Resources"]},
        arns={logical_id: f"arn:aws:local:::{logical_id}" for logical_id in template["Resources"]},
    )
    out = {}
    for logical_id, props in functions(template).items():
        code_dir = _code_dir(template, props)
        env = {**function_environment(template, logical_id, resolver), "AWS_DEFAULT_REGION": "ap-northeast-1"}
        args = [_PROBE, str(code_dir), str(deps_dirs[code_dir]), str(props["Handler"]), *DEVELOPMENT_PACKAGES]
        out[logical_id] = _isolated(args, env, tmp_path_factory.mktemp(logical_id))
    return out


@pytest.mark.parametrize("logical_id", sorted(functions(load_template())))
def test_given_a_function_when_its_handler_is_imported_with_only_its_code_and_dependencies_then_it_loads(
    template: dict[str, Any], deps_dirs: dict[Path, Path], probes: dict[str, dict[str, Any]], logical_id: str
) -> None:
    code_dir = _code_dir(template, functions(template)[logical_id])
    seen = probes[logical_id]

    assert seen["callable"]
    # Module files as found through sys.path (links into the venv are not followed).
    allowed = (code_dir, deps_dirs[code_dir], Path(sysconfig.get_paths()["stdlib"]))
    outside = [f for f in seen["files"] if not any(Path(f).is_relative_to(root) for root in allowed)]
    assert not outside, f"{logical_id} loaded modules from outside its code and dependencies: {outside[:5]}"
    assert seen["development"] == dict.fromkeys(DEVELOPMENT_PACKAGES, False)


def test_given_the_code_folder_then_it_holds_only_packages_some_handler_imports(
    template: dict[str, Any], deps_dirs: dict[Path, Path], probes: dict[str, dict[str, Any]]
) -> None:
    for code_dir in deps_dirs:
        loaded = {
            Path(f).relative_to(code_dir).parts[0]
            for logical_id, props in functions(template).items()
            if _code_dir(template, props) == code_dir
            for f in probes[logical_id]["files"]
            if Path(f).is_relative_to(code_dir)
        }
        shipped = {
            p.name for p in code_dir.iterdir() if (p.is_dir() and (p / "__init__.py").is_file()) or p.suffix == ".py"
        }
        assert shipped - loaded == set(), f"{code_dir.name}/ ships packages no handler imports: {shipped - loaded}"
        assert not any((code_dir / name).exists() for name in DEVELOPMENT_PACKAGES)


def test_given_the_readme_layout_table_then_it_names_every_package_and_only_paths_that_exist() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Layout", 1)[1]
    listed = {line.split("`")[1].rstrip("/") for line in table.splitlines() if line.startswith("| `")}
    assert all((ROOT / path).exists() for path in listed), sorted(p for p in listed if not (ROOT / p).exists())
    packages = {
        f"{folder}/{p.name}"
        for folder in ("functions", "website", "tools")
        for p in (ROOT / folder).iterdir()
        if (p / "__init__.py").is_file()
    }
    assert packages <= listed, f"README's layout table lacks {sorted(packages - listed)}"


def test_given_the_catalog_when_loaded_and_checked_then_it_imports_nothing_of_the_layers_above(
    deps_dirs: dict[Path, Path], tmp_path: Path
) -> None:
    probe = (
        "import json, sys; sys.path[:0] = sys.argv[1:3]; from catalog.loader import load_catalog; "
        "load_catalog(sys.argv[3]); print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    for code_dir, deps_dir in deps_dirs.items():
        loaded = set(_isolated([probe, str(code_dir), str(deps_dir), str(ROOT / "products.yaml")], {}, tmp_path))
        # The full check ran (the mid-term dates need the business-day calendar), and nothing above it loaded.
        assert {"catalog", "japan_calendar"} <= loaded
        assert loaded.isdisjoint({"domain", "api", "dal", "validator", *DEVELOPMENT_PACKAGES})
