"""How to apply, as built from the catalog: the online form for the product sold on the web, the paper
forms' page for the one applied for on paper, and on every product page whom to contact, with the number
and hours the seed gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog import load_catalog
from domain.applications import consent_version
from helpers.site import page_path, read_page_text, squash

CATALOG = load_catalog()


def test_given_the_product_sold_online_then_its_form_asks_every_question_and_carries_each_consent_version(
    built_site: Path,
) -> None:
    product = CATALOG.product("and-me")
    assert product.apply.online is not None
    html = page_path(built_site, "apply/and-me/").read_text(encoding="utf-8")
    for field in ("name", "name_kana", "birth_date", "postal_code", "address", "phone", "email"):
        assert f'name="{field}"' in html
    assert 'data-fact="police_consultations"' in html and 'data-fact="harm_is_spousal_dv"' in html
    assert 'data-fact="guard_limit_reached"' not in html  # every online application is a new contract
    for consent in product.apply.online.consents:
        assert f'value="{consent_version(product, consent)}" data-consent="{consent.id}"' in html
    text = squash(read_page_text(built_site, "apply/and-me/"))
    for notice in product.notices:
        assert squash(notice.text) in text
    assert "カード番号などをお聞きすることはありません" in text and "0120-953-827" in text


def test_given_the_product_applied_for_on_paper_then_its_page_lists_the_forms_the_address_and_the_deadline(
    built_site: Path,
) -> None:
    product = CATALOG.product("watashi-no-omamori")
    paper = product.apply.paper
    assert paper is not None and product.apply.deadline
    text = squash(read_page_text(built_site, f"apply/{product.id}/"))
    for form in paper.forms:
        assert squash(form).replace(" ", "") in text.replace(" ", "")
    assert paper.send_to.postal_code in text and squash(paper.send_to.address) in text
    assert "03-4500-8481" in text and squash(product.apply.deadline) in text
    assert "このページを印刷する" in text


@pytest.mark.parametrize(
    ("product_id", "says"),
    [
        ("and-me", "0120-953-827"),
        ("watashi-no-omamori", "03-4500-8481"),
        ("stalker-rider", "0120-592-166"),
        ("home-alsok", "0120-39-2413"),
        ("smasapo-club", "貸主・管理会社へお尋ねください"),
    ],
)
def test_given_each_product_page_then_its_how_to_apply_says_whom_to_contact(
    built_site: Path, product_id: str, says: str
) -> None:
    html = page_path(built_site, f"products/{product_id}/").read_text(encoding="utf-8")
    section = html[html.index('id="apply"'):html.index('id="details"')]
    assert says in section


@pytest.mark.parametrize(
    ("product_id", "label"),
    [("and-me", "この内容で申し込む"), ("watashi-no-omamori", "申込書の送り先と締切を印刷する")],
)
def test_given_a_product_the_site_takes_further_then_its_quote_leads_to_that_page(
    built_site: Path, product_id: str, label: str
) -> None:
    html = page_path(built_site, f"products/{product_id}/").read_text(encoding="utf-8")
    assert f'data-apply-page="/apply/{product_id}/" data-apply-label="{label}"' in html


def test_given_products_applied_for_elsewhere_then_their_quote_has_no_apply_page(built_site: Path) -> None:
    for product_id in ("home-alsok", "smasapo-club"):
        html = page_path(built_site, f"products/{product_id}/").read_text(encoding="utf-8")
        assert "data-apply-page" not in html
