"""What a deploy ships, as stack tags: the runtime's Python, each package's locked version and the commit.

`sam build` writes each function's package-versions.txt (functions/Makefile): `# python3.13.x`, then
`name==version` per distribution installed from the lock. The stack carries them as tags (CloudFormation
passes stack tags on to the functions), so what ran on the day a claim was decided can be read off the
stack and its functions.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

VERSIONS_FILE = "package-versions.txt"
PACKAGE_TAG = "package:"


class MixedVersions(ValueError):
    """Two functions of one build ship different versions of the same thing: the lock was not used."""


def shipped_versions(build_dir: Path) -> dict[str, str]:
    """`python` and every shipped distribution, each with its one version across the built functions."""
    versions: dict[str, str] = {}
    files = sorted(build_dir.glob(f"*/{VERSIONS_FILE}"))
    if not files:
        raise FileNotFoundError(f"no {VERSIONS_FILE} under {build_dir}: run sam build first")
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("# python"):
                name, version = "python", line.removeprefix("# python")
            else:
                dist, _, version = line.partition("==")
                name = PACKAGE_TAG + dist
            if versions.setdefault(name, version) != version:
                raise MixedVersions(f"{name}: {versions[name]} and {version} ({path.parent.name})")
    return versions


def source_commit(root: Path) -> str:
    """The commit deployed, marked when the work tree has changes the commit does not hold."""
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True,  # noqa: S607
                          check=True).stdout.strip()
    changed = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root,  # noqa: S607
                             capture_output=True, text=True, check=True).stdout.strip()
    return f"{head}+changes" if changed else head


def tag_args(tags: dict[str, str]) -> list[str]:
    """sam deploy's --tags values, one argument each (it replaces samconfig.toml's tags whole)."""
    return [f"{key}={value}" for key, value in tags.items()]
