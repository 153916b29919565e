"""The built search index (MkDocs' search/search_index.json, Zensical's search.json): configured for
Japanese, and each word a prospect types is in the sections of the pages that answer it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from helpers.site import search_index

SEARCHES = {
    "ストーカー": ["products/and-me/", "products/stalker-rider/", "products/watashi-no-omamori/", "compare/"],
    "引越": ["products/and-me/", "compare/"],
    "中途加入": ["products/watashi-no-omamori/"],
    "見舞金": ["products/smasapo-club/", "products/home-alsok/", "compare/"],
    "弁護士": ["products/watashi-no-omamori/", "products/and-me/", "compare/"],
    "宿泊": ["products/and-me/", "products/smasapo-club/", "compare/"],
}


@pytest.fixture(scope="module")
def index(built_site: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    return search_index(built_site)


def test_given_the_index_when_read_then_it_is_set_up_for_japanese(index: tuple[dict[str, Any], list[Any]]) -> None:
    # The separator splits on whitespace and Japanese punctuation; the search splits the rest into words.
    config, _ = index
    assert config["lang"] == ["ja"]
    separator = re.compile(config["separator"])
    assert separator.split("引越費用、宿泊費。見舞金（10万円）") == ["引越費用", "宿泊費", "見舞金", "10万円", ""]


@pytest.mark.parametrize("word", list(SEARCHES))
def test_given_a_word_when_looked_up_in_the_index_then_the_pages_that_answer_it_hold_it(
    index: tuple[dict[str, Any], list[dict[str, Any]]], word: str
) -> None:
    pages = {}
    for doc in index[1]:
        page = doc["location"].split("#")[0]
        pages[page] = pages.get(page, "") + doc["title"] + doc["text"]
    missing = [p for p in SEARCHES[word] if word not in pages.get(p, "")]
    assert not missing, f"{word} not indexed on {missing}"


def test_given_the_index_when_read_then_each_product_page_has_its_own_sections(
    index: tuple[dict[str, Any], list[dict[str, Any]]],
) -> None:
    # Sections (benefits, prices, who can join, claims, FAQ) are indexed one by one so a hit lands on the right part.
    locations = {doc["location"] for doc in index[1]}
    for section in ("benefits", "prices", "eligibility", "claims", "faq", "contacts", "notices"):
        assert f"products/and-me/#{section}" in locations, section
    assert "products/watashi-no-omamori/#midterm" in locations
    assert "products/stalker-rider/#refund-table" in locations
    assert "products/smasapo-club/#dispatch-fees" in locations
