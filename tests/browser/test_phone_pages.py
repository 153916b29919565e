"""Product pages as a prospect sees them on a 390×844 phone: the first two screens carry the price, who
the product is for, what is paid, the way to apply and the call button; the whole page, its details
closed, stays within eight screens; a link or search result into a closed section opens it; every page
(home, compare, FAQ, claim status, 404) has a phone number to tap; with JavaScript off the figures and the
number are still there."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from catalog import load_catalog
from helpers.site import SEARCH_UI, serve
from sitegen.render import prospect_contact

pytestmark = pytest.mark.browser

CATALOG = load_catalog()
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
SCREEN = PHONE["height"]
PRODUCT_IDS = [p.id for p in CATALOG.products]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"


@pytest.fixture(scope="module")
def base_url(built_site: Path) -> Iterator[str]:
    yield from serve(built_site)


@pytest.fixture()
def phone(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=PHONE, locale="ja-JP")
    page = context.new_page()
    yield page
    context.close()


def top_of(page: Any, selector: str) -> float:
    """Distance in px from the top of the page to the element's top (the element must be shown)."""
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not shown"
    return float(box["y"] + page.evaluate("window.scrollY"))


def bottom_of(page: Any, selector: str) -> float:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not shown"
    return float(box["y"] + box["height"] + page.evaluate("window.scrollY"))


@pytest.mark.parametrize("product_id", PRODUCT_IDS)
def test_given_a_product_page_on_a_phone_when_opened_then_price_who_cover_apply_and_call_are_in_two_screens(
    phone: Any, base_url: str, product_id: str
) -> None:
    product = CATALOG.product(product_id)
    phone.goto(f"{base_url}products/{product_id}/", wait_until="networkidle")
    hero = phone.locator(".product-hero")
    # Given the page as it opens: the price and the audience are in the first screen's facts,
    assert "料金" in hero.inner_text() and "対象の方" in hero.inner_text()
    # Then the price, who it is for, the two actions and the first of what is paid end within two screens
    for selector in (".product-hero dl.keyfacts", ".actions--hero .action--apply", ".actions--hero .action--call"):
        assert bottom_of(phone, selector) <= 2 * SCREEN, f"{selector} ends below the second screen"
    assert top_of(phone, "ul.cover-cards > li") <= 2 * SCREEN - 120, "what is paid starts below the second screen"
    # and the apply button names the product's channel, the call button the number and hours
    assert phone.locator(".actions--hero .action--apply").inner_text() == product.apply.action
    call = prospect_contact(product)
    call_button = phone.locator(".actions--hero .action--call")
    if call is not None:
        assert call_button.get_attribute("href") == "tel:" + call.phone.replace("-", "")
        assert call.phone in call_button.inner_text()
        if call.hours:
            assert call.hours in call_button.inner_text()
    else:
        # No number a prospect can call: the button says where the members' number is written.
        assert call_button.get_attribute("href") == "#contact"
        assert product.contacts[0].label in call_button.inner_text()
    # and both are at least 44 px tall, easy to tap
    for selector in (".actions--hero .action--apply", ".actions--hero .action--call"):
        assert phone.locator(selector).bounding_box()["height"] >= 44, selector
    # and the whole page, its details closed, is no more than eight screens
    assert phone.locator("details.more[open]").count() == 0, "a section is open by default"
    assert phone.locator("details.more").count() >= 6
    height = phone.evaluate("document.documentElement.scrollHeight")
    assert height <= 8 * SCREEN, f"{height}px = {height / SCREEN:.1f} screens"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(SCREENSHOTS / f"{product_id}-first-screen-390x844.png"))


@pytest.mark.parametrize("product_id", PRODUCT_IDS)
def test_given_a_phone_scrolled_past_the_first_screen_then_apply_and_call_stay_at_the_bottom(
    phone: Any, base_url: str, product_id: str
) -> None:
    phone.goto(f"{base_url}products/{product_id}/", wait_until="networkidle")
    bar = phone.locator(".actions--bar")
    # Given the page scrolled to the middle, When the reader looks at the bottom of the screen,
    phone.evaluate("window.scrollTo(0, document.documentElement.scrollHeight / 2)")
    phone.wait_for_timeout(300)
    # Then the bar with both actions sits on the screen's bottom edge
    box = bar.bounding_box()
    assert box is not None and abs(box["y"] + box["height"] - SCREEN) <= 1, box
    assert bar.locator(".action--apply").is_visible() and bar.locator(".action--call").is_visible()
    # and it steps aside while the first screen's own buttons show, so they never show twice
    phone.evaluate("window.scrollTo(0, 0)")
    phone.wait_for_timeout(400)
    box = bar.bounding_box()
    assert box is not None and box["y"] >= SCREEN - 1, f"bar still on screen at the top: {box}"


