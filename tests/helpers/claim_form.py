"""The claim form on a product page, filled in as a claimant does on a phone."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from helpers.claims import PDF, fresh_policy
from helpers.devserver import RunningStack

WARNED = date.today() - timedelta(days=30)  # every stay below has begun by today
# The claimant the form is filled in for (tests look for them in logs, where they must never be).
CLAIMANT_NAME, CLAIMANT_PHONE = "山田花子", "090-1234-5678"

File = bytes | dict[str, Any]


def _picked(file: File, name: str) -> dict[str, Any]:
    """A file as the phone's file picker hands it over: bytes become a PDF of that name."""
    return file if isinstance(file, dict) else {"name": name, "mimeType": "application/pdf", "buffer": file}


def fill_lodging_claim(
    page: Any, warning_file: File, *, receipt: File = PDF, policy: str | None = None, nights: int = 20,
    first_night: int = 1,
) -> None:
    """An and ME lodging claim at 12,000 yen a night, on a policy of its own unless one is given."""
    warned = WARNED
    form = page.locator("form.claim-form")
    form.scroll_into_view_if_needed()
    form.locator(".claim-benefit").select_option("lodging")
    fs = form.locator(".claim-benefit-fields[data-benefit=lodging]")
    fs.locator("[name=trigger_type]").select_option("police_warning")
    fs.locator("[name=trigger_date]").fill(warned.isoformat())
    fs.locator("[data-fact=lodging_is_licensed_in_japan] input[value=true]").check()
    fs.locator("[data-fact=case_reported_before_cover] select").select_option("none")
    row = fs.locator(".claim-expense").first
    row.locator("[name=date]").fill((warned + timedelta(days=first_night)).isoformat())
    row.locator("[name=amount]").fill(str(12_000 * nights))
    row.locator("[name=nights]").fill(str(nights))
    fs.locator(".claim-document[data-kind=police_warning] input[type=file]").set_input_files(
        _picked(warning_file, "警告書.pdf")
    )
    fs.locator(".claim-document[data-kind=receipt] input[type=file]").set_input_files(_picked(receipt, "領収書.pdf"))
    form.locator("[name=policy_number]").fill(policy or fresh_policy())
    form.locator("[name=coverage_start]").fill((warned - timedelta(days=200)).isoformat())
    form.locator("[name=name]").fill(CLAIMANT_NAME)
    form.locator("[name=phone]").fill(CLAIMANT_PHONE)
    form.locator("[name=email]").fill("hanako@example.jp")


def send_lodging_claim(stack: RunningStack, page: Any, warning_file: bytes, **claim: Any) -> None:
    """Open and ME's claim form, fill in a lodging claim (see fill_lodging_claim) and send it."""
    page.goto(stack.base_url + "/products/and-me/#claim-check")
    fill_lodging_claim(page, warning_file, **claim)
    page.locator("form.claim-form .claim-submit").click()
