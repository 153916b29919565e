"""The built product site against the catalog: every figure, limit and date of a product appears,
formatted, on that product's page; the comparison and FAQ pages hold every product; the site loads
nothing from the network; the forms and their scripts are on every product page."""

from __future__ import annotations

import re
import typing
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from catalog import Catalog, load_catalog
from catalog.models import Yen
from catalog.record import Record
from helpers.site import page_path, read_page_text, search_index, site_built_by, squash
from sitegen import SiteError
from sitegen.build import BUILDERS, DEFAULT_BUILDER, builder_site_dir, chosen_builder
from sitegen.filters import jdate, jtext, price, yen

CATALOG = load_catalog()
SCROLL_BOX = r'<div class="table-scroll" role="region" aria-label="[^"]+" tabindex="0">'
PRODUCT_IDS = [p.id for p in CATALOG.products]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return CATALOG


# ------------------------------------------------------------------------------------------
# Walking a catalog entry: every yen field (typed `Yen` in the model) and every date
# ------------------------------------------------------------------------------------------


def _is_yen(annotation: Any) -> bool:
    if annotation is Yen:
        return True
    return typing.get_origin(annotation) in (typing.Union, getattr(__import__("types"), "UnionType", None)) and any(
        a is Yen for a in typing.get_args(annotation)
    )


def _walk(value: Any, annotation: Any, path: str) -> Iterator[tuple[str, Any]]:
    if isinstance(value, Record):
        yield from walk_model(value, path)
    elif isinstance(value, date) or (isinstance(value, int) and not isinstance(value, bool) and _is_yen(annotation)):
        yield path, value
    elif isinstance(value, list):
        args = typing.get_args(annotation)
        for i, item in enumerate(value):
            yield from _walk(item, args[0] if args else Any, f"{path}[{i}]")
    elif isinstance(value, dict):
        args = typing.get_args(annotation)
        for key, item in value.items():
            yield from _walk(item, args[1] if len(args) == 2 else Any, f"{path}.{key}")


def walk_model(model: Record, path: str) -> Iterator[tuple[str, Any]]:
    """(path, value) for every yen amount and every date under a catalog model."""
    hints = typing.get_type_hints(type(model), include_extras=True)
    for name in type(model).field_names():
        yield from _walk(getattr(model, name), hints.get(name, Any), f"{path}.{name}")


def test_given_the_walker_when_it_reads_and_me_then_it_finds_its_yen_fields_and_nothing_else(catalog: Catalog) -> None:
    # Given the and ME entry, When walked, Then the premium and the limits are found as yen,
    # and counts (14 nights) or percentages are not.
    found = dict(walk_model(catalog.product("and-me"), "and-me"))
    assert found["and-me.pricing.items[0].amount"] == 500
    assert found["and-me.benefits[3].payout.nightly_cap"] == 10000
    assert "and-me.benefits[3].payout.max_nights" not in found
    jlsa = dict(walk_model(catalog.product("watashi-no-omamori"), "j"))
    assert jlsa["j.midterm_table.rows[0].premiums.A"] == 25270
    assert jlsa["j.midterm_table.rows[0].debit_date"] == date(2025, 5, 27)
    assert "j.benefits[6].payout.paid_percent" not in jlsa


# ------------------------------------------------------------------------------------------
# Product pages
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("product_id", PRODUCT_IDS)
def test_given_a_product_when_the_site_is_built_then_every_yen_figure_and_date_of_it_is_on_its_page(
    built_site: Path, catalog: Catalog, product_id: str
) -> None:
    # Given the product's catalog entry, When its page is built, Then each yen amount appears as
    # `27,560円` and each date as `2025年5月1日` (a datetime with its time, e.g. 午後4時).
    product = catalog.product(product_id)
    text = read_page_text(built_site, f"products/{product_id}/")
    missing = []
    for path, value in walk_model(product, product_id):
        shown = jdate(value) if isinstance(value, date) else yen(value)
        if squash(shown) not in text:
            missing.append(f"{path} = {value!r} (looked for {shown})")
    assert not missing, "not on the page:\n" + "\n".join(missing)


