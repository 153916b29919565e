"""Cold start and warm quote of the catalog function, side by side with the same trivial quote endpoint on
FastAPI behind Mangum and on a bare Powertools resolver with validation (benchmarks/baselines).

Each figure comes from a fresh interpreter (`_start_child.py`) that sees only the subject's own code and the
installed packages, with its bytecode already written. Instructions are counted by valgrind's callgrind for the
whole process, interpreter start included, and repeat to the instruction whatever else the machine is doing;
wall times are medians, and noisy. Cold: the process imports the handler, its catalog loaded, then answers a
quote. Warm: the instructions of 100 more quotes, per quote, and the median wall time of 2,000, each quote for
another application date (100 in turn), so nothing a repeated request could reuse is measured.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from benchmarks._handlers import event

ROOT = Path(__file__).resolve().parents[2]
CHILD = Path(__file__).with_name("_start_child.py")
WALL_RUNS = 11
WARM_WALL_REQUESTS = 2_000
WARM_COUNTED_REQUESTS = 100

# The measurements before this work, in the same units (instructions; cold in millions, warm in
# thousands per quote): the catalog function, FastAPI + Mangum, the bare resolver.
BEFORE_COLD_M = {"ours": 1_371, "fastapi": 1_382, "bare": 809}
BEFORE_WARM_K = {"ours": 1_132, "fastapi": 1_484, "bare": 565}
# The same subjects on python3.11, the functions' runtime before python3.13 (the same code, the same callgrind
# count, measured just before the move): cold import and first quote in millions, warm quote in thousands.
PYTHON_311_M = {"ours": (892, 982.7), "fastapi": (1_641, 1_701.4), "bare": (831, 837.3)}
PYTHON_311_EMPTY_M = 91
PYTHON_311_WARM_K = {"ours": 1_072, "fastapi": 1_472, "bare": 555}
PYTHON_311_ROUTES_M = {"quote": 983, "refund": 979, "eligibility": 976, "claims check": 1_081, "products": 937}
# Targets: the catalog function's figure over each baseline's.
TARGET_COLD = {"fastapi": 0.60, "bare": 1.10}
TARGET_WARM = {"fastapi": 0.50, "bare": 1.30}


@dataclass(frozen=True)
class Subject:
    key: str
    label: str
    module: str
    source_root: Path


SUBJECTS = [
    Subject("ours", "catalog function", "api.handler", ROOT / "functions"),
    Subject("fastapi", "FastAPI + Mangum", "benchmarks.baselines.fastapi_quote", ROOT / "tools"),
    Subject("bare", "bare Powertools resolver", "benchmarks.baselines.powertools_quote", ROOT / "tools"),
]
OURS = SUBJECTS[0]

QUOTE = {"product_id": "watashi-no-omamori", "plan_id": "A", "application_date": "2025-07-20"}
# The warm quotes: わたしのお守り plan A applied for on 100 days in turn, each priced from the published tables.
WARM_DATES = [(date(2025, 5, 1) + timedelta(days=i)).isoformat() for i in range(100)]
# The catalog function's other routes, each the first request of its own cold start.
ROUTES: dict[str, tuple[str, str, dict[str, Any] | None]] = {
    "quote": ("POST", "/api/v1/quotes", QUOTE),
    "refund": ("POST", "/api/v1/refunds", {"product_id": "stalker-rider", "base_refund": 500, "unexpired_months": 7}),
    "eligibility": ("POST", "/api/v1/eligibility", {
        "product_id": "watashi-no-omamori", "plan_id": "A", "application_date": "2025-04-10",
        "facts": {"jlsa_member": True, "occupation": "general", "birth_date": "1980-05-01"}}),
    "claims check": ("POST", "/api/v1/claims/check", {
        "product_id": "and-me", "benefit_id": "countermeasures", "coverage_start": "2025-05-01",
        "trigger_date": "2025-08-31", "claim_date": "2026-03-05",
        "expenses": [{"kind": "security_equipment", "date": "2026-02-28", "amount": 40000, "item": "security-camera"}],
        "facts": {"vendor_is_alsok": True, "case_reported_before_cover": "none"}}),
    "products": ("GET", "/api/v1/products", None),
}

_COLLECTED = re.compile(r"Collected : (\d+)")


def _callgrind() -> list[str]:
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        raise SystemExit("valgrind is needed (apt-get install valgrind): it counts the instructions")
    return [valgrind, "--tool=callgrind", "--callgrind-out-file=/dev/null"]


def _env(subject: Subject) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    # A fixed hash seed: set and dict orders, and so the instructions, repeat from run to run.
    return {**env, "PYTHONPATH": str(subject.source_root), "PYTHONHASHSEED": "0"}


def _python(subject: Subject, arguments: list[str], stdin: str | None = None, count: bool = False) -> tuple[str, int]:
    """This interpreter run fresh on `arguments`, seeing the subject's code: what it printed, and the
    instructions it ran when counted under callgrind (else 0)."""
    command = [*(_callgrind() if count else []), sys.executable, *arguments]
    done = subprocess.run(  # noqa: S603 - this interpreter (or valgrind) on the benchmark's own scripts
        command, input=stdin, capture_output=True, text=True,
        env=_env(subject), cwd=subject.source_root, check=True, timeout=900,
    )
    if not count:
        return done.stdout, 0
    found = _COLLECTED.search(done.stderr)
    if found is None:
        raise SystemExit(f"callgrind printed no count for {subject.label}: {done.stderr[-500:]}")
    return done.stdout, int(found.group(1))


def _child(subject: Subject, route: str, requests: int, warm: int = 0, count: bool = False) -> dict[str, Any]:
    """One fresh interpreter: its printed figures, and `instructions` when counted under callgrind."""
    method, path, body = ROUTES[route]
    bodies = [body] + ([{**QUOTE, "application_date": day} for day in WARM_DATES] if route == "quote" else [])
    events = [event(method, path, b) for b in bodies]
    stdout, instructions = _python(
        subject, [str(CHILD), subject.module, str(requests), str(warm)], stdin=json.dumps(events), count=count
    )
    out: dict[str, Any] = json.loads(stdout.strip().splitlines()[-1])
    if "status" in out and out["status"] != 200:
        raise SystemExit(f"{subject.label} answered {route} with {out['status']}: {out['body'][:300]}")
    if count:
        out["instructions"] = instructions
    return out


# The quote itself, without any framework: what the catalog function's handler computes for each request.
_DOMAIN_QUOTES = """
import sys
from datetime import date
from catalog import get_catalog
from domain.quotes import quote
product = get_catalog().product("watashi-no-omamori")
days = [date.fromisoformat(d) for d in sys.argv[2:]]
quote(product, plan_id="A", application_date=date(2025, 7, 20))
for i in range(int(sys.argv[1])):
    quote(product, plan_id="A", application_date=days[i % len(days)])
