"""The claims desk's side of the tests: staff sign-in on the local pool, claims filed and uploaded as a
claimant does, and problem+json answers read."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import requests

from helpers import documents
from helpers.claims import fresh_policy, lodging_claim, upload
from helpers.devserver import RunningStack

# `desk("GET", "/claims/…")`: a desk route called with a claims handler's token (the desk tests' fixture)
Desk = Callable[..., requests.Response]


def sign_in(stack: RunningStack, username: str, password: str, *, token: str = "IdToken") -> str:
    got = stack.client("cognito-idp").initiate_auth(
        ClientId=stack.names["StaffUserPoolClient"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": password},
    )
    return str(got["AuthenticationResult"][token])


def file_claim(stack: RunningStack, **overrides: Any) -> dict[str, Any]:
    """A lodging claim filed as the site's form files it; its answer (number, token, upload forms)."""
    body = lodging_claim(**{"policy_number": fresh_policy(), **overrides})
    filed = requests.post(f"{stack.base_url}/api/v1/claims", json=body, timeout=15)
    assert filed.status_code == 201, filed.text[:500]
    return dict(filed.json())


def upload_all(stack: RunningStack, filed: dict[str, Any]) -> dict[str, Any]:
    """Upload a real PDF to every form of the claim and wait for the validator; the claim's status then."""
    for doc in filed["documents"]:
        sent = upload(doc["upload"], documents.pdf())
        assert sent.status_code in (200, 204), sent.text[:300]
    deadline = time.monotonic() + 20
    while True:
        status = requests.get(
            f"{stack.base_url}/api/v1/claims/{filed['claim_id']}",
            headers={"X-Claim-Token": filed["access_token"]}, timeout=10,
        ).json()
        if status["status"] == "documents_received" or time.monotonic() > deadline:
            return dict(status)
        time.sleep(0.2)


def problem(response: requests.Response) -> dict[str, Any]:
    assert response.headers["Content-Type"].startswith("application/problem+json"), response.text[:300]
    return dict(json.loads(response.text))


def desk_claim(desk: Desk, claim_id: str) -> dict[str, Any]:
    """The claim as the desk reads it."""
    got = desk("GET", f"/claims/{claim_id}")
    assert got.status_code == 200, got.text[:300]
    return dict(got.json())


def desk_act(desk: Desk, claim_id: str, action: str, **body: Any) -> requests.Response:
    """A desk action on the claim (decision, payment, document-requests), on the revision it has now unless
    the body names one."""
    if "revision" not in body:
        body["revision"] = desk_claim(desk, claim_id)["revision"]
    return desk("POST", f"/claims/{claim_id}/{action}", json=body)


def claim_status(stack: RunningStack, filed: dict[str, Any]) -> dict[str, Any]:
    """The claim's status page as its claimant reads it, with the access token filing gave."""
    got = requests.get(f"{stack.base_url}/api/v1/claims/{filed['claim_id']}",
                       headers={"X-Claim-Token": filed["access_token"]}, timeout=10)
    assert got.status_code == 200, got.text[:300]
    return dict(got.json())
