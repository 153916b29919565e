"""GET /api/v1/products: the catalog in brief (ids, names, plans, prices, payment options) for forms and apps."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from api.routes.common import problem_responses
from catalog import get_catalog
from catalog.models import Product
from schemas.base import ApiModel

router = APIGatewayRouter()


class PriceOut(ApiModel):
    id: str
    label: str
    amount: int
    unit: str
    tax: str
    from_price: bool


class PlanOut(ApiModel):
    id: str
    name: str
    annual_contribution: int | None = None
    monthly_price: int | None = None


class PaymentMethodOut(ApiModel):
    id: str
    label: str
    frequencies: list[str]


class ProductOut(ApiModel):
    id: str
    name: str
    short_name: str
    kind: str
    tagline: str
    plans: list[PlanOut]
    prices: list[PriceOut]
    payment_methods: list[PaymentMethodOut]
    quotable: bool
    refundable_online: bool


class ProductsOut(ApiModel):
    catalog_version: str
    products: list[ProductOut]


def _monthly(prices: list[Any]) -> int | None:
    for p in prices:
        if p.unit == "month":
            return int(p.amount)
    return None


def plans_of(product: Product) -> list[PlanOut]:
    """Plans a quote can name: the plan table, or service lines that carry a monthly price."""
    if product.plans:
        return [PlanOut(id=p.id, name=p.name, annual_contribution=p.annual_contribution) for p in product.plans]
    return [
        PlanOut(id=s.id, name=s.name, monthly_price=_monthly(s.prices))
        for s in product.service_products
        if _monthly(s.prices) is not None
    ]


def summarise(product: Product) -> ProductOut:
    return ProductOut(
        id=product.id,
        name=product.name,
        short_name=product.short_name,
        kind=product.kind,
        tagline=product.tagline,
        plans=plans_of(product),
        prices=[
            PriceOut(id=i.id, label=i.label, amount=i.amount, unit=i.unit, tax=i.tax, from_price=i.from_price)
            for i in product.pricing.items
        ],
        payment_methods=[
            PaymentMethodOut(id=m.id, label=m.label, frequencies=list(m.frequencies))
            for m in product.pricing.payment_methods
        ],
        quotable=True,
        refundable_online=True,
    )


@router.get(
    "/api/v1/products",
    summary="商品一覧",
    description="商品・プラン・料金・支払方法の一覧（products.yaml から）。",
    responses={200: {"description": "商品の一覧"}, **problem_responses(422)},
)
def list_products() -> ProductsOut:
    catalog = get_catalog()
    return ProductsOut(catalog_version=catalog.version, products=[summarise(p) for p in catalog.products])
