"""Claim requests as the site's form sends them, and uploads as the browser makes them."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import requests

from api.claims_handler import lambda_handler
from helpers import documents
from helpers.events import ApiResponse, call

# Personal data the tests send and then look for in every log line.
NAME = "山田花子"
PHONE = "090-1234-5678"
EMAIL = "hanako.yamada@example.jp"
ADDRESS = "東京都千代田区千代田1-1-1"
POLICY = "AM-20250401-778899"
FILE_NAMES = ("警告書_山田花子.pdf", "ホテル領収書_山田.pdf")
PERSONAL = (NAME, PHONE, EMAIL, ADDRESS, POLICY, *FILE_NAMES, "山田")

PDF = documents.pdf()
PNG = documents.png()
JPEG = documents.jpeg()
HTML = documents.HTML


def fresh_policy() -> str:
    """A policy number no other claim in the run used: its ledger starts empty."""
    return f"AM-TEST-{uuid.uuid4().hex[:12].upper()}"


def lodging_claim(**overrides: Any) -> dict[str, Any]:
    """An and ME lodging claim: a warning 10 days ago, cover from well before, one 20-night stay."""
    warned = date.today() - timedelta(days=10)
    body: dict[str, Any] = {
        "product_id": "and-me",
        "benefit_id": "lodging",
        "policy_number": POLICY,
        "coverage_start": (warned - timedelta(days=200)).isoformat(),
        "trigger": {"type": "police_warning", "date": warned.isoformat()},
        "expenses": [
            {"kind": "lodging", "date": (warned + timedelta(days=1)).isoformat(), "amount": 240000, "nights": 20,
             "item": "room-charge"},
        ],
        "facts": {"lodging_is_licensed_in_japan": True, "case_reported_before_cover": "none"},
        "contact": {"name": NAME, "phone": PHONE, "email": EMAIL, "address": ADDRESS},
        "documents": [
            {"kind": "police_warning", "file_name": FILE_NAMES[0], "content_type": "application/pdf", "size": len(PDF)},
            {"kind": "receipt", "file_name": FILE_NAMES[1], "content_type": "application/pdf", "size": len(PDF)},
        ],
    }
    body.update(overrides)
    return body


def post_claim(body: dict[str, Any], key: str | None = None) -> ApiResponse:
    headers = {"Idempotency-Key": key} if key else None
    return call(lambda_handler, "POST", "/api/v1/claims", body=body, headers=headers)


def get_status(claim_id: str, token: str | None) -> ApiResponse:
    headers = {"X-Claim-Token": token} if token is not None else None
    return call(lambda_handler, "GET", f"/api/v1/claims/{claim_id}", headers=headers)


def new_form(claim_id: str, token: str, body: dict[str, Any]) -> ApiResponse:
    return call(
        lambda_handler, "POST", f"/api/v1/claims/{claim_id}/documents", body=body, headers={"X-Claim-Token": token}
    )


def upload(form: dict[str, Any], content: bytes, file_name: str = "upload.bin") -> requests.Response:
    """POST the file with the presigned form over HTTP, as the browser does (fields first, file last)."""
    return requests.post(form["url"], data=form["fields"], files={"file": (file_name, content)}, timeout=10)


def open_status(page: Any) -> None:
    """After a claim was filed on the claim form (its estimate stays on screen), open its status page."""
    page.locator("form.claim-form .claim-result a", has_text="請求状況を見る").click(timeout=30_000)
    page.wait_for_url("**/claims/status/**", timeout=20_000)
