"""Catalog entries are plain read-only records; the pydantic models that validate them are built only when
a catalog is validated, never when one is served from its snapshot."""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from catalog import Catalog, models
from catalog.loader import write_snapshot
from catalog.record import Record, model_of, validate

FUNCTIONS = Path(__file__).resolve().parents[2] / "functions"
RECORD_CLASSES = [
    c for _, c in inspect.getmembers(models, inspect.isclass) if issubclass(c, Record) and c is not Record
]


def test_every_catalog_class_is_a_record_and_none_is_a_pydantic_model() -> None:
    assert len(RECORD_CLASSES) > 60
    assert not [c.__name__ for c in RECORD_CLASSES if issubclass(c, BaseModel)]


def test_given_a_matching_snapshot_when_a_fresh_process_serves_the_catalog_then_no_pydantic_model_is_built(
    tmp_path: Path,
) -> None:
    copy = tmp_path / "products.yaml"
    copy.write_bytes((FUNCTIONS.parent / "products.yaml").read_bytes())
    write_snapshot(copy)
    code = (
        "import json, catalog, catalog.record as r; c = catalog.get_catalog(); "
        "print(json.dumps([len(r._MODELS), c.product('and-me').pricing.item('monthly').amount]))"
    )
    env = {**os.environ, "PYTHONPATH": str(FUNCTIONS), "CATALOG_PATH": str(copy)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == [0, 500]


def test_given_a_served_catalog_when_validated_again_from_its_own_data_then_it_is_equal(catalog: Catalog) -> None:
    again = validate(Catalog, catalog.to_dict())
    assert again == catalog
    assert again is not catalog and type(again) is Catalog


def test_given_a_record_when_a_field_is_set_or_deleted_then_it_is_refused(catalog: Catalog) -> None:
    product = catalog.product("and-me")
    with pytest.raises(AttributeError, match="read-only"):
        product.name = "別の商品"  # type: ignore[misc]
    with pytest.raises(AttributeError, match="read-only"):
        del product.name  # type: ignore[misc]
    assert product.name == catalog.product("and-me").name


def test_given_a_record_when_replaced_then_the_copy_differs_and_the_original_stays(catalog: Catalog) -> None:
    rule = next(r for r in catalog.product("and-me").benefit("countermeasures").claim_rules
                if isinstance(r, models.ExpenseWindowRule))
    longer = rule.replace(months=(rule.months or 0) + 1)
    assert longer.months == (rule.months or 0) + 1 and longer != rule
    assert type(longer) is models.ExpenseWindowRule
    assert {longer, rule} == {rule, longer} and hash(rule) == hash(rule.replace())


def test_given_fields_when_a_record_is_made_directly_then_they_are_validated_with_the_models_rules() -> None:
    clause = models.Clause(source="001.txt", text="文")
    assert (clause.source, clause.text, clause.section) == ("001.txt", "文", None)
    with pytest.raises(ValidationError, match="text"):
        models.Clause(source="001.txt", text="")
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        models.Clause(source="001.txt", text="文", page=3)


def test_given_a_model_validator_when_its_rule_is_broken_then_validation_says_so() -> None:
    base: dict[str, Any] = {"code": "WINDOW", "message": "m", "clause": {"source": "s", "text": "t"},
                            "kind": "expense_window"}
    with pytest.raises(ValidationError, match="give exactly one of months or days"):
        validate(models.ExpenseWindowRule, {**base, "months": 1, "days": 30})
    assert validate(models.ExpenseWindowRule, {**base, "days": 30}).days == 30


def test_the_validating_model_of_a_record_is_a_subclass_of_it_built_once() -> None:
    model = model_of(models.Benefit)
    assert issubclass(model, BaseModel) and issubclass(model, models.Benefit)
    assert model_of(models.Benefit) is model
    assert list(model.model_fields) == models.Benefit.field_names()
