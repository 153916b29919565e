"""The pre-check form on each built product page asks exactly the questions the eligibility engine reads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from catalog import get_catalog
from domain.eligibility import eligibility_facts
from helpers.site import page_path

PRODUCTS = [p.id for p in get_catalog().products]


def _form(site: Path, product_id: str) -> str:
    html = page_path(site, f"products/{product_id}/").read_text(encoding="utf-8")
    match = re.search(r'<form class="elig-form".*?</form>', html, re.S)
    assert match, f"no pre-check form on {product_id}"
    return match.group(0)


@pytest.mark.parametrize("product_id", PRODUCTS)
def test_given_a_product_page_when_built_then_its_form_fields_are_the_engines_questions_in_order(
    built_site: Path, product_id: str
) -> None:
    form = _form(built_site, product_id)
    fields = re.findall(r'data-fact="([^"]+)" data-type="([^"]+)"(?: data-plans="([^"]*)")?', form)
    specs = eligibility_facts(get_catalog().product(product_id))
    assert [(f, t, p.split() if p else []) for f, t, p in fields] == [(s.id, s.type, s.plans) for s in specs]


@pytest.mark.parametrize("product_id", PRODUCTS)
def test_given_a_product_page_when_built_then_the_form_posts_to_the_same_origin_api_and_names_the_product(
    built_site: Path, product_id: str
) -> None:
    form = _form(built_site, product_id)
    assert f'data-product="{product_id}"' in form and 'data-api="/api/v1"' in form
    assert ('name="plan_id"' in form) is bool(get_catalog().product(product_id).plans)
