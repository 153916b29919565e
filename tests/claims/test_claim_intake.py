"""One intake for a claim: what POST /claims refuses, POST /claims/check refuses too, naming the same field
with a message that says what to type; text is normalised and never carries control characters or markup.

Written as the attack: values a form never sends (true as yen, numeric strings, 1.5 nights, 0 nights),
NUL / right-to-left override / zero-width / markup in names and file names, a key given twice.
"""

from __future__ import annotations

from typing import Any

import pytest

from api.claims_handler import lambda_handler as claims
from api.handler import lambda_handler as catalog
from dal import claims as claims_repo
from dal import clients
from helpers.claims import POLICY, lodging_claim, post_claim
from helpers.events import call

PROBLEM = "application/problem+json"


def _stored(claim_id: str) -> dict[str, Any]:
    item = claims_repo.get_claim(clients.claims_table(), claim_id)
    assert item is not None
    return item


def _check_body(claim: dict[str, Any]) -> dict[str, Any]:
    """The claim's basis as POST /claims/check takes it (no personal data, the trigger's date alone)."""
    keep = ("product_id", "benefit_id", "plan_id", "coverage_start", "expenses", "facts")
    body = {k: v for k, v in claim.items() if k in keep}
    body["trigger_date"] = claim["trigger"]["date"]
    return body


def _with_expense(**change: Any) -> dict[str, Any]:
    claim = lodging_claim()
    claim["expenses"] = [{**claim["expenses"][0], **change}]
    return claim


HOSTILE_BASIS = [
    pytest.param(_with_expense(amount=True), "body.expenses.0.amount", "金額", id="amount-true"),
    pytest.param(_with_expense(amount="240000"), "body.expenses.0.amount", "金額", id="amount-string"),
    pytest.param(_with_expense(amount=240000.5), "body.expenses.0.amount", "金額", id="amount-fraction"),
    pytest.param(_with_expense(amount=-1), "body.expenses.0.amount", "金額", id="amount-negative"),
    pytest.param(_with_expense(nights=0), "body.expenses.0.nights", "泊数", id="zero-nights"),
    pytest.param(_with_expense(nights=True), "body.expenses.0.nights", "泊数", id="nights-true"),
    pytest.param(_with_expense(nights=1.5), "body.expenses.0.nights", "泊数", id="nights-float"),
    pytest.param(_with_expense(date="2025-06-01T00:00:00+09:00"), "body.expenses.0.date", "日付", id="datetime"),
    pytest.param(_with_expense(date=1748736000), "body.expenses.0.date", "日付", id="epoch"),
    pytest.param(_with_expense(date="0001-01-01"), "body.expenses.0.date", "1900年", id="year-1"),
    pytest.param(_with_expense(kind="<script>"), "body.expenses.0.kind", "一覧から", id="kind-markup"),
    pytest.param(lodging_claim(coverage_start="9999-12-31"), "body.coverage_start", "2099年", id="year-9999"),
    pytest.param(lodging_claim(product_id="and-me\u0000"), "body.product_id", "一覧から", id="product-nul"),
    pytest.param(lodging_claim(facts={"lodging_is_licensed_in_japan": 1}),
                 "body.facts.lodging_is_licensed_in_japan", "はい", id="fact-one-as-yes"),
]


@pytest.mark.parametrize(("claim", "field", "says"), HOSTILE_BASIS)
def test_given_a_value_no_form_sends_then_filing_and_checking_refuse_it_naming_the_same_field(
    aws, claim, field, says
) -> None:
    before = len(aws.scan_claims())
    filed = post_claim(claim)
    checked = call(catalog, "POST", "/api/v1/claims/check", body=_check_body(claim))
    for r in (filed, checked):
        assert r.status == 422, r.body[:300]
        assert r.headers["Content-Type"] == PROBLEM
        messages = {e["field"]: e["message"] for e in r.json["errors"]}
        assert field in messages, messages
        assert says in messages[field]
        # no framework's wording: a sentence in Japanese that says what to type
        assert messages[field].endswith("。") and not messages[field].isascii()
    assert {e["field"] for e in filed.json["errors"]} == {e["field"] for e in checked.json["errors"]}
    assert len(aws.scan_claims()) == before


def test_given_the_same_claim_when_checked_then_the_check_accepts_what_filing_accepts(aws) -> None:
    claim = lodging_claim()
    assert post_claim(claim).status == 201
    r = call(catalog, "POST", "/api/v1/claims/check", body=_check_body(claim))
    assert r.status == 200 and r.json["payable"] is True


def _with_contact(**change: Any) -> dict[str, Any]:
    claim = lodging_claim()
    claim["contact"] = {**claim["contact"], **change}
    return claim