"""


def _domain_quotes(count: int) -> int:
    """Instructions of a fresh interpreter computing `count` quotes after the first, with no handler."""
    return _python(OURS, ["-c", _DOMAIN_QUOTES, str(count), *WARM_DATES], count=True)[1]


def _empty_interpreter() -> int:
    return _python(OURS, ["-c", "pass"], count=True)[1]


def _parallel(jobs: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        futures = {name: pool.submit(job) for name, job in jobs.items()}
        return {name: future.result() for name, future in futures.items()}


def _ratio_line(
    label: str, figures: dict[str, float], targets: dict[str, float], before: dict[str, int] | None = None
) -> str:
    parts = []
    for key, target in targets.items():
        ratio = figures["ours"] / figures[key]
        verdict = "meets" if ratio <= target else "MISSES"
        was = f"; before {before['ours'] / before[key]:.2f}x" if before else ""
        parts.append(f"vs {_label(key)} {ratio:.2f}x (target <= {target:.2f}x, {verdict}{was})")
    return f"{label}: " + "; ".join(parts)


def _label(key: str) -> str:
    return next(s.label for s in SUBJECTS if s.key == key)


def counted() -> dict[str, Any]:
    """Instructions (callgrind) of every subject's cold import, first quote and warm quotes, and of the
    catalog function's first request on each of its routes."""
    jobs: dict[str, Callable[[], Any]] = {
        "empty": _empty_interpreter,
        "domain first": partial(_domain_quotes, 0),
        "domain warm": partial(_domain_quotes, WARM_COUNTED_REQUESTS),
    }
    for s in SUBJECTS:
        jobs[f"{s.key} import"] = partial(_child, s, "quote", -1, count=True)
        jobs[f"{s.key} first"] = partial(_child, s, "quote", 0, count=True)
        jobs[f"{s.key} warm"] = partial(_child, s, "quote", WARM_COUNTED_REQUESTS, count=True)
    for route in ROUTES:
        if route != "quote":
            jobs[f"route {route}"] = partial(_child, OURS, route, 0, count=True)
    return _parallel(jobs)


