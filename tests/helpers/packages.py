"""Installed distributions laid out as a Lambda package or runtime would see them: a folder of links."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

# Part of the Lambda Python runtime (in /var/runtime), so requirements.txt leaves it out on purpose.
RUNTIME_PROVIDED = ("boto3",)


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
