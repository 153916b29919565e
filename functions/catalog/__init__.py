"""The product catalog (products.yaml) as one strict model."""

from catalog.loader import CatalogError, get_catalog, load_catalog, parse_catalog
from catalog.models import Catalog, Product

__all__ = ["Catalog", "CatalogError", "Product", "get_catalog", "load_catalog", "parse_catalog"]
