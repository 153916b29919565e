"""POST /api/v1/claims/check gives the verdict POST /api/v1/claims gives: every benefit of the catalog, walked
through both with the same claim (cover long before, cover starting days before the trigger, the trigger
before cover; the answers each way), compares payable, the refusing reasons and each expense's verdict.
A benefit claimed by telephone is refused by filing and judged by the check by the same rules, saying so.

特定感染症: 「ご加入初年度の場合は、保険期間の開始日からその日を含めて10日以内に発病した特定感染症に対しては、
保険金をお支払いできません。」 holds for every 特定感染症 benefit, the funeral benefit (葬祭費用) included."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from api.claims_handler import lambda_handler as claims_handler
from api.handler import lambda_handler as catalog_handler
from catalog import get_catalog
from catalog.models import Benefit, HourlyService, PerDay, PerNight, Product
from domain.claim_rules import claim_facts
from helpers.claims import PDF, fresh_policy
from helpers.events import call

TODAY = datetime.now(ZoneInfo("Asia/Tokyo")).date()
CATALOG = get_catalog()
BENEFITS = [(p, b) for p in CATALOG.products for b in p.benefits if b.payout is not None]


def _answers(product: Product, benefit: Benefit, flip: bool) -> dict[str, Any]:
    """An answer to every question the benefit asks: the first choice and yes, or the last choice and no."""
    out: dict[str, Any] = {}
    for spec in claim_facts(product, benefit.id):
        options = [o["value"] for o in spec.options]
        out[spec.id] = {
            "bool": not flip,
            "enum": (options[-1] if flip else options[0]) if options else None,
            "enum_list": [options[-1] if flip else options[0]] if options else [],
            "date": (TODAY - timedelta(days=30)).isoformat(),
            "date_list": [(TODAY - timedelta(days=30)).isoformat()],
            "int": 1,
            "yen": 1000,
        }[spec.type]
    return out


def _expense(benefit: Benefit, day: date, item: str = "listed") -> list[dict[str, Any]]:
    """One expense of the benefit's first kind: of its first listed item, "other", none, or an id no list has."""
    if not benefit.expense_kinds:
        return []
    expense: dict[str, Any] = {"kind": benefit.expense_kinds[0], "date": day.isoformat(), "amount": 10_000}
    if benefit.covered_items and item != "none":
        expense["item"] = {"listed": benefit.covered_items[0].id, "other": "other", "unknown": "no-such-item"}[item]
    if isinstance(benefit.payout, PerNight):
        expense["nights"] = 1
    if isinstance(benefit.payout, PerDay):
        expense["days"] = 1
    if isinstance(benefit.payout, HourlyService):
        expense["hours"] = 1
    return [expense]


def _plan(product: Product, benefit: Benefit) -> str | None:
    if benefit.plans:
        return benefit.plans[0]
    return product.plans[0].id if product.plans else None


# (cover start, trigger): cover long before; cover from 5 days before (inside a 10-day or 90-day first-year
# period); the trigger before cover
DATES = {
    "covered": (TODAY - timedelta(days=400), TODAY - timedelta(days=20)),
    "first_days": (TODAY - timedelta(days=25), TODAY - timedelta(days=20)),
    "before_cover": (TODAY - timedelta(days=15), TODAY - timedelta(days=20)),
}


def _verdict(answer: dict[str, Any]) -> tuple[bool, list[str], list[bool]]:
    refused = sorted(r["code"] for r in answer["reasons"] if r["outcome"] == "refuse")
    return answer["payable"], refused, [e["payable"] for e in answer["expenses"]]


