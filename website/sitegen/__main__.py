"""`python -m sitegen build [--catalog PATH] [--out DIR]`: render the pages and build the site."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from catalog import CatalogError
from sitegen.build import BUILDERS, SiteError, build


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sitegen", description="Build the product site from products.yaml.")
    sub = parser.add_subparsers(dest="command", required=True)
    cmd = sub.add_parser("build", help="render the pages and build the site in strict mode")
    cmd.add_argument("--catalog", help="products.yaml to use (default: CATALOG_PATH or the project's own)")
    cmd.add_argument("--out", type=Path, help="build into DIR/docs and DIR/site instead of build/docs and site/")
    cmd.add_argument("--builder", choices=BUILDERS, help="mkdocs or zensical (default: SITE_BUILDER, else mkdocs)")
    args = parser.parse_args(argv)
    try:
        result = build(catalog_path=args.catalog, out_dir=args.out, builder=args.builder)
    except (CatalogError, SiteError) as exc:
        print(f"site build failed:\n{exc}", file=sys.stderr)
        return 1
    print(f"site built by {result.builder} in {result.seconds:.1f}s -> {result.site_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
