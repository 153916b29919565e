"""A phone-sized browser tab for end-to-end tests: page errors recorded, screenshots numbered per test."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from helpers.devserver import ROOT

SCREENSHOTS = ROOT / "test-output" / "e2e"
PHONE = {"width": 390, "height": 844}


class Phone:
    """One browser tab at 390×844 that records page errors and saves numbered screenshots."""

    def __init__(self, browser: Any, name: str) -> None:
        self.context = browser.new_context(viewport=PHONE, locale="ja-JP", timezone_id="Asia/Tokyo")
        self.page = self.context.new_page()
        self.name = name
        self.errors: list[str] = []
        self.shots = 0
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on(
            "console", lambda msg: self.errors.append(msg.text) if msg.type == "error" else None
        )

    def screenshot(self, step: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.shots += 1
        path = SCREENSHOTS / f"{self.name}-{self.shots:02d}-{step}.png"
        self.page.screenshot(path=str(path), full_page=False)
        return path

    def close(self) -> None:
        self.context.close()
