"""Cold import time and peak memory of each function the SAM template declares, for sizing MemorySize.

Each handler (the template's Handler string) is imported in a fresh interpreter, as a Lambda cold
start does; the figures are the median import time and the peak resident memory after import. On
Lambda, CPU grows with memory (a full vCPU at 1,769 MB), so an import that is CPU-bound here takes
about 1769 / MemorySize times as long there.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from devserver.template import functions, load_template

FUNCTIONS_DIR = Path(__file__).resolve().parents[2] / "functions"
RUNS = 5

# Peak memory from VmHWM: getrusage's ru_maxrss survives exec, so a child of a large parent would
# report the parent's peak instead of its own.
_PROBE = """
import importlib, json, re, sys, time
started = time.perf_counter()
module, _, attr = sys.argv[1].rpartition(".")
getattr(importlib.import_module(module), attr)
elapsed = (time.perf_counter() - started) * 1000
with open("/proc/self/status") as status:
    hwm_kb = int(re.search(r"VmHWM:\\s+(\\d+) kB", status.read()).group(1))
print(json.dumps({"import_ms": elapsed, "peak_mb": hwm_kb / 1024, "boto3": "boto3" in sys.modules}))
"""


def probe(handler: str) -> dict[str, float]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        PYTHONPATH=str(FUNCTIONS_DIR),
        AWS_DEFAULT_REGION="ap-northeast-1",
        CLAIMS_TABLE="claims",
        IDEMPOTENCY_TABLE="idempotency",
        CLAIMS_BUCKET="claims-bucket",
        POWERTOOLS_TRACE_DISABLED="true",
    )
    done = subprocess.run(  # noqa: S603 - our own interpreter and a fixed probe
        [sys.executable, "-c", _PROBE, handler], env=env, capture_output=True, text=True, check=True, timeout=120
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def run() -> None:
    template = load_template()
    memory_default = int(template["Globals"]["Function"].get("MemorySize", 128))
    for logical_id, props in functions(template).items():
        memory = int(props.get("MemorySize", memory_default))
        samples = [probe(str(props["Handler"])) for _ in range(RUNS)]
        import_ms = statistics.median(s["import_ms"] for s in samples)
        peak = max(s["peak_mb"] for s in samples)
        scaled = import_ms * max(1.0, 1769 / memory)
        print(
            f"{logical_id:24s} cold import {import_ms:6.0f} ms here (~{scaled:5.0f} ms at {memory} MB on Lambda), "
            f"peak RSS {peak:5.0f} MB of {memory} MB, boto3 {'yes' if samples[0]['boto3'] else 'no'}"
        )
