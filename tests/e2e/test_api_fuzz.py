"""The live local API fuzzed from its OpenAPI document with every schemathesis check.

`schemathesis run --checks all` against the devserver (as API Gateway hands requests to the
functions): its four phases (the document's examples, boundary values, fuzzing, and stateful
sequences that follow the links it infers between operations), at most 200 cases per operation,
positive and negative. Every answer must be documented (status, content type, body schema), no
5xx, errors as problem+json (tests/e2e/api_fuzz_checks.py), a method a path does not take a 405
naming those it does. The settings are in tests/e2e/schemathesis.toml; the seed is fixed, so a
run is repeatable.

A claim is filed and an application taken first, and their numbers and secrets are given to the
routes that read them, so that their fuzzing reaches past the 404 a made-up number gets.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from helpers.applications import application
from helpers.claims import lodging_claim
from helpers.desk import sign_in
from helpers.devserver import ROOT, RunningStack

OPENAPI = ROOT / "functions" / "api" / "openapi.json"
HERE = Path(__file__).parent
CONFIG = HERE / "schemathesis.toml"
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
SEED = "20261205"
PHASES = ("Examples", "Coverage", "Fuzzing", "Stateful")


def test_given_the_served_openapi_document_then_it_is_the_committed_one_being_fuzzed(stack: RunningStack) -> None:
    served = requests.get(f"{stack.base_url}/api/v1/openapi.json", timeout=10)
    assert served.status_code == 200, served.text[:500]
    assert served.json() == json.loads(OPENAPI.read_text(encoding="utf-8"))
    assert len(served.json()["paths"]) >= 9  # the catalog's five, the claims' three, the applications' two


@pytest.mark.slow
def test_given_every_check_and_phase_when_the_live_api_is_fuzzed_then_nothing_fails(
    stack: RunningStack, tmp_path: Path
) -> None:
    filed = requests.post(f"{stack.base_url}/api/v1/claims", json=lodging_claim(), timeout=15)
    assert filed.status_code == 201, filed.text[:500]
    taken = requests.post(
        f"{stack.base_url}/api/v1/applications", json=application(),
        headers={"Idempotency-Key": "fuzz-seed-application-0001"}, timeout=15,
    )
    assert taken.status_code == 201, taken.text[:500]
    env = {
        **os.environ,
        # the hooks module with this API's own checks, and the functions whose rule codes it reads
        "PYTHONPATH": os.pathsep.join([str(HERE), str(ROOT / "functions")]),
        "FUZZ_CLAIM_ID": filed.json()["claim_id"],
        "FUZZ_CLAIM_TOKEN": filed.json()["access_token"],
        "FUZZ_APPLICATION_NUMBER": taken.json()["application_number"],
        "FUZZ_APPLICATION_SECRET": taken.json()["access_secret"],
        "FUZZ_STAFF_TOKEN": sign_in(stack, stack.desk_user, stack.desk_password),
    }
    run = subprocess.run(
        [
            str(SCHEMATHESIS), "--config-file", str(CONFIG), "run", str(OPENAPI),
            "--url", stack.base_url, "--checks", "all", "--seed", SEED,
            "--no-color", "--output-truncate", "false",
        ],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=1800, check=False,
    )
    out = run.stdout + run.stderr
    (tmp_path / "schemathesis.txt").write_text(out, encoding="utf-8")
    summary = out[out.rfind("SUMMARY"):]
    assert run.returncode == 0, out[-20000:]
    for phase in PHASES:  # each phase ran and passed (a phase with nothing to run would be skipped)
        assert f"✅ {phase}" in summary, summary
    generated = re.search(r"(\d+) generated", summary)
    assert generated and int(generated.group(1)) >= 3000, summary
    print(summary)