def test_given_a_reader_scrolling_back_up_a_product_page_then_the_back_to_top_button_is_small_and_above_the_bar(
    phone: Any, base_url: str
) -> None:
    # Given the contacts at the end of a product page, reached from a link (the theme then offers its
    # back-to-top button), When the reader scrolls up a little,
    phone.goto(f"{base_url}products/watashi-no-omamori/#contacts", wait_until="networkidle")
    phone.mouse.wheel(0, -300)
    phone.wait_for_timeout(800)
    top = phone.locator(".md-top")
    assert top.is_visible()
    # Then the button is one line high and sits just above the bar, covering neither the page nor the bar
    box, bar = top.bounding_box(), phone.locator(".actions--bar").bounding_box()
    assert box is not None and bar is not None
    assert box["height"] <= 60, box
    assert box["y"] + box["height"] <= bar["y"] and box["y"] > SCREEN / 2, (box, bar)


def test_given_a_desktop_when_a_product_page_opens_then_there_is_no_bottom_bar_and_the_actions_sit_side_by_side(
    browser: Any, base_url: str
) -> None:
    context = browser.new_context(viewport=DESKTOP, locale="ja-JP")
    page = context.new_page()
    try:
        page.goto(f"{base_url}products/and-me/", wait_until="networkidle")
        assert not page.locator(".actions--bar").is_visible()
        apply, call = (page.locator(f".actions--hero {s}").bounding_box() for s in (".action--apply", ".action--call"))
        assert apply and call and abs(apply["y"] - call["y"]) < 1 and call["x"] > apply["x"]
        assert call["y"] + call["height"] <= DESKTOP["height"], "the actions are below the first screen"
    finally:
        context.close()


# Anchors into closed sections: a heading, a benefit, a table, a form, an FAQ topic.
ANCHORS = [
    ("and-me", "notices"),
    ("and-me", "benefit-lodging"),
    ("and-me", "faq-1"),
    ("stalker-rider", "refund-table"),
    ("watashi-no-omamori", "midterm"),
    ("smasapo-club", "eligibility-check"),
    ("home-alsok", "claim-check"),
]


@pytest.mark.parametrize(("product_id", "anchor"), ANCHORS)
def test_given_a_link_into_a_closed_section_when_opened_then_that_section_opens_and_its_target_is_on_screen(
    phone: Any, base_url: str, product_id: str, anchor: str
) -> None:
    # Given a link such as a search result or a shared address, When it is opened,
    phone.goto(f"{base_url}products/{product_id}/#{anchor}", wait_until="networkidle")
    target = phone.locator(f"[id='{anchor}']")
    # Then the section that holds the target is open, the target is shown on the screen, and only it is open
    assert target.is_visible()
    phone.wait_for_timeout(200)
    box = target.bounding_box()
    assert box is not None and 0 <= box["y"] < SCREEN, f"#{anchor} is at {box}"
    assert phone.locator("details.more[open]").count() == 1


def test_given_the_first_screen_link_to_notices_when_tapped_then_the_notices_open(phone: Any, base_url: str) -> None:
    phone.goto(f"{base_url}products/and-me/", wait_until="networkidle")
    phone.locator(".product-hero__links a[href='#notices']").click()
    notices = phone.locator("details.more", has=phone.locator("#notices"))
    notices.locator(".more__body").wait_for(state="visible")
    assert notices.evaluate("d => d.open")
    assert CATALOG.product("and-me").notices[0].text[:20] in notices.inner_text()


PAGES = ["", "compare/", "faq/", "claims/status/", "no-such-page/", *[f"products/{p}/" for p in PRODUCT_IDS]]


