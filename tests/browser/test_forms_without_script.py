"""Every form of the site, used before its script has run (a slow phone, or JavaScript off), in Chromium at
390×844: a person types into each field and presses Enter, then the button; nothing they typed reaches an
address (the page's own, or any request's), and the page stays where it is."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from helpers.site import serve

pytestmark = pytest.mark.browser

TYPED = "zzq7typed"
TEXT_FIELDS = "input:not([type]), input[type=text], input[type=email], input[type=tel], input[type=search], textarea"
# other fields whose Enter sends the form (HTML's implicit submission), with a value each takes
VALUED_FIELDS = {"input[type=date]": "2026-12-01", "input[type=number]": "1"}


@pytest.fixture(scope="module")
def base_url(built_site: Path) -> Iterator[str]:
    yield from serve(built_site)


def _pages_with_forms(site: Path) -> list[str]:
    return sorted(str(p.relative_to(site).parent).replace(".", "") + "/" if p.name == "index.html"
                  else str(p.relative_to(site))
                  for p in site.rglob("*.html") if "<form" in p.read_text(encoding="utf-8"))


def test_given_every_form_used_before_its_script_runs_then_nothing_typed_reaches_an_address(
    browser: Any, built_site: Path, base_url: str
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ja-JP")
    context.route("**/*.js", lambda route: route.abort())  # no script arrives, the theme's included
    asked: list[str] = []
    context.on("request", lambda request: asked.append(request.url))
    page = context.new_page()
    tried = 0
    try:
        for path in _pages_with_forms(built_site):
            url = f"{base_url}{path.lstrip('/')}"
            page.goto(url)
            # what a person can do without a script: open every section (a tap on its heading), and the
            # theme's search box (its label ticks a checkbox)
            page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
            page.evaluate("document.querySelectorAll('#__search').forEach(c => { c.checked = true; })")
            for form in page.locator("form").all():
                fields = [(f, TYPED) for f in form.locator(TEXT_FIELDS).all() if f.is_visible() and f.is_editable()]
                for selector, value in VALUED_FIELDS.items():
                    fields += [(f, value) for f in form.locator(selector).all() if f.is_visible() and f.is_editable()]
                if not fields:
                    continue
                tried += 1
                for field, value in fields:
                    field.fill(value)
                fields[0][0].press("Enter")
                for button in form.locator("button[type=submit], input[type=submit]").all():
                    if button.is_visible():
                        button.click(force=True, timeout=2000)
                page.wait_for_timeout(200)
                assert page.url.split("#")[0] == url, f"{path}: the form left the page for {page.url}"
    finally:
        context.close()
    assert tried >= 8, tried  # the product pages' forms, the application, the status pages, the search ...
    assert [u for u in asked if TYPED in u] == []
