"""Nothing on the site is typed by hand: change a figure in a copy of products.yaml, rebuild, and the
page changes. Also: the build refuses a broken link (strict mode) and a product left out of the menu. Each
under both builders."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers.site import read_page_text, squash
from sitegen import SiteError, build
from sitegen.render import CONTENT_DIR, ROOT


def _replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"expected one {old!r} in products.yaml"
    return text.replace(old, new)


@pytest.fixture(scope="module")
def drifted_site(site_builder: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Given a copy of products.yaml where and ME's monthly premium is 650, the May mid-term 掛金 of plan A is
    # 25,280 (within the catalog's own pro-rata check) and the JLSA pamphlet's date moved a day,
    # When the site is rebuilt with CATALOG_PATH pointing at the copy,
    tmp = tmp_path_factory.mktemp("drift")
    text = (ROOT / "products.yaml").read_text(encoding="utf-8")
    text = _replace_once(
        text, "          amount: 500\n          unit: month", "          amount: 650\n          unit: month"
    )
    text = _replace_once(
        text, "debit_date: 2025-05-27, premiums: {A: 25270,", "debit_date: 2025-05-27, premiums: {A: 25280,"
    )
    text = _replace_once(text, "    date: 2025-04-01\n", "    date: 2025-04-02\n")
    copy = tmp / "products.yaml"
    copy.write_text(text, encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CATALOG_PATH", str(copy))
        return build(out_dir=tmp / "out", builder=site_builder).site_dir


def test_given_a_changed_premium_when_rebuilt_then_the_product_page_and_home_show_the_new_figure(
    built_site: Path, drifted_site: Path
) -> None:
    # Then the and ME page and the home page show 650円 where the real build shows 500円.
    before = read_page_text(built_site, "products/and-me/")
    after = read_page_text(drifted_site, "products/and-me/")
    assert "月額500円" in before and "月額650円" not in before
    assert "月額650円" in after
    assert "月額650円" in read_page_text(drifted_site, "")
    assert "月額650円" in read_page_text(drifted_site, "compare/")


def test_given_a_changed_table_cell_and_date_when_rebuilt_then_the_jlsa_page_shows_them(
    built_site: Path, drifted_site: Path
) -> None:
    before = read_page_text(built_site, "products/watashi-no-omamori/")
    after = read_page_text(drifted_site, "products/watashi-no-omamori/")
    assert "2025年5月1日25,270円" in before and "25,280円" not in before
    assert "2025年5月1日25,280円" in after and "2025年5月1日25,270円" not in after
    assert "2025年4月1日）" in before and "2025年4月2日）" in after  # the source line's date


def test_given_a_template_with_a_broken_link_when_built_then_the_strict_build_fails(
    site_builder: str, tmp_path: Path
) -> None:
    # Given the content with one link to a page that does not exist, When built, Then the strict build refuses it.
    content = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, content)
    faq = content / "templates" / "faq.md.j2"
    faq.write_text(faq.read_text(encoding="utf-8") + "\n[壊れたリンク](no-such-page.md)\n", encoding="utf-8")
    with pytest.raises(SiteError, match=r"no-such-page\.md"):
        build(out_dir=tmp_path / "out", content_dir=content, builder=site_builder)


def test_given_next_years_catalog_when_built_then_the_page_shows_that_year_and_its_figures(
    site_builder: str, tmp_path: Path
) -> None:
    from helpers.next_year import PLAN_A_PREMIUM, write_next_year_catalog

    # Given the catalog as the next pamphlet would have it (2026年度 tables; plan A's premium raised),
    copy = write_next_year_catalog(tmp_path / "products.yaml")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CATALOG_PATH", str(copy))
        site = build(out_dir=tmp_path / "out", builder=site_builder).site_dir
    # When the page is read, then it names 2026年度 beside the figures and shows the new ones
    text = read_page_text(site, "products/watashi-no-omamori/")
    assert squash("掲載の掛金は2026年度（保険期間 2026年4月1日〜2027年4月1日）のものです。") in text
    assert "2025年度" not in text.replace("パンフレット（2025年度）", "")  # the document's own title stays
    assert f"{PLAN_A_PREMIUM + 2040:,}円" in text
    assert "2027年1月1日" in text and "2026年12月21日" in text  # a mid-term row and its deadline
    html = (site / "products" / "watashi-no-omamori" / "index.html").read_text(encoding="utf-8")
    assert 'value="2026-05-01"' in html and 'value="2025-05-01"' not in html  # the refund form's start months
