"""End-to-end: the built site and `python -m devserver` (as `make run` starts it), driven by headless Chromium
on a phone viewport. Screenshots of each journey go to test-output/e2e/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from helpers.devserver import RunningStack, running_devserver
from helpers.phone import Phone


@pytest.fixture(scope="module")
def stack(default_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    with running_devserver(default_site, tmp_path_factory.mktemp("e2e-logs")) as running:
        yield running



@pytest.fixture
def phone(browser: Any, request: pytest.FixtureRequest) -> Iterator[Phone]:
    name = request.node.name.removeprefix("test_given_")[:60]
    tab = Phone(browser, name)
    yield tab
    tab.screenshot("end")
    tab.close()