@pytest.mark.parametrize("product_id", PRODUCT_IDS)
def test_given_a_product_when_built_then_every_limit_label_and_table_heading_is_on_its_page(
    built_site: Path, catalog: Catalog, product_id: str
) -> None:
    # Given the product's limits, services, rules, notices and tables, When built, Then each shows on its page.
    product = catalog.product(product_id)
    text = read_page_text(built_site, f"products/{product_id}/")
    expected: list[str] = [product.name, product.for_whom, product.start_rule.rule]
    for b in product.benefits:
        expected += [b.name, b.trigger, *(lim.label for lim in b.limits), *(d.label for d in b.documents)]
        expected += [x for x in (b.period, b.window, b.once_only) if x]
        expected += [it.name for it in b.covered_items] + list(b.not_covered)
    expected += list(product.not_covered) + list(product.how_to_claim)
    expected += [s.name for s in product.services] + [n.text for n in product.notices]
    expected += [r.message for r in product.eligibility] + [r.clause.text for r in product.eligibility]
    expected += [c.phone for c in product.contacts if c.phone] + [c.hours for c in product.contacts if c.hours]
    expected += [f.q for f in product.faq] + [f.a for f in product.faq]
    if product.refund_table:
        expected += product.refund_table.columns
    if product.dispatch_fee_table:
        # a row with no time band ("-" in the table) shows a dash or nothing: its fee kind says it all
        expected += [r.fee_kind for r in product.dispatch_fee_table.rows] + [
            r.hours for r in product.dispatch_fee_table.rows if r.hours != "-"
        ]
    for feat in product.plan_features:
        expected += [feat.label, *feat.values.values()]
    source = next(s for s in catalog.sources if s.file == product.source)
    expected.append(source.title)
    missing = [x for x in expected if squash(jtext(x)) not in text]
    assert not missing, "not on the page:\n" + "\n".join(missing)


@pytest.mark.parametrize("product_id", PRODUCT_IDS)
def test_given_prices_when_shown_then_fees_say_tax_included_and_premiums_do_not(
    built_site: Path, catalog: Catalog, product_id: str
) -> None:
    # Given each published price, When shown, Then a fee that includes tax reads `990円（税込）`,
    # and a premium (not taxable, or tax not stated) never carries 税込.
    product = catalog.product(product_id)
    text = read_page_text(built_site, f"products/{product_id}/")
    items = list(product.pricing.items) + [it for sp in product.service_products for it in sp.prices]
    for it in items:
        shown = price(it.amount, it.tax, it.from_price)
        assert squash(shown) in text, shown
        if it.tax != "tax_included":
            assert not re.search(re.escape(yen(it.amount)) + "〜?（税込）", text), f"{it.id}: premium shown with 税込"
        else:
            assert shown.endswith("（税込）")


def test_given_the_jlsa_product_when_built_then_its_plans_and_midterm_rows_are_whole_table_rows(
    built_site: Path,
) -> None:
    # Given plan A's annual contribution and the May start row, When built, Then each sits in its own table row.
    html = page_path(built_site, "products/watashi-no-omamori/").read_text(encoding="utf-8")
    row = re.search(r"<tr><th scope=\"row\">2025年5月1日</th>(.*?)</tr>", html)
    assert row, "mid-term row for 2025年5月1日 missing"
    assert [c for c in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1))] == [
        "25,270円",
        "20,170円",
        "14,560円",
        "10,710円",
        "2025年4月21日",
        "2025年5月27日",
    ]
    assert "<strong>27,560円</strong>" in html


def test_given_the_rider_when_built_then_its_refund_table_has_23_month_columns_in_a_scroll_box(
    built_site: Path,
) -> None:
    html = page_path(built_site, "products/stalker-rider/").read_text(encoding="utf-8")
    table = re.search(
        SCROLL_BOX + r'\s*<table class="data refund"[^>]*>(.*?)</table>',
        html,
        re.S,
    )
    assert table, "refund table not inside a focusable scroll container"
    header = re.search(r"<thead>(.*?)</thead>", table.group(1), re.S)
    assert header and header.group(1).count("<th") == 24  # row heading + 23 month columns


