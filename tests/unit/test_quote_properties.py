"""Properties of quotes and refunds over many dates (hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catalog import get_catalog
from domain.published import NotPublished
from domain.quotes import quote
from domain.refunds import refund

CATALOG = get_catalog()
DAYS = st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31))
GROUP_DAYS = st.dates(min_value=date(2025, 2, 21), max_value=date(2026, 2, 20))  # every start 2025-04 .. 2026-03

QUOTABLE = [
    ("and-me", None, {"payment_method": "credit_card", "payment_frequency": "monthly"}),
    ("smasapo-club", None, {}),
    ("home-alsok", "connect-online", {}),
    *[("watashi-no-omamori", plan, {}) for plan in "ABCD"],
]


def start_of(product_id, plan, extra, day):
    try:
        product = CATALOG.product(product_id)
        if product.start_rule.kind == "on_service_start":  # installation about two weeks after applying
            extra = {**extra, "start_date": day + timedelta(days=14)}
        return quote(product, plan_id=plan, application_date=day, **extra).coverage_start
    except NotPublished:
        return None


@pytest.mark.parametrize(("product_id", "plan", "extra"), QUOTABLE, ids=[f"{p}-{q}" for p, q, _ in QUOTABLE])
@settings(max_examples=150, deadline=None)
@given(a=DAYS, b=DAYS)
def test_given_two_application_dates_when_quoted_then_the_later_never_starts_earlier(product_id, plan, extra, a, b):
    early, late = sorted((a, b))
    s1, s2 = start_of(product_id, plan, extra, early), start_of(product_id, plan, extra, late)
    if s1 is not None and s2 is not None:
        assert s1 <= s2


@settings(max_examples=200, deadline=None)
@given(day=GROUP_DAYS, plan=st.sampled_from("ABCD"))
def test_given_any_application_in_the_published_period_when_quoted_then_cover_starts_on_a_first_after_it(day, plan):
    q = quote(CATALOG.product("watashi-no-omamori"), plan_id=plan, application_date=day)
    assert q.coverage_start.day == 1 and q.coverage_start.date() > day
    assert q.application_deadline is not None and day <= q.application_deadline < q.coverage_start.date()
    assert q.total == sum(line.amount for line in q.breakdown)


STARTS = [date(2025, 4, 1)] + [date(2025 + (m > 12), (m - 1) % 12 + 1, 1) for m in range(5, 16)]


@settings(max_examples=300, deadline=None)
@given(start=st.sampled_from(STARTS), plan=st.sampled_from("ABCD"), offset=st.integers(0, 400))
def test_given_any_withdrawal_when_refunded_then_the_refund_never_exceeds_the_premium_paid(start, plan, offset):
    from datetime import timedelta

    cancelled = start + timedelta(days=offset)
    if cancelled >= date(2026, 4, 1):
        return
    r = refund(CATALOG.product("watashi-no-omamori"), plan_id=plan, contract_start=start,
               cancellation_date=cancelled)
    paid = quote(CATALOG.product("watashi-no-omamori"), plan_id=plan,
                 application_date=date(start.year - (start.month == 1), (start.month - 2) % 12 + 1, 15)).total
    assert r.paid is not None
    assert 0 <= r.refund <= r.paid <= paid


@settings(max_examples=200, deadline=None)
@given(row=st.sampled_from([150, 200, 250, 300, 350, 400, 500, 600, 700, 800, 900]), months=st.integers(0, 23))
def test_given_any_rider_cell_when_refunded_then_fewer_months_left_never_return_more(row, months):
    product = CATALOG.product("stalker-rider")
    more = refund(product, base_refund=row, unexpired_months=months).refund
    less = refund(product, base_refund=row, unexpired_months=max(months - 1, 0)).refund
    assert 0 <= less <= more


@settings(max_examples=200, deadline=None)
@given(start=DAYS, cancelled=DAYS, plan=st.sampled_from(["connect-online", "rusutaku-pack"]))
def test_given_any_home_alsok_cancellation_when_asked_then_nothing_is_returned_and_at_most_a_month_is_due(
    start, cancelled, plan
):
    if cancelled < start:
        return
    product = CATALOG.product("home-alsok")
    r = refund(product, plan_id=plan, contract_start=start, cancellation_date=cancelled)
    monthly = next(s for s in product.service_products if s.id == plan).prices[0].amount
    assert r.refund == 0 and 0 < r.due <= monthly
