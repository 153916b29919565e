"""Each product's own request bodies, for the OpenAPI document: which plans, payment methods, benefits,
events, expenses, documents and questions a product has, read from the catalog the code judges by.

The request models describe what every product shares (types, lengths, patterns, date ranges). What one
product takes is added here as a variant per product (per product and benefit for a claim): the model's
schema and, on top of it (allOf), the product's own ids, its required fields and those it does not
take. The body is then one of the variants. What no schema can say stays a rule, answered 422 with its
code (domain.errors.RULES): a day after today, dates in the wrong order, a price not yet published,
answers that make another question necessary.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from catalog import get_catalog
from catalog.models import AllowedItemsRule, Benefit, PaymentMethod, Product
from domain.applications import asked_facts as application_facts
from domain.applications import consent_version
from domain.claim_rules import OTHER_ITEM, claim_facts
from domain.eligibility import eligibility_facts
from domain.facts import FIRST_YEAR, LAST_YEAR, FactSpec
from domain.quotes import plan_ids
from domain.refunds import refunds_published, scheme_starts
from schemas.fields import date_pattern

Schema = dict[str, Any]
NULL: Schema = {"type": "null"}
# A fact's date answer, in the years domain.facts reads.
_FACT_DATE: Schema = {"type": "string", "format": "date", "pattern": date_pattern(FIRST_YEAR, LAST_YEAR)}


def _nullable(schema: Schema) -> Schema:
    return {"anyOf": [schema, NULL]}


def _enum(values: Iterable[Any]) -> Schema:
    return {"enum": list(values)}


def fact_answer(spec: FactSpec) -> Schema:
    """What answers one question: its type and, for a choice, its options (null: not answered)."""
    options = [o["value"] for o in spec.options]
    by_type: dict[str, Schema] = {
        "date": _FACT_DATE,
        "bool": {"type": "boolean"},
        "int": {"type": "integer", "minimum": 0, "maximum": 10**15},
        "yen": {"type": "integer", "minimum": 0, "maximum": 10**15},
        "enum": {"type": "string", "enum": options},
        "enum_list": {"type": "array", "maxItems": 40, "items": {"type": "string", "enum": options}},
        "date_list": {"type": "array", "maxItems": 40, "items": _FACT_DATE},
    }
    return _nullable(by_type[spec.type])


def facts_object(specs: Iterable[FactSpec]) -> Schema:
    """The answers a product asks for, by question id; no other key."""
    return {
        "type": "object",
        "properties": {s.id: fact_answer(s) for s in specs},
        "additionalProperties": False,
    }


def _payment_pairs(methods: Iterable[PaymentMethod]) -> list[Schema]:
    """Each payment method with the frequencies it offers (one of them is the body's choice)."""
    return [{"properties": {"payment_method": {"const": m.id}, "payment_frequency": _enum(m.frequencies)}}
            for m in methods]


def _plan(product: Product, *, required: bool = True) -> Schema:
    plans = plan_ids(product)
    if not plans:
        return NULL
    return _enum(plans) if required else _nullable(_enum(plans))


# ---- quotes, refunds, eligibility ------------------------------------------------------------------------


def quote_variant(product: Product) -> Schema:
    methods = product.pricing.payment_methods
    frequencies = sorted({f for m in methods for f in m.frequencies})
    props: Schema = {
        "product_id": {"const": product.id},
        "plan_id": _plan(product),
        "enrollment": {"enum": ["new", "renewal"] if product.midterm_table is not None else ["new"]},
        "start_date": {"type": "string"} if product.start_rule.kind == "on_service_start" else NULL,
    }
    required = ["product_id", "application_date"]
    required += ["plan_id"] if plan_ids(product) else []
    required += ["start_date"] if product.start_rule.kind == "on_service_start" else []
    variant: Schema = {"properties": props, "required": required}
    if len(frequencies) > 1:
        # the frequency changes the price: both are chosen, and each method has its own frequencies
        required += ["payment_method", "payment_frequency"]
        variant["oneOf"] = _payment_pairs(methods)
    else:
        props["payment_method"] = _nullable(_enum(m.id for m in methods)) if methods else NULL
        props["payment_frequency"] = _nullable(_enum(frequencies or ["monthly"]))
    return variant


def refund_variant(product: Product) -> Schema:
    method = product.pricing.refund.method
    props: Schema = {"product_id": {"const": product.id}}
    required = ["product_id"]
    if method == "table":
        table = product.refund_table
        assert table is not None
        props |= {
            "base_refund": _enum(r.key for r in table.rows),
            "unexpired_months": _nullable({"type": "integer", "minimum": 0, "maximum": len(table.columns)}),
            "plan_id": _plan(product, required=False),
        }
        required.append("base_refund")
        # months unexpired, or the two dates they are counted from
        either = [{"required": ["unexpired_months"], "properties": {"unexpired_months": {"type": "integer"}}},
                  {"required": ["contract_start", "cancellation_date"],
                   "properties": {"unexpired_months": NULL, "contract_start": {"type": "string"},
                                  "cancellation_date": {"type": "string"}}}]
        return {"properties": props, "required": required, "anyOf": either}
    props |= {"unexpired_months": NULL, "base_refund": NULL, "plan_id": _plan(product)}
    required += ["plan_id"] if plan_ids(product) else []
    if method == "none":  # nothing is returned, whatever the dates
        return {"properties": props, "required": required}
    required += ["contract_start", "cancellation_date"]
    props |= {"contract_start": {"type": "string"}, "cancellation_date": {"type": "string"}}
    starts = scheme_starts(product)
    if starts:
        props["contract_start"] = _enum(d.isoformat() for d in starts)
    return {"properties": props, "required": required}


def eligibility_variant(product: Product) -> Schema:
    plans = [p.id for p in product.plans]  # joining is judged on the insurance plans, not on services
    props: Schema = {
        "product_id": {"const": product.id},
        "plan_id": _enum(plans) if plans else NULL,
        "facts": facts_object(eligibility_facts(product)),
    }
    return {"properties": props, "required": ["product_id", "application_date", *(["plan_id"] if plans else [])]}


# ---- applications ----------------------------------------------------------------------------------------


def application_variant(product: Product) -> Schema:
    online = product.apply.online
    assert online is not None
    consents = {c.id: {"const": consent_version(product, c)} for c in online.consents}
    props: Schema = {
        "product_id": {"const": product.id},
        "facts": facts_object(application_facts(product)),
        "consents": {"type": "object", "properties": consents, "required": list(consents),
                     "additionalProperties": False},
    }
    return {
        "properties": props,
        "required": ["product_id", "consents"],
        "oneOf": _payment_pairs(product.pricing.payment_methods),
    }


# ---- claims ------------------------------------------------------------------------------------------------


def claim_basis_variant(product: Product, benefit: Benefit, *, plan_required: bool = False) -> Schema:
    """What decides a claim (checked, estimated or filed) for one benefit of one product. The plan is
    required where the benefit is of some plans only, or (`plan_required`) wherever the product has plans."""
    plans = benefit.plans or [p.id for p in product.plans]
    plan_required = bool(benefit.plans or (plan_required and plans))
    # an item from the benefit's list or "other"; named on every expense where a rule judges the item
    items = _nullable(_enum([*(i.id for i in benefit.covered_items), OTHER_ITEM]))
    expense: Schema = {"properties": {"kind": _enum(benefit.expense_kinds), "item": items}}
    if any(isinstance(r, AllowedItemsRule) for r in benefit.claim_rules):
        expense["required"] = ["item"]
        expense["properties"]["item"] = items["anyOf"][0]
    props: Schema = {
        "product_id": {"const": product.id},
        "benefit_id": {"const": benefit.id},
        "plan_id": (_enum(plans) if plan_required else _nullable(_enum(plans))) if plans else NULL,
        "expenses": {"items": expense},
        "facts": facts_object(claim_facts(product, benefit.id)),
    }
    return {"properties": props, "required": ["product_id", "benefit_id", *(["plan_id"] if plan_required else [])]}


def claim_variant(product: Product, benefit: Benefit, *, with_documents: bool) -> Schema:
    """A claim as estimated or filed: the events that start it and, when filed, the documents each asks for
    (of its kinds only, every required one among them, within the upload limit)."""
    variant = claim_basis_variant(product, benefit)
    triggers = benefit.trigger_types
    if triggers:
        variant["properties"]["trigger"] = {"properties": {"type": _enum(triggers)}}
    if not with_documents:
        return variant
    limit = get_catalog().upload_limit_bytes

    def documents(trigger: str | None) -> Schema:
        asked = benefit.documents_for(trigger)
        schema: Schema = {"items": {"properties": {"kind": _enum(d.kind for d in asked), "size": {"maximum": limit}}}}
        required = [{"contains": {"properties": {"kind": {"const": d.kind}}}} for d in asked if d.required]
        return schema | ({"allOf": required} if required else {})

    if not triggers:
        variant["properties"]["documents"] = documents(None)
        return variant
    # the documents asked depend on the event (a burglary's theft report, a warning's copy)
    by_trigger = {t: documents(t) for t in triggers}
    if len({repr(d) for d in by_trigger.values()}) == 1:
        variant["properties"]["documents"] = by_trigger[triggers[0]]
    else:
        variant["oneOf"] = [{"properties": {"trigger": {"properties": {"type": {"const": t}}}, "documents": d}}
                            for t, d in by_trigger.items()]
    return variant


# ---- the document ---------------------------------------------------------------------------------------


def _variants(
    base: str, named: Iterable[tuple[str, Schema]]
) -> tuple[Schema, dict[str, Schema]]:
    """The body as one of its variants, and the variants as components (the base's schema beneath each)."""
    fields = f"{base}Fields"
    components = {f"{base}.{name}": {"title": f"{base} ({name})", "allOf": [
        {"$ref": f"#/components/schemas/{fields}"}, overlay,
    ]} for name, overlay in named}
    body = {"oneOf": [{"$ref": f"#/components/schemas/{name}"} for name in components]}
    return body, components


def _claimable(products: Iterable[Product], online_only: bool) -> Iterable[tuple[Product, Benefit]]:
    for p in products:
        for b in p.benefits:
            if b.claimable_online or not online_only:
                yield p, b


def add_variants(document: Schema) -> Schema:
    """The OpenAPI document with each product's request bodies (changed in place, and returned)."""
    catalog = get_catalog()
    products = list(catalog.products)
    makers: dict[str, Callable[[], Iterable[tuple[str, Schema]]]] = {
        "QuoteRequest": lambda: ((p.id, quote_variant(p)) for p in products),
        "RefundRequest": lambda: ((p.id, refund_variant(p)) for p in products if refunds_published(p)),
        "EligibilityIn": lambda: ((p.id, eligibility_variant(p)) for p in products),
        "ApplicationIn": lambda: ((p.id, application_variant(p)) for p in products if p.apply.online),
        # checking a claim asks for the plan wherever the product has plans
        "ClaimCheckIn": lambda: ((f"{p.id}.{b.id}", claim_basis_variant(p, b, plan_required=True))
                                 for p, b in _claimable(products, online_only=False)),
        "ClaimEstimateIn": lambda: ((f"{p.id}.{b.id}", claim_variant(p, b, with_documents=False))
                                    for p, b in _claimable(products, online_only=True)),
        "ClaimIn": lambda: ((f"{p.id}.{b.id}", claim_variant(p, b, with_documents=True))
                            for p, b in _claimable(products, online_only=True)),
    }
    schemas = document["components"]["schemas"]
    for base, make in makers.items():
        body, components = _variants(base, make())
        schemas[f"{base}Fields"] = schemas.pop(base)
        schemas[base] = body
        schemas.update(components)
    form = schemas["DocumentFormIn"]
    form["properties"]["size"]["maximum"] = catalog.upload_limit_bytes
    # a form for a slot of the claim's, or for one more document of a kind
    form["anyOf"] = [{"required": ["doc_id"], "properties": {"doc_id": {"type": "string"}}},
                     {"required": ["kind"], "properties": {"kind": {"type": "string"}}}]
    return document