@pytest.mark.parametrize("product_id", PRODUCT_IDS)
def test_given_a_product_page_when_built_then_it_holds_the_three_forms_and_loads_their_scripts(
    built_site: Path, product_id: str
) -> None:
    html = page_path(built_site, f"products/{product_id}/").read_text(encoding="utf-8")
    for form in ("quote", "eligibility", "claim"):
        assert f'id="{form}-form"' in html
        # each script by its fingerprinted name (a changed script gets a new address)
        found = re.search(rf'src="/assets/js/({form}\.[0-9a-f]{{8}}\.js)"', html)
        assert found, form
        assert (built_site / "assets" / "js" / found.group(1)).is_file()
    # The search loader is written into the page itself, and not served a second time as a file.
    assert "siteSearchIndex" in html and "search_on_demand" not in html
    assert not list((built_site / "assets" / "js").glob("search_on_demand*"))
    # and it names the site's own Japanese word splitter, a file of the built site
    segmenter = re.search(r'var SEGMENTER_URL = "/(assets/js/tinyseg\.[0-9a-f]{8}\.js)";', html)
    assert segmenter and (built_site / segmenter.group(1)).is_file()


def test_given_the_site_when_built_then_every_table_on_product_pages_scrolls_in_its_own_box(built_site: Path) -> None:
    # A wide table must scroll inside a focusable region, never make the page scroll sideways.
    for product_id in PRODUCT_IDS:
        html = page_path(built_site, f"products/{product_id}/").read_text(encoding="utf-8")
        tables = html.count("<table")
        boxed = len(
            re.findall(r'<div class="table-scroll" role="region" aria-label="[^"]+" tabindex="0">\s*<table', html)
        )
        assert tables == boxed, f"{product_id}: {tables - boxed} table(s) outside a scroll box"


# ------------------------------------------------------------------------------------------
# Home, comparison, FAQ
# ------------------------------------------------------------------------------------------


def test_given_the_catalog_when_built_then_the_home_page_lists_each_product_with_price_and_audience(
    built_site: Path, catalog: Catalog
) -> None:
    text = read_page_text(built_site, "")
    for p in catalog.products:
        for expected in (p.short_name, p.tagline, p.for_whom):
            assert squash(jtext(expected)) in text, (p.id, expected)
    assert squash("月額 500円") in text
    assert squash("年間掛金 11,690円〜（Dプラン）") in text
    assert squash("月額 990円（税込）") in text


def test_given_the_catalog_when_built_then_the_comparison_page_sets_the_stalker_cover_side_by_side(
    built_site: Path, catalog: Catalog
) -> None:
    text = read_page_text(built_site, "compare/")
    for p in catalog.products:
        assert squash(p.short_name) in text and squash(p.name) in text, p.id
    me = catalog.product("and-me")
    for b in me.benefits:
        assert squash(b.name) in text and all(yen(lim.amount) in text for lim in b.limits), b.id
    assert yen(catalog.product("stalker-rider").benefit("countermeasure-costs").limits[0].amount) == "300,000円"
    assert "300,000円" in text
    smasapo = catalog.product("smasapo-club")
    for bid in ("mimai", "lodging-subsidy"):
        assert squash(smasapo.benefit(bid).name) in text and yen(smasapo.benefit(bid).limits[0].amount) in text
    assert "人格権侵害" in text
    jlsa = catalog.product("watashi-no-omamori")
    assert yen(jlsa.benefit("legal-fees").limits[0].amount) in text
    for plan in jlsa.plans:
        if "personality_rights" in plan.legal_troubles:
            assert yen(plan.annual_contribution) in text, plan.id
    assert squash(price(500, "not_taxable")) in text and squash(price(990, "tax_included")) in text


def test_given_the_catalog_when_built_then_the_faq_page_holds_every_question_under_its_product(
    built_site: Path, catalog: Catalog
) -> None:
    html = page_path(built_site, "faq/").read_text(encoding="utf-8")
    # Split the page at each product's heading; each part must hold that product's questions and topics.
    starts = sorted((html.index(f'<h2 id="{p.id}"'), p.id) for p in catalog.products)
    parts = {
        pid: html[pos : (starts[i + 1][0] if i + 1 < len(starts) else len(html))] for i, (pos, pid) in enumerate(starts)
    }
    for p in catalog.products:
        part = squash(re.sub(r"<[^>]+>", "", parts[p.id]))
        for f in p.faq:
            assert squash(jtext(f.q)) in part, (p.id, f.q)
            assert squash(f.topic) in part, (p.id, f.topic)
        assert p.faq, p.id


# ------------------------------------------------------------------------------------------
# Whole site
# ------------------------------------------------------------------------------------------


