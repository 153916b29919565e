"""What a Lambda package holds and needs: installed distributions laid out as a package or the runtime
would see them (a folder of links), and the modules a handler's imports reach."""

from __future__ import annotations

import ast
import re
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

# Part of the Lambda Python runtime (in /var/runtime), so requirements.txt leaves it out on purpose.
RUNTIME_PROVIDED = ("boto3",)


def locked_requirements(path: Path) -> dict[Requirement, list[str]]:
    """The pins of a requirements file as `make lock` writes it (`name==version ; marker \\` over hash
    lines), each with its hashes."""
    pins: dict[Requirement, list[str]] = {}
    hashes: list[str] = []  # the header's, before the first pin: it has none
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith((" ", "#", "-")):
            hashes = pins.setdefault(Requirement(line.removesuffix("\\").strip()), [])
        else:
            hashes.extend(re.findall(r"--hash=(sha256:[0-9a-f]{64})", line))
    return pins


def locked_versions(path: Path) -> dict[str, str]:
    """Each pinned distribution's normalized name and its version."""
    return {canonicalize_name(pin.name): str(pin.specifier).removeprefix("==") for pin in locked_requirements(path)}


def distribution_closure(names: list[str]) -> set[str]:
    """The distributions the named requirements pull in (the runtime's markers, no extras)."""
    seen: set[str] = set()
    todo = [Requirement(n) for n in names]
    while todo:
        req = todo.pop()
        name = canonicalize_name(req.name)
        if name in seen:
            continue
        seen.add(name)
        for line in metadata.distribution(req.name).requires or []:
            dep = Requirement(line)
            if dep.marker is None or dep.marker.evaluate({"extra": ""}):
                todo.append(dep)
    return seen


def linked_distributions(names: list[str], into: Path) -> Path:
    """A folder holding, as links, only the top-level modules (and metadata) of the named closure."""
    into.mkdir(parents=True, exist_ok=True)
    for dist_name in distribution_closure(names):
        dist = metadata.distribution(dist_name)
        for file in dist.files or []:
            top = file.parts[0]
            # Metadata folders too: pip installs them beside the code, and `holidays` reads its own version.
            if top.endswith(".data") or top in ("..", "__pycache__"):
                continue
            source = Path(str(dist.locate_file(top)))
            link = into / top
            if source.exists() and not link.exists():
                link.symlink_to(source, target_is_directory=source.is_dir())
    return into


def _imports(source: Path, module: str) -> set[str]:
    """The absolute names a module's import statements name, at any depth (lazy imports too)."""
    package = module if source.name == "__init__.py" else module.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def module_source(root: Path, module: str) -> Path | None:
    path = root.joinpath(*module.split("."))
    for candidate in (path / "__init__.py", path.with_suffix(".py")):
        if candidate.is_file():
            return candidate
    return None


def import_closure(root: Path, start: set[str], ours: set[str]) -> tuple[set[str], set[str]]:
    """From the `start` modules, every module of the `ours` top-level packages their imports reach
    (found under `root`), and the other top-level names they import."""
    reached: set[str] = set()
    others: set[str] = set()
    todo = list(start)
    while todo:
        module = todo.pop()
        if module in reached:
            continue
        source = module_source(root, module)
        if source is None:  # a name imported from a module (a function, a class), not a module
            continue
        reached.add(module)
        for name in _imports(source, module):
            parts = name.split(".")
            if parts[0] in ours:
                todo.extend(".".join(parts[:i]) for i in range(1, len(parts) + 1))
            elif name:
                others.add(parts[0])
    return reached, others
