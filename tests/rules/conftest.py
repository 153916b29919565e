"""Fixtures for the rules engines: the real catalog and its products."""

from __future__ import annotations

import pytest

from catalog import Catalog, get_catalog
from catalog.models import Product


@pytest.fixture(scope="session")
def cat() -> Catalog:
    return get_catalog()


@pytest.fixture(scope="session")
def and_me(cat: Catalog) -> Product:
    return cat.product("and-me")


@pytest.fixture(scope="session")
def omamori(cat: Catalog) -> Product:
    return cat.product("watashi-no-omamori")


@pytest.fixture(scope="session")
def smasapo(cat: Catalog) -> Product:
    return cat.product("smasapo-club")
