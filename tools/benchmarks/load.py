"""A bounded load run against the local stack: many users quoting, pre-checking and filing claims at once.

Starts `python -m devserver` on a free loopback port (its own process, as `make run`), drives it with
LOAD_USERS threads (default 50) for LOAD_SECONDS (default 30) over keep-alive connections, then
prints requests per second, p50/p99 latency per operation, errors, and whether every claim the API
acknowledged (201) is in the claims table. Figures, not a pass/fail test; exits non-zero when a claim
is missing or any request failed.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import boto3

FUNCTIONS_DIR = Path(__file__).resolve().parents[2] / "functions"

# Share of each operation in a user's requests (a site mostly quotes; a few file claims).
MIX: list[tuple[str, int]] = [("quote", 50), ("eligibility", 30), ("claim", 20)]
EXPECTED = {"quote": 200, "eligibility": 200, "claim": 201}


def _quote_body(rng: random.Random) -> dict[str, Any]:
    return {
        "product_id": "watashi-no-omamori",
        "plan_id": rng.choice("ABCD"),
        "application_date": (date(2025, 4, 21) + timedelta(days=rng.randrange(300))).isoformat(),
    }


def _eligibility_body(rng: random.Random) -> dict[str, Any]:
    return {
        "product_id": "and-me",
        "application_date": date.today().isoformat(),
        "facts": {"harm_is_spousal_dv": rng.random() < 0.3, "guard_limit_reached": False, "police_consultations": []},
    }


def _claim_body(rng: random.Random) -> dict[str, Any]:
    warned = date.today() - timedelta(days=rng.randrange(1, 60))
    return {
        "product_id": "and-me",
        "benefit_id": "lodging",
        "policy_number": f"AM-LOAD-{rng.randrange(10**6):06d}",
        "coverage_start": (warned - timedelta(days=200)).isoformat(),
        "trigger": {"type": "police_warning", "date": warned.isoformat()},
        "expenses": [
            {"kind": "lodging", "date": (warned + timedelta(days=1)).isoformat(), "amount": 12000 * 5,
             "nights": 5, "item": "room-charge"},
        ],
        "facts": {"lodging_is_licensed_in_japan": True, "case_reported_before_cover": "none"},
        "contact": {"name": "負荷試験", "phone": "090-0000-0000", "email": "load@example.jp"},
        "documents": [
            {"kind": "police_warning", "file_name": "w.pdf", "content_type": "application/pdf", "size": 1000},
            {"kind": "receipt", "file_name": "r.pdf", "content_type": "application/pdf", "size": 1000},
        ],
    }


REQUESTS = {
    "quote": ("/api/v1/quotes", _quote_body),
    "eligibility": ("/api/v1/eligibility", _eligibility_body),
    "claim": ("/api/v1/claims", _claim_body),
}


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    error_samples: list[str] = field(default_factory=list)
    claims_created: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


@dataclass
class Devserver:
    base_url: str
    aws_endpoint: str
    claims_table: str
    process: subprocess.Popen[str]


def start_devserver(site_dir: Path) -> Devserver:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env["PYTHONPATH"] = os.pathsep.join(str(FUNCTIONS_DIR.parent / d) for d in ("functions", "website", "tools"))
    env["PYTHONUNBUFFERED"] = "1"
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "devserver", "--port", "0", "--quiet", "--site-dir", str(site_dir)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    base = aws = table = ""
    while not (base and aws):
        line = process.stdout.readline()
        if not line:
            raise SystemExit(f"devserver did not start (exit {process.wait()})")
        if m := re.search(r"on (http://\S+?)/?\s", line):
            base = m.group(1)
        if m := re.search(r"Local AWS \(moto\): (http://\S+).*ClaimsTable=([^,\s]+)", line):
            aws, table = m.group(1), m.group(2)
    # The functions log to stdout: keep reading it, or a full pipe would stall the server.
    threading.Thread(target=lambda: [None for _ in process.stdout or []], daemon=True).start()
    return Devserver(base, aws, table, process)


def user(server: Devserver, deadline: float, seed: int, tally: Tally) -> None:
    rng = random.Random(seed)  # noqa: S311 - repeatable request mix, not security
    names = [n for n, _ in MIX]
    weights = [w for _, w in MIX]
    host = urlsplit(server.base_url)
    conn = http.client.HTTPConnection(host.hostname or "127.0.0.1", host.port, timeout=30)
    while time.monotonic() < deadline:
        name = rng.choices(names, weights)[0]
        path, make = REQUESTS[name]
        body = json.dumps(make(rng), ensure_ascii=False).encode()
        started = time.perf_counter()
        try:
            conn.request("POST", path, body=body, headers={"Content-Type": "application/json"})
            response = conn.getresponse()
            payload = response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as exc:
            conn.close()
            conn = http.client.HTTPConnection(host.hostname or "127.0.0.1", host.port, timeout=30)
            status, payload = 0, str(exc).encode()
        elapsed = (time.perf_counter() - started) * 1000
        with tally.lock:
            tally.latencies[name].append(elapsed)
            if status != EXPECTED[name]:
                tally.errors[name] += 1
                if len(tally.error_samples) < 5:
                    tally.error_samples.append(f"{name} {status} {payload[:200]!r}")
            elif name == "claim":
                tally.claims_created += 1
    conn.close()


def count_claims(server: Devserver) -> int:
    client: Any = boto3.client(
        "dynamodb",
        endpoint_url=server.aws_endpoint,
        region_name="ap-northeast-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",  # noqa: S106 - moto's fake credentials
    )
    total = 0
    for page in client.get_paginator("scan").paginate(TableName=server.claims_table, Select="COUNT"):
        total += int(page["Count"])
    return total


def _pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run(users: int | None = None, seconds: float | None = None) -> None:
    users = users or int(os.environ.get("LOAD_USERS", "50"))
    seconds = seconds or float(os.environ.get("LOAD_SECONDS", "30"))
    with tempfile.TemporaryDirectory() as site:
        (Path(site) / "index.html").write_text("<!doctype html><title>load</title>", encoding="utf-8")
        server = start_devserver(Path(site))
        try:
            tally = Tally()
            deadline = time.monotonic() + seconds
            threads = [
                threading.Thread(target=user, args=(server, deadline, seed, tally), daemon=True)
                for seed in range(users)
            ]
            started = time.monotonic()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            wall = time.monotonic() - started
            stored = count_claims(server)
        finally:
            server.process.send_signal(signal.SIGINT)
            try:
                server.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.process.kill()

    everything = [v for values in tally.latencies.values() for v in values]
    errors = sum(tally.errors.values())
    print(f"load: {users} users for {seconds:.0f} s on loopback "
          "(one devserver process, one warm instance per function)")
    print(f"  {len(everything)} requests in {wall:.1f} s = {len(everything) / wall:.1f} req/s; "
          f"p50 {statistics.median(everything) if everything else 0:.1f} ms, p99 {_pct(everything, 0.99):.1f} ms; "
          f"errors {errors}")
    for name, _ in MIX:
        values = tally.latencies[name]
        print(f"  {name:12s} {len(values):6d} req  p50 {_pct(values, 0.5):7.1f} ms  p99 {_pct(values, 0.99):7.1f} ms  "
              f"errors {tally.errors[name]}")
    for sample in tally.error_samples:
        print(f"  error sample: {sample}")
    print(f"  claims acknowledged (201): {tally.claims_created}; claims in the table: {stored}; "
          f"{'none lost' if stored == tally.claims_created else 'MISMATCH'}")
    if errors or stored != tally.claims_created:
        raise SystemExit(1)


if __name__ == "__main__":
    run()
