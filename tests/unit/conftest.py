"""Fixtures for the catalog tests: the real products.yaml, loaded once per test run."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog import Catalog, load_catalog

REPO_ROOT = Path(__file__).resolve().parents[2]
PRODUCTS_YAML = REPO_ROOT / "products.yaml"


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """The catalog as the functions load it (the real file, validated and cross-checked)."""
    return load_catalog(PRODUCTS_YAML)


@pytest.fixture(scope="session")
def catalog_text() -> str:
    """The real products.yaml as text, for tests that feed mutated copies to parse_catalog."""
    return PRODUCTS_YAML.read_text(encoding="utf-8")