def _with_file_name(name: str) -> dict[str, Any]:
    claim = lodging_claim()
    claim["documents"] = [{**claim["documents"][0], "file_name": name}, *claim["documents"][1:]]
    return claim


@pytest.mark.parametrize(
    ("claim", "field", "says"),
    [
        pytest.param(_with_contact(name="山田\u0000花子"), "body.contact.name", "見えない文字", id="name-nul"),
        pytest.param(_with_contact(name="山田\u202e子花"), "body.contact.name", "見えない文字", id="name-rtl-override"),
        pytest.param(_with_contact(name="山田\u200b花子"), "body.contact.name", "見えない文字", id="name-zero-width"),
        pytest.param(_with_contact(name="<b>山田</b>"), "body.contact.name", "「<」", id="name-markup"),
        pytest.param(_with_contact(name="   "), "body.contact.name", "お名前を入力", id="name-blank"),
        pytest.param(_with_contact(name="山" * 101), "body.contact.name", "100文字以内", id="name-long"),
        pytest.param(_with_contact(address="東京都\n千代田区"), "body.contact.address", "見えない文字",
                     id="address-newline"),
        pytest.param(_with_contact(phone="090-1234"), "body.contact.phone", "例: 090-1234-5678", id="phone-short"),
        pytest.param(_with_contact(email="hanako@"), "body.contact.email", "例: hanako@example.jp", id="email"),
        pytest.param(_with_file_name("警告書\u202efdp.exe"), "body.documents.0.file_name", "見えない文字",
                     id="file-rtl-override"),
        pytest.param(_with_file_name("<img src=x onerror=alert(1)>.pdf"), "body.documents.0.file_name", "「<」",
                     id="file-markup"),
        pytest.param(_with_file_name("a\u0000.pdf"), "body.documents.0.file_name", "見えない文字", id="file-nul"),
        pytest.param(lodging_claim(policy_number="AM/2025"), "body.policy_number", "英数字とハイフン",
                     id="policy-slash"),
        pytest.param(lodging_claim(policy_number=" "), "body.policy_number", "入力してください", id="policy-blank"),
    ],
)
def test_given_control_characters_or_markup_in_personal_text_then_422_naming_it_and_nothing_stored(
    aws, claim, field, says
) -> None:
    before = len(aws.scan_claims())
    r = post_claim(claim)
    assert r.status == 422 and r.headers["Content-Type"] == PROBLEM, r.body[:300]
    messages = {e["field"]: e["message"] for e in r.json["errors"]}
    assert field in messages and says in messages[field], messages
    assert "山田" not in r.body and POLICY not in r.body  # nothing typed is echoed
    assert len(aws.scan_claims()) == before


@pytest.mark.parametrize(
    "typed",
    ["ＡＭ－２０２５０４０１－７７８８９９", "am-20250401-778899", " AM-2025 0401-778899 ", "AM-2025\u30000401-778899"],
)
def test_given_a_policy_number_typed_full_width_lower_case_or_with_spaces_then_it_is_stored_as_on_the_certificate(
    aws, typed
) -> None:
    r = post_claim(lodging_claim(policy_number=typed))
    assert r.status == 201, r.body[:300]
    assert _stored(r.json["claim_id"])["policy_number"] == POLICY


def test_given_a_name_in_decomposed_unicode_then_it_is_stored_composed(aws) -> None:
    decomposed = "やまだ はなこ".replace("だ", "た\u3099")  # だ written as た + combining dakuten
    r = post_claim(_with_contact(name=f" {decomposed} "))
    assert r.status == 201
    assert _stored(r.json["claim_id"])["contact"]["name"] == "やまだ はなこ"


@pytest.mark.parametrize(
    "text",
    [
        '{"product_id": "and-me", "product_id": "smasapo-club"}',
        '{"product_id": "and-me", "expenses": [{"amount": 1, "amount": 100000}]}',
        '{"product_id": "and-me", "x": NaN}',
        '{"product_id": "and-me", "x": -Infinity}',
    ],
    ids=["key-twice", "nested-key-twice", "nan", "infinity"],
)
def test_given_a_key_given_twice_or_a_non_standard_number_then_400_on_both_routes(aws, text) -> None:
    before = len(aws.scan_claims())
    checked = call(catalog, "POST", "/api/v1/claims/check", body=text)
    for r in (checked, call(claims, "POST", "/api/v1/claims", body=text)):
        assert r.status == 400 and r.headers["Content-Type"] == PROBLEM, r.body[:300]
        assert r.json["type"].endswith("/malformed-json") and r.json["errors"][0]["field"] == "body"
    assert len(aws.scan_claims()) == before

