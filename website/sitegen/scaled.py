"""A catalog with every product repeated: the site (and its bench) must take any number of products
from products.yaml alone. Each copy gets its own id and name suffix; everything else is the original."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from sitegen.render import ROOT


def scaled_catalog_text(times: int, source: Path = ROOT / "products.yaml") -> str:
    """products.yaml with each product present `times` times (the originals first, then the copies)."""
    raw: dict[str, Any] = yaml.safe_load(source.read_text(encoding="utf-8"))
    originals = raw["products"]
    copies = []
    for n in range(2, times + 1):
        for product in originals:
            twin = copy.deepcopy(product)
            twin["id"] = f"{product['id']}-{n}"
            twin["short_name"] = f"{product['short_name']}（{n}）"
            twin["name"] = f"{product['name']}（{n}）"
            copies.append(twin)
    raw["products"] = originals + copies
    return str(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False, width=10**6))


def write_scaled_catalog(times: int, target: Path) -> Path:
    target.write_text(scaled_catalog_text(times), encoding="utf-8")
    return target
