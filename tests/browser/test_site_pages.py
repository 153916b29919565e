"""The product site in headless Chromium: every product page at a phone (390×844) and a desktop
(1280×800) viewport loads with no console error, never scrolls sideways, passes axe-core with no
serious or critical violation; the Japanese search finds the words prospects type."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from catalog import load_catalog
from helpers.site import SEARCH_UI, SearchUi, serve

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-output" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
PRODUCT_IDS = [p.id for p in load_catalog().products]
OTHER_PAGES = ["", "compare/", "faq/", "claims/status/", "no-such-page/"]

# What a prospect types, and pages that must be among the results.
SEARCHES = {
    "ストーカー": ["products/and-me/", "products/stalker-rider/", "compare/"],
    "引越": ["products/and-me/"],
    "中途加入": ["products/watashi-no-omamori/"],
    "見舞金": ["products/smasapo-club/", "products/home-alsok/"],
    "弁護士": ["products/watashi-no-omamori/", "products/and-me/"],
    "宿泊": ["products/and-me/", "products/smasapo-club/"],
}


@pytest.fixture(scope="module")
def base_url(built_site: Path) -> Iterator[str]:
    yield from serve(built_site)



def open_page(browser: Any, url: str, viewport: dict[str, int]) -> tuple[Any, Any, list[str]]:
    """A fresh page at the viewport, loaded and idle; returns (context, page, errors): console errors, script
    errors and any file the page asked for that failed. The 404 page's own status is its answer, not an error."""
    context = browser.new_context(viewport=viewport, locale="ja-JP")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("requestfailed", lambda req: errors.append(f"failed: {req.url}"))
    page.on("response", lambda r: errors.append(f"{r.status}: {r.url}") if r.status >= 400 and r.url != url else None)
    answer = page.goto(url, wait_until="networkidle")
    if answer is not None and answer.status == 404:
        own = "Failed to load resource: the server responded with a status of 404 (Not Found)"
        if own in errors:
            errors.remove(own)
    return context, page, errors