def timed() -> dict[str, dict[str, float]]:
    """Median wall times over fresh interpreters, one after another (a parallel run would time the others)."""
    out = {}
    for s in SUBJECTS:
        runs = [_child(s, "quote", 0, warm=WARM_WALL_REQUESTS) for _ in range(WALL_RUNS)]
        out[s.key] = {k: statistics.median(r[k] for r in runs) for k in ("import_s", "first_s", "warm_s")}
    return out


def run() -> None:
    _callgrind()
    for s in SUBJECTS:  # write each subject's bytecode (and the catalog snapshot) before anything is measured
        ready = _child(s, "quote", 0)
        if s is OURS and ready["boto3"]:
            raise SystemExit("the catalog function imports boto3: nothing it serves talks to AWS")
    n = counted()
    wall = timed()
    cold = {s.key: n[f"{s.key} import"]["instructions"] for s in SUBJECTS}
    first = {s.key: n[f"{s.key} first"]["instructions"] for s in SUBJECTS}
    warm = {s.key: (n[f"{s.key} warm"]["instructions"] - first[s.key]) / WARM_COUNTED_REQUESTS for s in SUBJECTS}

    print(f"{'':26s} {'cold: import':>13s} {'+ 1st quote':>12s} {'warm quote':>11s}   "
          f"{'import':>9s} {'1st quote':>10s} {'warm quote':>11s}")
    print(f"{'':26s} {'instructions (callgrind, whole process)':>38s}   {f'wall, median of {WALL_RUNS} runs':>32s}")
    for s in SUBJECTS:
        w = wall[s.key]
        print(f"{s.label:26s} {cold[s.key] / 1e6:11,.0f}M {(first[s.key] - cold[s.key]) / 1e6:+10,.1f}M "
              f"{warm[s.key] / 1e3:9,.0f}k   {w['import_s'] * 1e3:7.1f}ms {w['first_s'] * 1e3:8.2f}ms "
              f"{w['warm_s'] * 1e6:9.1f}µs")
    print(f"{'(empty interpreter)':26s} {n['empty'] / 1e6:11,.0f}M")
    print(_ratio_line("cold import, instructions", cold, TARGET_COLD, BEFORE_COLD_M))
    print(_ratio_line("cold import + 1st quote, instructions", first, TARGET_COLD))
    print(_ratio_line("warm quote, instructions", warm, TARGET_WARM, BEFORE_WARM_K))
    domain = (n["domain warm"] - n["domain first"]) / WARM_COUNTED_REQUESTS
    handling = warm["ours"] - domain
    print(f"warm quote of the catalog function, split: the quote itself (domain.quotes, no framework) "
          f"{domain / 1e3:,.0f}k; the handling around it (intake, resolver, validation, serialization) "
          f"{handling / 1e3:,.0f}k = {handling / warm['bare']:.2f}x the bare resolver's whole quote, "
          f"{handling / warm['fastapi']:.2f}x FastAPI + Mangum's")
    print(_ratio_line("cold import, wall", {k: v["import_s"] for k, v in wall.items()}, TARGET_COLD))
    print(_ratio_line("warm quote, wall", {k: v["warm_s"] for k, v in wall.items()}, TARGET_WARM))
    print("catalog function, a cold start answering each route (import + first answer, instructions):")
    for route in ROUTES:
        total = first["ours"] if route == "quote" else n[f"route {route}"]["instructions"]
        print(f"  {route:14s} {total / 1e6:8,.0f}M  ({total / first['bare']:.2f}x the bare resolver's first quote; "
              f"python3.11 {PYTHON_311_ROUTES_M[route]:,}M, {total / 1e6 / PYTHON_311_ROUTES_M[route]:.2f}x)")
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    print(f"{version} against python3.11 (instructions: cold import, cold import + 1st quote, warm quote):")
    for s in SUBJECTS:
        (was_cold, was_first), was_warm = PYTHON_311_M[s.key], PYTHON_311_WARM_K[s.key]
        print(f"  {s.label:26s} {was_cold:6,}M → {cold[s.key] / 1e6:6,.0f}M ({cold[s.key] / 1e6 / was_cold:.2f}x)  "
              f"{was_first:8,.1f}M → {first[s.key] / 1e6:8,.1f}M ({first[s.key] / 1e6 / was_first:.2f}x)  "
              f"{was_warm:6,}k → {warm[s.key] / 1e3:6,.0f}k ({warm[s.key] / 1e3 / was_warm:.2f}x)")
    print(f"  {'(empty interpreter)':26s} {PYTHON_311_EMPTY_M:6,}M → {n['empty'] / 1e6:6,.0f}M "
          f"({n['empty'] / 1e6 / PYTHON_311_EMPTY_M:.2f}x)")
