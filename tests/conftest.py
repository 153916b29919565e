"""Test-wide setup: pytest puts this directory on sys.path, so tests import shared helpers as `helpers.*`."""

from helpers.browser import browser  # noqa: F401 - session fixture: one headless Chromium for all browser tests

# session fixtures: the product site, built once by each builder
from helpers.site import built_site, default_site, site_builder  # noqa: F401
