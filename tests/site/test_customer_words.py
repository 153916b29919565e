"""Customer words on customer screens: no source file name, no field or table name, no "API" or
"catalog", no date format mask, no MIME type and no maintainers' reading, on any built page or in any
message the API gives the pages to show (titles, details, field messages, the basis of a quote or a
refund, the reasons of an eligibility or claim check).

The API side is checked twice: by asking every catalog route a wide set of questions built from the
catalog (every product, plan, payment method and frequency, good and bad), and by reading every
Japanese sentence written in the functions' code, so that a message only a rare request reaches is
checked too."""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from api.handler import lambda_handler
from catalog import load_catalog
from helpers.events import api_event
from helpers.site import article_text

ROOT = Path(__file__).resolve().parents[2]
CATALOG = load_catalog()

INTERNAL = re.compile(
    "|".join(
        [
            r"\d{3}_[0-9a-f]{16}\.txt",  # a source document's file name
            r"\bAPI\b",
            r"カタログ",
            r"catalog",
            r"\bseed\b",
            r"\b[a-z]+(?:_[a-z]+)+\b",  # a field or table name (midterm_table, plan_id ...)
            r"\bbody\.",  # a request field path
            r"\b(?:plans|facts|benefits|expenses)\b",
            r"YYYY|MM-DD",
            r"\b(?:application|image|text)/[a-z0-9.+-]+",  # a MIME type
            r"JSON",
            r"\b(?:null|undefined|true|false)\b",
            r"読みます|読みを採|と読む|推計|推定すること",  # maintainers' readings
            r"文書に(?:記載|定め)",  # "the document (seed) says nothing": say 公表資料 / お問い合わせ
            r"\bID\b|ＩＤ|ID[はが]",
        ]
    )
)


def internal_words(text: str) -> list[str]:
    return [text[max(0, m.start() - 30) : m.end() + 20].replace("\n", " ") for m in INTERNAL.finditer(text)]


# ------------------------------------------------------------------------------------------
# The built pages
# ------------------------------------------------------------------------------------------


def _shown_attributes(html: str) -> str:
    """Attribute values a person sees or hears: labels read aloud, placeholders, titles, alt text."""
    return "\n".join(
        m.group(2) for m in re.finditer(r'\b(aria-label|placeholder|title|alt)="([^"]*)"', html)
    )


def test_given_the_built_site_when_every_page_is_read_then_no_internal_word_is_shown(built_site: Path) -> None:
    pages = [p for p in built_site.rglob("*.html") if "search" not in p.parts]
    assert len(pages) >= 10
    found = []
    for page in pages:
        html = page.read_text(encoding="utf-8")
        for text in (article_text(html), _shown_attributes(html)):
            found += [f"{page.relative_to(built_site)}: …{w}…" for w in internal_words(text)]
    assert not found, "\n".join(found)


def test_given_the_scan_when_fed_a_developer_sentence_then_it_finds_each_kind_of_word() -> None:
    # The scan itself must be able to fail: each sample holds one word it must catch.
    samples = [
        "出典: 000_f82058bbce275d13.txt",
        "API の仕様",
        "カタログに載せていません",
        "plans と midterm_table にあります",
        "body.plan_id を確認してください。",
        "日付を YYYY-MM-DD 形式で",
        "application/pdf のみ",
        "JSON として読み取れません",
        "2年と読みます",
        "掛金を推計することはしません",
        "文書に記載がありません",
        "この商品IDはありません",
    ]
    for sample in samples:
        assert internal_words(sample), sample
    assert not internal_words("月額500円（税込）。お問い合わせ窓口 0120-953-827 へお電話ください。")


# ------------------------------------------------------------------------------------------
# What the API says to the pages
# ------------------------------------------------------------------------------------------

SHOWN_KEYS = {"title", "detail", "message", "text", "label", "note", "reason", "document", "benefit_name", "help"}


