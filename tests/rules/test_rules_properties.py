"""Properties of the claim rules over generated dates and answers (Hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from catalog import get_catalog
from domain.claim_rules import Expense, check_claim, window_last_day
from helpers.answers import MIMAI_OK, NOT_BEFORE_COVER

CATALOG = get_catalog()

# Every benefit with a window measured from the trigger, with answers that pass its other rules.
WINDOWED = [
    ("and-me", "countermeasures", "security_equipment", "security-camera",
     {"vendor_is_alsok": True, **NOT_BEFORE_COVER}),
    ("and-me", "lodging", "lodging", "room-charge", {"lodging_is_licensed_in_japan": True, **NOT_BEFORE_COVER}),
    ("and-me", "moving", "moving", "mover", NOT_BEFORE_COVER),
    ("and-me", "guard", "guard_service", None,
     {"vendor_is_alsok": True, **NOT_BEFORE_COVER}),
    ("and-me", "mobile-security", "mobile_security_fee", None, {"vendor_is_alsok": True, **NOT_BEFORE_COVER}),
    ("watashi-no-omamori", "injury-outpatient", "outpatient_day", None, {}),
    ("watashi-no-omamori", "infection-hospital", "hospital_day", None, {}),
    ("watashi-no-omamori", "infection-outpatient", "outpatient_day", None, {}),
    (
        "smasapo-club",
        "mimai",
        "moving",
        None,
        MIMAI_OK,
    ),
]

days = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))


def test_given_the_catalog_when_listing_windowed_benefits_then_the_property_covers_every_one():
    found = {
        (p.id, b.id)
        for p in CATALOG.products
        for b in p.benefits
        if any(r.kind == "expense_window" for r in b.claim_rules)
    }
    assert found == {(w[0], w[1]) for w in WINDOWED}


def _check(case, trigger: date, on: date):
    product_id, benefit_id, kind, item, facts = case
    expense = Expense(kind=kind, date=on, amount=1000, item=item)
    return check_claim(
        CATALOG.product(product_id),
        benefit_id,
        plan_id=None,
        coverage_start=trigger - timedelta(days=30),
        trigger_date=trigger,
        expenses=[expense],
        facts=facts,
        claim_date=on,
    )


@settings(max_examples=300, deadline=None)
@given(
    case=st.sampled_from(WINDOWED),
    trigger=days,
    offset=st.integers(min_value=0, max_value=800),
    push=st.integers(min_value=1, max_value=800),
)
def test_given_an_expense_out_of_its_window_when_pushed_later_then_it_never_becomes_payable(
    case, trigger, offset, push
):
    first = _check(case, trigger, trigger + timedelta(days=offset))
    later = _check(case, trigger, trigger + timedelta(days=offset + push))
    if not first.expenses[0].payable:
        assert not later.expenses[0].payable


@settings(max_examples=300, deadline=None)
@given(trigger=days, months=st.integers(min_value=1, max_value=24))
def test_given_a_month_window_when_measured_then_it_lies_between_28_and_31_days_a_month_and_grows_with_the_trigger(
    trigger, months
):
    rule = next(
        r for r in CATALOG.product("and-me").benefit("countermeasures").claim_rules if r.kind == "expense_window"
    )
    rule = rule.replace(months=months)
    last = window_last_day(rule, trigger)
    assert 28 * months <= (last - trigger).days <= 31 * months + 1
    assert window_last_day(rule, trigger + timedelta(days=1)) >= last


@settings(max_examples=300, deadline=None)
@given(
    answers=st.fixed_dictionaries({k: st.booleans() for k in MIMAI_OK}),
    turned=st.sampled_from(sorted(MIMAI_OK)),
    trigger=days,
    move_after=st.integers(min_value=-10, max_value=400),
    claim_after=st.integers(min_value=0, max_value=1500),
)
def test_given_any_answers_when_one_turns_to_an_excluded_cause_then_the_mimai_is_not_paid(
    answers, turned, trigger, move_after, claim_after
):
    def payable(facts: dict[str, bool]) -> bool:
        check = check_claim(
            CATALOG.product("smasapo-club"),
            "mimai",
            plan_id=None,
            coverage_start=date(2019, 1, 1),
            trigger_date=trigger,
            expenses=[Expense(kind="moving", date=trigger + timedelta(days=move_after), amount=100_000)],
            facts=facts,
            claim_date=trigger + timedelta(days=claim_after),
        )
        return check.payable

    # whatever else was answered, any excluded cause at all is a "no"
    assert not payable({**answers, turned: not MIMAI_OK[turned]})