def _both(product: Product, benefit: Benefit, when: str, flip: bool, item: str) -> tuple[Any, Any]:
    start, trigger = DATES[when]
    basis = {
        "product_id": product.id, "benefit_id": benefit.id, "plan_id": _plan(product, benefit),
        "coverage_start": start.isoformat(), "expenses": _expense(benefit, trigger + timedelta(days=1), item),
        "facts": _answers(product, benefit, flip),
    }
    check = call(catalog_handler, "POST", "/api/v1/claims/check",
                 body={**basis, "trigger_date": trigger.isoformat(), "claim_date": TODAY.isoformat()})
    documents = [{"kind": d.kind, "file_name": "書類.pdf", "content_type": "application/pdf", "size": len(PDF)}
                 for d in benefit.documents_for(benefit.trigger_types[0]) if d.required] or [
        {"kind": benefit.documents[0].kind if benefit.documents else "receipt", "file_name": "書類.pdf",
         "content_type": "application/pdf", "size": len(PDF)}]
    filed = call(claims_handler, "POST", "/api/v1/claims", body={
        **basis, "policy_number": fresh_policy(),
        "trigger": {"type": benefit.trigger_types[0], "date": trigger.isoformat()},
        "contact": {"name": "確認 太郎", "phone": "090-0000-0000", "email": "check@example.jp"},
        "documents": documents,
    })
    return check, filed


@pytest.mark.parametrize(("product", "benefit"), BENEFITS, ids=[f"{p.id}/{b.id}" for p, b in BENEFITS])
def test_given_any_benefit_when_checked_and_filed_then_both_give_the_same_verdict(aws, product, benefit):
    compared = 0
    scenarios = [(when, flip, "listed") for when in DATES for flip in (False, True)]
    scenarios += [("covered", False, item) for item in ("other", "none", "unknown")]
    for when, flip, item in scenarios:
            check, filed = _both(product, benefit, when, flip, item)
            label = (when, flip, item, check.body[:300], filed.body[:300])
            if not benefit.claimable_online:
                # claimed by telephone: filing refuses it, the check judges it and says so
                assert filed.status == 422 and filed.json["type"].endswith("/not-claimable-online"), label
                assert check.status in (200, 422), label
                if check.status == 200:
                    assert check.json["claimable_online"] is False, label
                continue
            if check.status == 422 or filed.status == 422:
                assert (check.status, filed.status) == (422, 422), label  # the same answers refused by both
                continue
            assert (check.status, filed.status) == (200, 201), label
            assert check.json["claimable_online"] is True
            assert _verdict(check.json) == _verdict(filed.json), label
            compared += 1
    if benefit.claimable_online:
        assert compared, f"{benefit.id}: no claim judged by both"


INFECTIONS = [(p, b) for p, b in BENEFITS if "infection" in b.trigger_types]


def test_given_the_catalog_then_every_infection_benefit_carries_the_first_10_days_rule():
    assert {b.id for _, b in INFECTIONS} >= {"infection-funeral", "infection-hospital", "infection-outpatient",
                                             "infection-disability"}
    for _, benefit in INFECTIONS:
        assert "ONSET_WITHIN_10_DAYS" in [r.code for r in benefit.claim_rules], benefit.id


@pytest.mark.parametrize(("product", "benefit"), INFECTIONS, ids=[b.id for _, b in INFECTIONS])
@pytest.mark.parametrize(("day", "refused"), [(10, True), (11, False)])
def test_given_an_infection_on_the_10th_or_11th_day_of_the_first_year_then_the_10th_is_refused(
    product, benefit, day, refused
):
    start = TODAY - timedelta(days=60)
    onset = start + timedelta(days=day - 1)  # day 1 is the start day itself
    body = {
        "product_id": product.id, "benefit_id": benefit.id, "plan_id": _plan(product, benefit),
        "coverage_start": start.isoformat(), "trigger_date": onset.isoformat(), "claim_date": TODAY.isoformat(),
        "expenses": _expense(benefit, onset + timedelta(days=1)), "facts": _answers(product, benefit, False),
    }
    check = call(catalog_handler, "POST", "/api/v1/claims/check", body=body)
    assert check.status == 200, check.body
    codes = [r["code"] for r in check.json["reasons"] if r["outcome"] == "refuse"]
    assert ("ONSET_WITHIN_10_DAYS" in codes) is refused
    assert check.json["payable"] is not refused