def _html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_given_the_built_site_when_scanned_then_nothing_is_loaded_from_another_host(built_site: Path) -> None:
    # Scripts, styles, fonts and images come from the site itself (it must work with no network).
    offenders = []
    for page in _html_files(built_site):
        html = page.read_text(encoding="utf-8")
        for m in re.finditer(r"<(script|link|img|iframe|source)\b[^>]*\b(?:src|href)=\"(https?:)?//", html):
            if 'rel="canonical"' in m.group(0):
                continue  # names the page's address; loads nothing
            offenders.append(f"{page.relative_to(built_site)}: {m.group(0)}")
        assert "fonts.googleapis" not in html and "googletagmanager" not in html
    for css in built_site.rglob("*.css"):
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", css.read_text(encoding="utf-8")), css
    assert not offenders, "\n".join(offenders)


def test_given_the_built_site_when_read_then_it_is_japanese_with_no_web_font(built_site: Path) -> None:
    html = page_path(built_site, "products/and-me/").read_text(encoding="utf-8")
    assert '<html lang="ja"' in html
    assert "fonts.gstatic" not in html and "fonts.googleapis" not in html
    [stylesheet] = (built_site / "assets" / "css").glob("site.*.css")
    css = stylesheet.read_text(encoding="utf-8")
    assert "IPAPGothic" in css and "@font-face" not in css


def test_given_no_yen_figure_typed_by_hand_when_content_is_read_then_prose_and_templates_hold_none() -> None:
    # Figures come from the catalog only: the hand-written prose and templates carry no `N円` or dates.
    content = Path(__file__).resolve().parents[2] / "website" / "content"
    files = (
        list((content / "prose").glob("*.md"))
        + list((content / "templates").rglob("*.j2"))
        + [content / "compare.yaml"]
    )
    for f in files:
        text = re.sub(r"\{#.*?#\}", "", f.read_text(encoding="utf-8"), flags=re.S)  # comments may give examples
        if f.suffix == ".yaml":
            text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
        assert not re.search(r"\d[\d,]*\s*(円|万円)", text), f"{f.name}: yen figure typed by hand"
        assert not re.search(r"\d{4}年\d{1,2}月", text), f"{f.name}: date typed by hand"


def test_given_the_built_site_when_scanned_then_every_page_ends_with_the_contact_block(
    built_site: Path, catalog: Catalog
) -> None:
    # Every page a person can land on (the 404 page too) carries the numbers to call, as tap-to-call links;
    # the claims desk's page is the staff's, not a customer's.
    pages = [p for p in _html_files(built_site) if "search" not in p.parts and "desk" not in p.parts]
    assert built_site / "404.html" in pages and len(pages) >= 5 + 5
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert html.count('class="contact-block"') == 1, page.relative_to(built_site)
    home = page_path(built_site, "").read_text(encoding="utf-8")
    for p in catalog.products:
        for c in p.contacts:
            if c.prospect:
                assert f'href="tel:{c.phone.replace("-", "")}"' in home, (p.id, c.phone)


def test_given_the_404_page_when_built_then_it_is_japanese_and_links_from_the_site_root(
    built_site: Path, catalog: Catalog
) -> None:
    # It answers any missing address, so its links cannot be relative to where it is shown.
    html = (built_site / "404.html").read_text(encoding="utf-8")
    assert "<h1>ページが見つかりません</h1>" in html and "Not found" not in html
    assert "<title>ページが見つかりません - あんしん商品ガイド</title>" in html
    for p in catalog.products:
        assert f'href="/products/{p.id}/"' in html, p.id
    assert 'href="/compare/"' in html and 'href="/faq/"' in html


@pytest.mark.parametrize("product_id", PRODUCT_IDS)
def test_given_a_product_when_built_then_its_web_addresses_and_mail_are_links_and_every_number_taps_to_call(
    built_site: Path, catalog: Catalog, product_id: str
) -> None:
    html = page_path(built_site, f"products/{product_id}/").read_text(encoding="utf-8")
    for c in catalog.product(product_id).contacts:
        if c.url:
            assert f'<a href="{c.url}" rel="noopener">{c.url}</a>' in html, c.url
        if c.email:
            assert f'href="mailto:{c.email}"' in html, c.email
        if c.phone:
            assert f'href="tel:{c.phone.replace("-", "")}"' in html, c.phone