@pytest.mark.parametrize("path", PAGES)
def test_given_any_page_when_opened_on_a_phone_then_a_phone_number_is_there_to_tap(
    phone: Any, base_url: str, path: str
) -> None:
    phone.goto(base_url + path, wait_until="networkidle")
    block = phone.locator(".contact-block")
    assert block.count() == 1 and block.is_visible(), "no contact block"
    product = next((p for p in CATALOG.products if path == f"products/{p.id}/"), None)
    if product is not None and prospect_contact(product) is None:
        # No number a prospect can call: the page says where the members' number is written.
        assert product.contacts[0].label in block.inner_text()
        return
    links = block.locator("a[href^='tel:']")
    assert links.count() >= 1
    for i in range(links.count()):
        link = links.nth(i)
        link.scroll_into_view_if_needed()
        box = link.bounding_box()
        assert box is not None and box["height"] >= 44, f"tap-to-call link {box} is too small"
    if product is not None:
        call = prospect_contact(product)
        assert call is not None and call.phone in block.inner_text()


def test_given_a_missing_address_when_opened_then_the_page_is_japanese_with_links_to_every_product(
    phone: Any, base_url: str
) -> None:
    phone.goto(base_url + "products/no-such-product/", wait_until="networkidle")
    assert phone.locator("article h1").inner_text() == "ページが見つかりません"
    assert "見つかりません" in phone.title()
    for p in CATALOG.products:
        link = phone.locator("article .not-found-links a", has_text=p.short_name)
        assert link.count() == 1, p.id
        link.click()
        assert phone.url == f"{base_url}products/{p.id}/"
        assert phone.locator("article h1").inner_text().startswith(p.name[:10])
        phone.go_back()


