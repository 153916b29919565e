"""What each function ships: `sam build` as a deploy runs it, then each package zipped as `sam deploy`
uploads it, with the largest parts of it.

Before (the same template built by SAM's pip builder with every dependency and all of functions/):
24 MB zipped and 43 MB unpacked for every function.
"""

from __future__ import annotations

import io
import os
import subprocess
import tempfile
import zipfile
from pathlib import Path

from deploy.environments import SAM
from devserver.template import TEMPLATE_PATH, functions, load_template

ROOT = TEMPLATE_PATH.parents[1]
BEFORE_ZIP_MB, BEFORE_UNPACKED_MB = 24.0, 43.0
# Each package zipped when the functions ran on python3.11 (the same code and dependency versions).
PYTHON_311_ZIP_MB = {"CatalogApiFunction": 6.34, "ClaimsFunction": 6.45, "ApplicationsFunction": 6.45,
                     "DeskFunction": 6.44, "UploadValidatorFunction": 7.52}
LARGEST = 5


def zipped_size(paths: list[Path], base: Path) -> int:
    """Bytes of these files and folders zipped as `sam deploy` uploads a package (deflate, every file)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in paths:
            files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
            for file in files:
                archive.write(file, file.relative_to(base))
    return len(buffer.getvalue())


def run() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        build_dir = Path(tmp) / "build"
        subprocess.run(  # noqa: S603 - the project's own SAM CLI on the project's template
            [str(SAM), "build", "--template-file", str(TEMPLATE_PATH), "--build-dir", str(build_dir)],
            cwd=ROOT, env={**os.environ, "SAM_CLI_TELEMETRY": "0"}, check=True, capture_output=True, timeout=900,
        )
        print(f"{'function':24s} {'zip':>8s} {'vs before':>9s} {'py3.11':>8s} {'unpacked':>9s}  largest parts (zipped)")
        for logical_id in functions(load_template()):
            package = build_dir / logical_id
            parts = {p.name: zipped_size([p], package) for p in package.iterdir() if not p.name.endswith(".dist-info")}
            total = zipped_size([package], package) / 1e6
            unpacked = sum(p.stat().st_size for p in package.rglob("*") if p.is_file()) / 1e6
            largest = ", ".join(
                f"{name} {size / 1e6:.2f}" for name, size in sorted(parts.items(), key=lambda kv: -kv[1])[:LARGEST]
            )
            was = PYTHON_311_ZIP_MB[logical_id]
            print(f"{logical_id:24s} {total:6.2f}MB {total / BEFORE_ZIP_MB:8.2f}x {was:6.2f}MB "
                  f"{unpacked:7.1f}MB  {largest}")
        print(f"before: {BEFORE_ZIP_MB:.0f} MB zipped, {BEFORE_UNPACKED_MB:.0f} MB unpacked, every function; "
              "py3.11: each package on the previous runtime")
