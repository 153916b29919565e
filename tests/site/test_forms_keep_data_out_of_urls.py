"""No form of the built site can put what a person typed into an address: each says method="post" (a
browser never writes a POST's fields into the URL), and each of its submit buttons is disabled until the
form's own script is there to send it (a form submitted before its script loaded, on a slow phone or without
JavaScript, would otherwise reload the page with the fields in the query string, kept by every log)."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, object]] = []
        self._open: dict[str, object] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self._open = {"class": a.get("class"), "method": (a.get("method") or "get").lower(), "submits": []}
            self.forms.append(self._open)
        elif self._open is not None and tag in ("button", "input"):
            kind = (a.get("type") or ("submit" if tag == "button" else "text")).lower()
            if kind in ("submit", "image"):
                self._open["submits"].append({"disabled": "disabled" in a, "waits": "data-needs-script" in a})  # type: ignore[union-attr]

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._open = None


def test_given_every_built_page_then_each_form_posts_and_its_buttons_wait_for_its_script(built_site: Path) -> None:
    seen, wrong = 0, []
    for page in sorted(built_site.rglob("*.html")):
        parser = _Forms()
        parser.feed(page.read_text(encoding="utf-8"))
        for form in parser.forms:
            seen += 1
            buttons = form["submits"]
            if form["method"] != "post" or not all(b["disabled"] and b["waits"] for b in buttons):  # type: ignore[attr-defined]
                wrong.append(f"{page.relative_to(built_site)}: {form}")
    assert seen >= 10  # the quote, refund, eligibility and claim forms, the application and the status pages ...
    assert wrong == []
