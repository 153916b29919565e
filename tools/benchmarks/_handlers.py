"""What the handler benchmarks share: API Gateway events, timing, the p50/p99 line and the cold import."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any


def event(method: str, path: str, body: Any = None, headers: dict[str, str] | None = None) -> dict[str, Any]:
    hdrs = {"Content-Type": "application/json", **(headers or {})}
    return {
        "resource": "/{proxy+}",
        "path": path,
        "httpMethod": method,
        "headers": hdrs,
        "multiValueHeaders": {k: [v] for k, v in hdrs.items()},
        "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "pathParameters": {"proxy": path.lstrip("/")},
        "requestContext": {"stage": "prod", "requestId": str(uuid.uuid4()), "httpMethod": method, "path": path},
        "body": json.dumps(body, ensure_ascii=False) if body is not None else None,
        "isBase64Encoded": False,
    }


def figures(label: str, samples: list[float], width: int = 44) -> None:
    ms = sorted(s * 1000 for s in samples)
    p99 = ms[min(len(ms) - 1, round(len(ms) * 0.99) - 1)]
    print(f"{label:<{width}} n={len(ms):<4} p50 {statistics.median(ms):6.2f} ms   p99 {p99:6.2f} ms")


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def cold_import(module: str) -> float:
    """Seconds to import `module` in a fresh interpreter that sees only functions/."""
    functions = Path(__file__).resolve().parents[2] / "functions"
    code = f"import time; t=time.perf_counter(); import {module}; print(time.perf_counter()-t)"
    env = {**os.environ, "PYTHONPATH": str(functions)}
    out = subprocess.run(  # noqa: S603 - this interpreter, a fixed command line
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True, cwd=functions
    )
    return float(out.stdout.strip().splitlines()[-1])
