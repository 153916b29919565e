"""Test-wide setup: pytest puts this directory on sys.path, so tests import shared helpers as `helpers.*`."""

from helpers.browser import browser  # noqa: F401 - session fixture: one headless Chromium for all browser tests
from helpers.site import built_site  # noqa: F401 - session fixture: the product site, built once