@pytest.mark.parametrize("product_id", PRODUCT_IDS)
def test_given_javascript_off_when_a_product_page_opens_then_the_price_and_the_number_are_still_shown(
    browser: Any, base_url: str, product_id: str
) -> None:
    product = CATALOG.product(product_id)
    context = browser.new_context(viewport=PHONE, locale="ja-JP", java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{base_url}products/{product_id}/")
        hero = page.locator(".product-hero")
        assert hero.is_visible() and "料金" in hero.inner_text()
        call = prospect_contact(product)
        if call is not None:
            assert page.locator(f".actions--hero a[href='tel:{call.phone.replace('-', '')}']").is_visible()
        # and a closed section still opens by tapping it (no script needed), showing its figures
        page.locator("details.more > summary", has=page.locator("#notices")).click()
        assert page.locator("details.more", has=page.locator("#notices")).locator(".more__body").is_visible()
    finally:
        context.close()


SEARCH_INDEXES = ("/search/search_index.json", "/search.json")  # MkDocs', Zensical's


def test_given_a_product_page_when_opened_then_the_search_loads_only_once_search_is_opened(
    phone: Any, base_url: str, site_builder: str
) -> None:
    # Given a reader who opens a product page and reads it,
    fetched: list[str] = []
    phone.on("request", lambda req: fetched.append(req.url))
    phone.goto(f"{base_url}products/and-me/", wait_until="networkidle")
    phone.wait_for_timeout(500)
    # Then neither the search index nor its worker or word splitter was downloaded,
    search_files = (*SEARCH_INDEXES, "/workers/search.", "/lunr/", "/tinyseg.")
    assert not [u for u in fetched if any(s in u for s in search_files)], fetched
    # When the reader opens search and types a word, Then the index loads and the results come up
    ui = SEARCH_UI[site_builder]
    phone.locator(ui.opener).first.click()
    box = phone.locator(ui.box)
    box.fill("引越")
    box.press("End")
    phone.locator(ui.result).first.wait_for(timeout=10_000)
    assert any(index in u for u in fetched for index in SEARCH_INDEXES)
    assert any("/workers/search." in u for u in fetched)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_given_the_compare_page_when_opened_then_every_product_has_a_card_with_the_same_rows_and_its_actions(
    browser: Any, base_url: str, viewport: dict[str, int]
) -> None:
    context = browser.new_context(viewport=viewport, locale="ja-JP")
    page = context.new_page()
    try:
        page.goto(f"{base_url}compare/", wait_until="networkidle")
        cards = page.locator(".compare-card")
        assert cards.count() == len(PRODUCT_IDS)
        labels = [cards.nth(i).locator(".compare-row__label").all_inner_texts() for i in range(cards.count())]
        assert all(row == labels[0] for row in labels) and labels[0][0] == "料金" and labels[0][-1] == "加入できる方"
        for i, product_id in enumerate(PRODUCT_IDS):
            card = cards.nth(i)
            assert card.locator("h2").get_attribute("id") == product_id
            apply = card.locator(".action--apply")
            assert apply.get_attribute("href").endswith(f"products/{product_id}/#apply")
            assert apply.inner_text() == CATALOG.product(product_id).apply.action
            call = prospect_contact(CATALOG.product(product_id))
            if call is not None:
                assert card.locator(f"a[href='tel:{call.phone.replace('-', '')}']").count() == 1
        if viewport is DESKTOP:
            # all five side by side in the first screen, their rows lined up as in a table
            heads = [cards.nth(i).locator("h2").bounding_box() for i in range(cards.count())]
            assert all(h is not None and h["y"] + 40 < DESKTOP["height"] for h in heads), heads
            assert len({round(h["y"]) for h in heads if h}) == 1
            rows = [cards.nth(i).locator(".compare-row").nth(2).bounding_box() for i in range(cards.count())]
            assert len({round(r["y"]) for r in rows if r}) == 1, rows
            right = max(h["x"] + h["width"] for h in heads if h)
            assert right <= DESKTOP["width"]
        else:
            # on a phone the card's name stays at the top of the screen while the card scrolls
            card = cards.nth(0)
            card.locator(".compare-row").nth(4).scroll_into_view_if_needed()
            head = card.locator("h2").bounding_box()
            assert head is not None and 0 <= head["y"] <= 60, head
    finally:
        context.close()


# Every element inside the screen's width; a wide table scrolls inside its own box, which then says so.
CLIPPED = """() => {
  document.querySelectorAll("details").forEach(d => { d.open = true; });
  window.dispatchEvent(new Event("resize"));
  const width = window.innerWidth;
  const problems = [];
  const name = el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + (typeof el.className === "string" && el.className ? "." + el.className.trim().split(/\\s+/).join(".") : "");
  for (const el of document.querySelectorAll("article *")) {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height) continue;
    const box = el.closest(".table-scroll");
    if (box && box !== el) {
      const b = box.getBoundingClientRect();
      if (r.right > b.right + 1 || r.left < b.left - 1) {
        // partly hidden in its scroll box: the box must scroll and say so
        const cue = box.previousElementSibling;
        const cueShown = cue && cue.classList.contains("scroll-cue") && cue.getBoundingClientRect().height > 0;
        if (!(box.scrollWidth > box.clientWidth && cueShown)) problems.push("hidden without a cue: " + name(el));
      }
      continue;
    }
    if (r.right > width + 1 || r.left < -1) {
      problems.push(name(el) + " spans " + Math.round(r.left) + "–" + Math.round(r.right));
    }
  }
  if (document.scrollingElement.scrollWidth > width) problems.push("page scrolls sideways");
  return problems.slice(0, 15);
}"""


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("path", ["", "compare/", "faq/", *[f"products/{p}/" for p in PRODUCT_IDS]])
def test_given_a_page_with_every_section_open_when_measured_then_nothing_is_clipped(
    browser: Any, base_url: str, path: str, viewport: dict[str, int]
) -> None:
    context = browser.new_context(viewport=viewport, locale="ja-JP")
    page = context.new_page()
    try:
        page.goto(base_url + path, wait_until="networkidle")
        problems = page.evaluate(CLIPPED)
        assert not problems, problems
    finally:
        context.close()


def test_given_the_rider_refund_lookup_when_a_row_and_months_are_picked_then_the_one_figure_of_the_table_shows(
    phone: Any, base_url: str
) -> None:
    rider = CATALOG.product("stalker-rider")
    table = rider.refund_table
    assert table is not None
    phone.goto(f"{base_url}products/stalker-rider/#refund-table", wait_until="networkidle")
    lookup = phone.locator("form.table-lookup")
    # the full table is there, folded under the lookup
    assert not phone.locator("details.table-all").evaluate("d => d.open")
    for row_index, col_index in [(0, 0), (4, 11), (len(table.rows) - 1, len(table.columns) - 1)]:
        lookup.locator("select[name=row]").select_option(str(row_index))
        lookup.locator("select[name=col]").select_option(str(col_index))
        expected = f"{table.rows[row_index].cells[col_index]:,}円"
        assert lookup.locator("output").inner_text() == expected, (row_index, col_index)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