def test_given_a_catalog_of_fifty_products_when_built_then_the_menu_home_compare_and_sitemap_hold_them_all(
    site_builder: str, tmp_path: Path
) -> None:
    # Given products.yaml with every product ten times over, and nothing else edited,
    from sitegen import build
    from sitegen.scaled import write_scaled_catalog

    catalog_path = write_scaled_catalog(10, tmp_path / "products.yaml")
    big = load_catalog(catalog_path)
    assert len(big.products) == 50
    # When the site is built, Then it builds, and each product is in the menu, on home and compare, and in the sitemap
    site = build(catalog_path=catalog_path, out_dir=tmp_path / "out", builder=site_builder).site_dir
    home = page_path(site, "").read_text(encoding="utf-8")
    compare = read_page_text(site, "compare/")
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    for p in big.products:
        assert (site / "products" / p.id / "index.html").is_file(), p.id
        assert f'href="products/{p.id}/"' in home, p.id  # the menu and the home card
        assert squash(p.short_name) in compare, p.id
        assert f"/products/{p.id}/</loc>" in sitemap, p.id


@pytest.mark.parametrize(
    ("product_id", "expected"),
    [
        ("and-me", ["契約概要", "注意喚起情報", "少額短期保険について", "保険契約者保護機構", "配偶者からのDV"]),
        ("watashi-no-omamori", ["契約概要", "注意喚起情報", "クーリングオフ", "告知義務", "損害保険契約者保護機構"]),
    ],
)
def test_given_an_insurance_product_when_built_then_its_notices_section_holds_the_overview_and_attention_items(
    built_site: Path, product_id: str, expected: list[str]
) -> None:
    html = page_path(built_site, f"products/{product_id}/").read_text(encoding="utf-8")
    start = html.index('id="notices"')
    section = squash(re.sub(r"<[^>]+>", "", html[start : html.index("</details>", start)]))
    missing = [x for x in expected if squash(x) not in section]
    assert not missing, missing
    # and the first screen links to it
    assert '<a href="#notices">重要事項</a>' in html


def test_given_the_claims_desk_page_then_search_engines_the_menu_search_and_customer_pages_leave_it_out(
    built_site: Path,
) -> None:
    desk = (built_site / "desk" / "index.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex, nofollow">' in desk
    assert "/desk/" not in (built_site / "sitemap.xml").read_text(encoding="utf-8")
    _, sections = search_index(built_site)
    assert not [s["location"] for s in sections if "desk/" in s["location"] or "請求担当" in s["title"] + s["text"]]
    for page in _html_files(built_site):
        if "desk" not in page.parts:
            assert 'href="/desk/' not in page.read_text(encoding="utf-8") and "desk/\"" not in page.read_text(
                encoding="utf-8"
            ), page.relative_to(built_site)


# ------------------------------------------------------------------------------------------
# Two builders, one site
# ------------------------------------------------------------------------------------------


def test_given_both_builders_when_built_then_every_page_is_there_with_the_same_text(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    mkdocs, zensical = (site_built_by(builder, tmp_path_factory) for builder in BUILDERS)
    pages = sorted(p.relative_to(mkdocs).as_posix() for p in mkdocs.rglob("index.html"))
    assert pages == sorted(p.relative_to(zensical).as_posix() for p in zensical.rglob("index.html"))
    assert len(pages) >= 13  # home, five products, compare, FAQ, the apply and status pages, the desk
    for page in pages:
        url = page[: -len("index.html")]
        assert read_page_text(mkdocs, url) == read_page_text(zensical, url), page


def test_given_an_unknown_builder_when_asked_then_the_build_names_the_two_it_knows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SITE_BUILDER", "hugo")
    with pytest.raises(SiteError, match="unknown site builder 'hugo': choose one of mkdocs, zensical"):
        chosen_builder()
    monkeypatch.setenv("SITE_BUILDER", "zensical")
    assert chosen_builder() == "zensical" and chosen_builder("mkdocs") == "mkdocs"
    monkeypatch.delenv("SITE_BUILDER")
    assert chosen_builder() == DEFAULT_BUILDER


def test_given_a_site_folder_outside_the_configurations_when_zensical_builds_then_it_builds_inside_and_moves(
    tmp_path: Path,
) -> None:
    # Zensical writes only inside the folder of its configuration: the project's site/ sits beside build/.
    config_dir, site_dir = tmp_path / "build", tmp_path / "site"
    assert builder_site_dir("zensical", config_dir, site_dir) == config_dir / "site"
    assert builder_site_dir("zensical", config_dir, config_dir / "site") == config_dir / "site"
    assert builder_site_dir("mkdocs", config_dir, site_dir) == site_dir
