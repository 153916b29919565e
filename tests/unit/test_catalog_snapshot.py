"""The validated-catalog snapshot that spares a cold start the validation: used only when it matches."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from catalog import loader

REAL = Path(__file__).resolve().parents[2] / "products.yaml"


@pytest.fixture
def catalog_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy = tmp_path / "products.yaml"
    shutil.copy(REAL, copy)
    monkeypatch.setenv("CATALOG_PATH", str(copy))
    loader.get_catalog.cache_clear()
    yield copy
    loader.get_catalog.cache_clear()


def test_given_no_snapshot_when_the_catalog_is_first_served_then_it_is_validated_and_a_snapshot_written(
    catalog_copy: Path,
) -> None:
    catalog = loader.get_catalog()
    assert catalog.product("and-me").pricing.item("monthly").amount == 500
    assert loader.snapshot_path(catalog_copy).exists()


def test_given_a_matching_snapshot_when_served_then_the_snapshot_is_used(
    catalog_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loader.write_snapshot(catalog_copy)

    def refuse(_: str) -> None:
        raise AssertionError("validated again despite a matching snapshot")

    monkeypatch.setattr(loader, "parse_catalog", refuse)
    assert loader.get_catalog().product("watashi-no-omamori").plan("A").annual_contribution == 27560


def test_given_a_stale_snapshot_when_the_catalog_changed_then_the_new_figures_are_served(catalog_copy: Path) -> None:
    loader.write_snapshot(catalog_copy)
    text = catalog_copy.read_text(encoding="utf-8")
    catalog_copy.write_text(text.replace("amount: 990\n", "amount: 1100\n", 1), encoding="utf-8")

    served = loader.get_catalog()

    assert served.product("smasapo-club").pricing.item("monthly").amount == 1100


def test_given_a_bad_catalog_and_an_old_snapshot_when_served_then_the_catalog_is_refused(catalog_copy: Path) -> None:
    loader.write_snapshot(catalog_copy)
    text = catalog_copy.read_text(encoding="utf-8")
    catalog_copy.write_text(text.replace("amount: 990\n", "amount: '990円'\n", 1), encoding="utf-8")

    with pytest.raises(loader.CatalogError, match="expected int yen"):
        loader.get_catalog()


def test_given_a_corrupt_snapshot_when_served_then_it_is_ignored(catalog_copy: Path) -> None:
    loader.snapshot_path(catalog_copy).write_bytes(b"not a pickle")
    assert loader.get_catalog().product("stalker-rider").benefit("countermeasure-costs").payout is not None
