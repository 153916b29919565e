"""`python -m catalog [path]`: load the catalog and print one line per product; exit 1 if it is bad."""

from __future__ import annotations

import sys

from catalog.loader import CatalogError, load_catalog
from catalog.models import KIND_LABELS


def main(argv: list[str]) -> int:
    path = argv[1] if len(argv) > 1 else None
    try:
        catalog = load_catalog(path)
    except CatalogError as exc:
        print(f"products.yaml is invalid ({len(exc.problems)} problem(s)):", file=sys.stderr)
        for line in exc.problems:
            print(f"  {line}", file=sys.stderr)
        return 1
    for product in catalog.products:
        tables = [
            name
            for name, table in (
                ("plans", product.plans),
                ("midterm_table", product.midterm_table),
                ("refund_table", product.refund_table),
                ("dispatch_fee_table", product.dispatch_fee_table),
            )
            if table
        ]
        print(
            f"{product.id:<20} {KIND_LABELS[product.kind]:<8} benefits={len(product.benefits)} "
            f"rules={len(product.eligibility)} faq={len(product.faq)} tables={','.join(tables) or '-'}"
            f"  [{product.source}]"
        )
    print(f"catalog {catalog.version}: {len(catalog.products)} products, {len(catalog.sources)} sources: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