def axe_violations(page: Any) -> list[str]:
    # Through DevTools, not as a <script>: the page's content security policy refuses scripts it does not list.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    found = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ["violations"]});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                           nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
        }"""
    )
    return [
        f"{v['impact']} {v['id']}: {v['help']} {v['nodes']}" for v in found if v["impact"] in ("serious", "critical")
    ]


def check_page(browser: Any, base_url: str, path: str, viewport: dict[str, int], shot: str) -> None:
    context, page, errors = open_page(browser, base_url + path, viewport)
    try:
        # Then it has loaded completely with no console error
        assert page.locator("article h1").count() == 1
        assert not errors, errors
        # and the page itself never scrolls sideways (wide tables scroll inside their own box)
        width, inner = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
        assert width <= inner, f"page is {width}px wide in a {inner}px viewport"
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{shot}-{viewport['width']}x{viewport['height']}.png"))
        # and axe-core finds nothing serious or critical
        assert not axe_violations(page)
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("product_id", PRODUCT_IDS)
def test_given_a_product_page_when_opened_then_it_loads_clean_fits_the_screen_and_passes_axe(
    browser: Any, base_url: str, product_id: str, viewport: dict[str, int]
) -> None:
    check_page(browser, base_url, f"products/{product_id}/", viewport, product_id)


@pytest.mark.parametrize("path", OTHER_PAGES, ids=["home", "compare", "faq", "claim-status", "404"])
def test_given_the_home_comparison_and_faq_pages_when_opened_on_a_phone_then_they_fit_and_pass_axe(
    browser: Any, base_url: str, path: str
) -> None:
    check_page(browser, base_url, path, PHONE, path.strip("/").replace("/", "-") or "home")


def open_search(page: Any, ui: SearchUi) -> None:
    """Start searching as a reader would: the magnifier on a phone, the search box or button on a wide screen."""
    page.locator(ui.opener).first.click()
    page.locator(ui.box).wait_for()


def type_query(page: Any, ui: SearchUi, query: str) -> None:
    """Type a query in the open search box and wait for its results. The theme runs the query on key
    events, so each fill is followed by a key press; the box is emptied first so that any result on
    screen belongs to this query."""
    box = page.locator(ui.box)
    box.fill("")
    box.press("End")
    page.locator(ui.result).first.wait_for(state="detached")
    box.fill(query)
    box.press("End")
    page.locator(ui.result).first.wait_for(timeout=10_000)


def all_results(page: Any, ui: SearchUi) -> Any:
    """The results' links, after scrolling the list as a reader would until no more come (Zensical shows
    twenty at a time)."""
    results = page.locator(ui.result)
    count = -1
    while results.count() != count:
        count = results.count()
        results.nth(count - 1).scroll_into_view_if_needed()
        page.wait_for_timeout(300)
    return results


def search(page: Any, ui: SearchUi, word: str) -> list[str]:
    """Type a word in the open search box; return the result page paths, best first."""
    type_query(page, ui, word)
    hrefs = all_results(page, ui).evaluate_all("els => els.map(e => e.href)")
    paths = [re.sub(r"^https?://[^/]+/|[?#].*$", "", h) for h in hrefs]
    return list(dict.fromkeys(paths))


def test_given_the_site_search_when_a_prospect_types_japanese_words_then_the_right_pages_come_up(
    browser: Any, base_url: str, site_builder: str
) -> None:
    # Given a product page on a phone with the search open,
    ui = SEARCH_UI[site_builder]
    context, page, errors = open_page(browser, base_url + "products/and-me/", PHONE)
    try:
        open_search(page, ui)
        for word, expected in SEARCHES.items():
            # When a prospect types the word, Then the pages about it are found, and the best hit is one
            # of them (or the comparison / FAQ pages that gather every product).
            found = search(page, ui, word)
            missing = [p for p in expected if p not in found]
            assert not missing, f"{word}: {missing} not in {found}"
            assert found[0] in [*expected, "compare/", "faq/"], f"{word}: best hit {found[0]}"
            if word == "ストーカー":
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(SCREENSHOTS / "search-390x844.png"))
        assert not errors, errors
    finally:
        context.close()


def search_results(page: Any, ui: SearchUi, query: str) -> list[tuple[str, str]]:
    """(address, title) of each result for a query typed in the open search box, best first."""
    type_query(page, ui, query)
    page.wait_for_timeout(300)
    return page.locator(ui.result).evaluate_all(
        "els => els.map(e => [e.href, (e.querySelector('h1, h2') || e).textContent.trim()])",
    )


CATALOG = load_catalog()
# Phrases as people type them (no spaces, question words, particles), and the question that answers each.
PHRASES = {
    "警察に相談": ("and-me", "警察へ相談したことがありますが、保険に加入できますか。"),
    "いつから補償": ("and-me", "申込み後、いつから補償されますか?"),
    "解約 返金": ("stalker-rider", "解約したときの返還保険料は変わりましたか。"),
    "途中で脱退したい": ("watashi-no-omamori", "途中で脱退（解約）するとどうなりますか。"),
    "DVを受けている": ("and-me", "DVを受けています。この保険の対象になりますか?"),
}
# Words typed apart: when no section holds them all, the search loader falls back to any of them under
# Material for MkDocs; Zensical's search finds only sections that hold every word (README: two builders).
ANY_OF_THE_WORDS = {"解約 返金"}


def test_given_phrases_people_type_when_searched_then_the_question_that_answers_them_is_found_and_opens(
    browser: Any, base_url: str, site_builder: str
) -> None:
    ui = SEARCH_UI[site_builder]
    context, page, errors = open_page(browser, base_url + "products/and-me/", PHONE)
    try:
        open_search(page, ui)
        for phrase, (product_id, question) in PHRASES.items():
            assert question in [f.q for f in CATALOG.product(product_id).faq], question
            if site_builder == "zensical" and phrase in ANY_OF_THE_WORDS:
                continue
            # When the phrase is typed, Then the question is among the first ten results
            results = search_results(page, ui, phrase)[:10]
            titles = [title for _, title in results]
            assert question in titles, f"{phrase}: {titles}"
        # and a result opens that very question, its answer on screen
        href = next(h for h, t in results if t == question and "/faq/" in h)
        page.goto(href, wait_until="networkidle")
        target = page.locator(f"[id='{href.split('#')[1]}']")
        answer = target.locator("xpath=ancestor::details[1]/p")
        assert answer.is_visible() and answer.bounding_box()["y"] < PHONE["height"]
        assert not errors, errors
    finally:
        context.close()


RECORD_VIOLATIONS = """
    window.__violations = [];
    document.addEventListener("securitypolicyviolation", (e) =>
        window.__violations.push(`${e.violatedDirective}: ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
"""


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_given_the_production_security_policy_when_a_reader_uses_the_pages_then_nothing_is_refused(
    browser: Any, base_url: str, site_builder: str, viewport: dict[str, int]
) -> None:
    # Given CloudFront's content security policy (no inline script or style but the listed hashes)
    context = browser.new_context(viewport=viewport, locale="ja-JP")
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    seen: list[str] = []
    try:
        for path in ["", "compare/", "faq/", "apply/and-me/", "apply/watashi-no-omamori/", "claims/status/",
                     *[f"products/{p}/" for p in PRODUCT_IDS]]:
            page.goto(base_url + path, wait_until="networkidle")
            # When every closed section is opened and the search is used
            page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
            if path in ("", "products/and-me/"):
                open_search(page, SEARCH_UI[site_builder])
                type_query(page, SEARCH_UI[site_builder], "ストーカー")
            seen += [f"{path}: {v}" for v in page.evaluate("window.__violations")]
        # Then the browser refused nothing the pages do
        assert not seen, seen
        # and the comparison's cards still line up on a wide screen (their row count set by script)
        page.goto(base_url + "compare/", wait_until="networkidle")
        grid = "getComputedStyle(document.querySelector('.compare-grid'))"
        rows = page.evaluate(f"{grid}.getPropertyValue('--compare-rows')")
        assert rows.strip().isdigit() and int(rows) > 2
    finally:
        context.close()
