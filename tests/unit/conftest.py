"""Fixtures for the catalog tests: the real products.yaml, loaded once per test run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

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


@pytest.fixture(scope="session")
def catalog_raw(catalog_text: str) -> dict[str, Any]:
    """products.yaml as plain YAML data, read without the catalog loader (read-only: copy before changing)."""
    data: dict[str, Any] = yaml.load(catalog_text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return data