def shown_strings(value: Any, key: str = "") -> Iterator[str]:
    """Every string under a key whose value a page shows (ids, codes and dates are not shown as text)."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from shown_strings(v, k)
    elif isinstance(value, list):
        for item in value:
            yield from shown_strings(item, key)
    elif isinstance(value, str) and key in SHOWN_KEYS:
        yield value


def post(path: str, body: Any) -> tuple[int, Any]:
    raw = lambda_handler(api_event("POST", path, body), None)
    return raw["statusCode"], json.loads(raw["body"])


def quote_requests() -> Iterator[dict[str, Any]]:
    for p in CATALOG.products:
        plans = [pl.id for pl in p.plans] or [s.id for s in p.service_products] or [None]
        methods = [(m.id, f) for m in p.pricing.payment_methods for f in m.frequencies] or [(None, None)]
        for plan in plans:
            for method, frequency in [*methods, (None, "annual")]:
                for day in ("2026-12-03", "2025-07-20", "2026-03-25"):
                    body: dict[str, Any] = {"product_id": p.id, "application_date": day}
                    if plan:
                        body["plan_id"] = plan
                    if method:
                        body["payment_method"] = method
                    if frequency:
                        body["payment_frequency"] = frequency
                    yield body


def refund_requests() -> Iterator[dict[str, Any]]:
    for p in CATALOG.products:
        plans = [pl.id for pl in p.plans] or [s.id for s in p.service_products] or [None]
        for plan in plans:
            base: dict[str, Any] = {"product_id": p.id} | ({"plan_id": plan} if plan else {})
            yield base | {"contract_start": "2025-05-01", "cancellation_date": "2025-10-15"}
            yield base | {"contract_start": "2025-05-01", "cancellation_date": "2025-10-15", "installment_amount": 990}
            yield base | {"contract_start": "2025-10-15", "cancellation_date": "2025-05-01"}
            yield base
        if p.refund_table:
            for row in p.refund_table.rows[:3]:
                yield {"product_id": p.id, "base_refund": row.key, "unexpired_months": 5}
            yield {"product_id": p.id, "base_refund": 1, "unexpired_months": 99}


BAD_BODIES: list[Any] = [
    "{not json",
    "[]",
    {},
    {"product_id": "no-such-product", "application_date": "2026-12-03"},
    {"product_id": "and-me", "application_date": "2026-02-30"},
    {"product_id": "and-me", "application_date": "20261203"},
    {"product_id": "and-me", "application_date": "1999-12-31"},
    {"product_id": "and-me", "application_date": 20261203},
    {"product_id": "and-me", "application_date": "2026-12-03", "payment_method": "cash"},
    {"product_id": "and-me", "application_date": "2026-12-03", "payment_frequency": "weekly"},
    {"product_id": "and-me", "application_date": "2026-12-03", "extra": 1},
    {"product_id": "watashi-no-omamori", "application_date": "2026-12-03", "plan_id": "Z"},
    {"product_id": ["and-me"], "application_date": True},
]


def eligibility_requests() -> Iterator[dict[str, Any]]:
    for p in CATALOG.products:
        plans = [pl.id for pl in p.plans] or [None]
        fact_ids = sorted({getattr(r, "fact", None) for r in p.eligibility} - {None})
        for plan in plans:
            base: dict[str, Any] = {"product_id": p.id, "application_date": "2026-12-03"}
            if plan:
                base["plan_id"] = plan
            yield base
            yield base | {"facts": {f: True for f in fact_ids}}
            yield base | {"facts": {f: "はい" for f in fact_ids}}
            yield base | {"facts": {"birth_date": "2015-01-01", "police_consultations": ["2026-01-10", "2020-01-01"]}}
            yield base | {"facts": {"unknown_question": 1}}


def claim_check_requests() -> Iterator[dict[str, Any]]:
    for p in CATALOG.products:
        plan = p.plans[0].id if p.plans else None
        for b in p.benefits:
            base: dict[str, Any] = {
                "product_id": p.id, "benefit_id": b.id, "coverage_start": "2025-05-01",
                "trigger_date": "2025-08-01", "claim_date": "2025-09-01",
            } | ({"plan_id": plan} if plan else {})
            kinds = list(getattr(b, "expense_kinds", []) or ["other"])
            yield base
            yield base | {"expenses": [{"kind": k, "date": "2025-08-10", "amount": 12000, "nights": 2} for k in kinds]}
            yield base | {"expenses": [{"kind": kinds[0], "date": "2026-08-10", "amount": 12000, "item": "nothing"}]}
            yield base | {"trigger_date": "2024-01-01"}
            yield base | {"facts": {"unknown_question": 1}}
        yield {"product_id": p.id, "benefit_id": "no-such-benefit", "coverage_start": "2025-05-01",
               "trigger_date": "2025-08-01"}


def api_answers() -> Iterator[tuple[str, dict[str, Any], int, Any]]:
    for path, bodies in [
        ("/api/v1/quotes", [*quote_requests(), *BAD_BODIES]),
        ("/api/v1/refunds", [*refund_requests(), *BAD_BODIES]),
        ("/api/v1/eligibility", [*eligibility_requests(), *BAD_BODIES]),
        ("/api/v1/claims/check", [*claim_check_requests(), *BAD_BODIES]),
    ]:
        for body in bodies:
            status, answer = post(path, body)
            yield path, body, status, answer


def test_given_the_catalog_routes_when_asked_good_and_bad_questions_then_no_answer_shows_an_internal_word() -> None:
    found: list[str] = []
    statuses: set[int] = set()
    count = 0
    for path, body, status, answer in api_answers():
        count += 1
        statuses.add(status)
        assert status < 500, (path, body, answer)
        for text in shown_strings(answer):
            found += [f"{path} {json.dumps(body, ensure_ascii=False)[:80]}: …{w}…" for w in internal_words(text)]
    # the questions reached both answers and refusals of every route
    assert count > 300 and {200, 400, 422} <= statuses, (count, statuses)
    assert not found, "\n".join(sorted(set(found))[:60])


def test_given_a_quote_when_answered_then_each_basis_names_its_document_by_title() -> None:
    status, answer = post(
        "/api/v1/quotes", {"product_id": "watashi-no-omamori", "plan_id": "B", "application_date": "2025-07-20"}
    )
    assert status == 200
    titles = {s.title for s in CATALOG.sources}
    assert answer["basis"] and all(b["document"] in titles for b in answer["basis"])
    assert any(b["title"] == "中途加入掛金表" for b in answer["basis"])


# Keyword arguments whose strings document the API for developers (OpenAPI), not for customers.
_DEVELOPER_KEYWORDS = {"description", "described", "summary", "examples", "title_doc"}
_JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def code_sentences(folder: Path) -> Iterator[tuple[Path, int, str]]:
    """Japanese string literals in the code, except docstrings and OpenAPI descriptions."""
    for path in sorted(folder.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip: set[int] = set()
        for node in ast.walk(tree):
            body = getattr(node, "body", None)
            first = body[0] if isinstance(body, list) and body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                skip.add(id(first.value))  # a docstring
            developer: list[ast.AST] = []
            if isinstance(node, ast.keyword) and node.arg in _DEVELOPER_KEYWORDS:
                developer.append(node.value)
            if isinstance(node, ast.Dict):  # {"description": ...} in OpenAPI response maps
                developer += [v for k, v in zip(node.keys, node.values, strict=True)
                              if isinstance(k, ast.Constant) and k.value in _DEVELOPER_KEYWORDS]
            targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
                node, ast.AnnAssign) else []
            if any(isinstance(t, ast.Name) and t.id.startswith("OPENAPI_") for t in targets):
                developer.append(node.value)
            for value in developer:
                for inner in ast.walk(value):
                    skip.add(id(inner))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip \
                    and _JAPANESE.search(node.value):
                yield path, node.lineno, node.value


@pytest.mark.parametrize("folder", ["api", "domain", "dal", "validator"])
def test_given_the_functions_code_when_its_japanese_sentences_are_read_then_none_holds_an_internal_word(
    folder: str,
) -> None:
    found = [
        f"{path.relative_to(ROOT)}:{line}: {text[:80]}"
        for path, line, text in code_sentences(ROOT / "functions" / folder)
        if internal_words(text)
    ]
    assert not found, "\n".join(found)


def test_given_the_page_scripts_when_their_japanese_sentences_are_read_then_none_holds_an_internal_word() -> None:
    found = []
    for script in sorted((ROOT / "website" / "content" / "assets" / "js").glob("*.js")):
        for n, line in enumerate(script.read_text(encoding="utf-8").splitlines(), 1):
            if line.lstrip().startswith("//"):
                continue
            for literal in re.findall(r'"((?:[^"\\]|\\.)*)"', line):
                if _JAPANESE.search(literal) and internal_words(literal):
                    found.append(f"{script.name}:{n}: {literal}")
    assert not found, "\n".join(found)
