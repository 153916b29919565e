"""Quotes: what an applicant pays first, from when and until when they are covered, and why.

Plain functions over the catalog model. Behaviour comes from the product's data: `start_rule.kind`
decides the start date, a `midterm_table` (or the plan table for the policy year's first month)
decides a group scheme's 掛金, otherwise the price items and `proration.start_month` do. Every
answer lists its `basis`: the table and row, the rule and the seed file each figure comes from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from catalog.models import PriceItem, Product, ServiceProduct, Term
from domain.periods import jdate
from domain.published import ask_by_phone, require_published
from japan_calendar import (
    add_months,
    at,
    days_in_month,
    first_of_month,
    holiday_name,
    month_index,
    next_business_day,
    on_day,
)

PAYMENT_FREQUENCY_LABELS = {"monthly": "月払", "annual": "年払"}
SCHEDULE_PAYMENTS = 11  # a year of monthly payments: the first one plus these


class QuoteError(Exception):
    """The request names something the catalog cannot answer; `field` is the request field to blame."""

    def __init__(self, code: str, title: str, field: str, message: str, *, valid: Sequence[str] = ()) -> None:
        self.code = code
        self.title = title
        self.field = field
        self.message = message
        self.valid = list(valid)
        super().__init__(f"{code}: {field}: {message}")


@dataclass(frozen=True)
class Line:
    """One amount in a breakdown."""

    id: str
    label: str
    amount: int
    tax: str = "not_stated"  # the catalog's TaxStatus of the amount
    tax_amount: int | None = None  # consumption tax contained, when the seed says 税込
    note: str | None = None


@dataclass(frozen=True)
class Due:
    """A later payment."""

    label: str
    amount: int
    period_start: date | None = None
    due_date: date | None = None  # None when the documents do not say when it is collected


@dataclass(frozen=True)
class Basis:
    kind: str  # "table" | "rule" | "reading"
    title: str
    text: str
    source: str
    row: str | None = None


@dataclass(frozen=True)
class Quote:
    product_id: str
    plan_id: str | None
    application_date: date
    enrollment: str
    coverage_start: datetime
    coverage_end: datetime | None
    application_deadline: date | None
    first_debit_date: date | None
    payment_method: str | None
    payment_frequency: str
    total: int
    from_price: bool
    breakdown: list[Line]
    schedule: list[Due] = field(default_factory=list)
    basis: list[Basis] = field(default_factory=list)


def yen(amount: int) -> str:
    return f"{amount:,}円"


# ---- consumption tax -------------------------------------------------------------------------------

# Prices the seeds mark 税込 contain consumption tax at the standard rate (消費税法: 10%). The seeds do not
# print the tax, so it is derived: tax = price × 10/110, fractions of a yen dropped.
TAX_RATE_PERCENT = 10


def contained_tax(amount: int, tax: str) -> int | None:
    if tax != "tax_included":
        return None
    return amount * TAX_RATE_PERCENT // (100 + TAX_RATE_PERCENT)


def line(item: PriceItem, amount: int | None = None, *, note: str | None = None, label: str | None = None) -> Line:
    value = item.amount if amount is None else amount
    return Line(
        id=item.id,
        label=label or item.label,
        amount=value,
        tax=item.tax,
        tax_amount=contained_tax(value, item.tax),
        note=note if note is not None else item.remark,
    )


# ---- plans, payment options --------------------------------------------------------------------------


def monthly_price(prices: list[PriceItem]) -> PriceItem | None:
    return next((p for p in prices if p.unit == "month"), None)


def service_plans(product: Product) -> list[ServiceProduct]:
    return list(product.service_products)


def plan_ids(product: Product) -> list[str]:
    if product.plans:
        return [p.id for p in product.plans]
    return [s.id for s in product.service_products]


def resolve_plan(product: Product, plan_id: str | None) -> str | None:
    valid = plan_ids(product)
    if not valid:
        if plan_id is not None:
            raise QuoteError("unknown-plan", "プランの指定が正しくありません", "body.plan_id",
                             f"{product.short_name}にはプランがありません。プランを選ばずにお見積もりください。")
        return None
    if plan_id is None:
        raise QuoteError("plan-required", "プランを選んでください", "body.plan_id",
                         f"{product.short_name}はプランの指定が必要です（{', '.join(valid)}）。", valid=valid)
    if plan_id not in valid:
        raise QuoteError("unknown-plan", "プランの指定が正しくありません", "body.plan_id",
                         f"{plan_id} は{product.short_name}のプランにありません（{', '.join(valid)}）。", valid=valid)
    return plan_id


def resolve_payment(product: Product, method: str | None, frequency: str | None) -> tuple[str | None, str]:
    """Check the method × frequency pair against the catalog; returns (method, frequency).

    Both are required only when the product's methods allow more than one frequency (the choice changes
    the price); otherwise the single frequency is taken and a given method is still checked.
    """
    methods = {m.id: m for m in product.pricing.payment_methods}
    frequencies = sorted({f for m in methods.values() for f in m.frequencies})
    if method is not None and method not in methods:
        raise QuoteError("unknown-payment-method", "お支払方法の指定が正しくありません", "body.payment_method",
                         f"{product.short_name}で選べるお支払方法は"
                         f"{''.join(f'「{m.label}」' for m in methods.values())}です。", valid=list(methods))
    if len(frequencies) > 1:
        if method is None:
            raise QuoteError("payment-method-required", "お支払方法を選んでください", "body.payment_method",
                             f"お支払方法を{''.join(f'「{m.label}」' for m in methods.values())}から選んでください。",
                             valid=list(methods))
        if frequency is None:
            raise QuoteError("payment-frequency-required", "払込方法を選んでください", "body.payment_frequency",
                             f"払込方法を{''.join(f'「{PAYMENT_FREQUENCY_LABELS[f]}」' for f in frequencies)}から"
                             "選んでください。", valid=frequencies)
    if frequency is None:
        frequency = frequencies[0] if frequencies else "monthly"
    if method is not None:
        chosen = methods[method]
        if frequency not in chosen.frequencies:
            allowed = "・".join(PAYMENT_FREQUENCY_LABELS[f] for f in chosen.frequencies)
            raise QuoteError(
                "payment-combination-not-allowed", "お支払方法と払込方法の組み合わせが選べません",
                "body.payment_frequency",
                f"{chosen.label}は{allowed}のみです（{PAYMENT_FREQUENCY_LABELS[frequency]}は選べません）。",
                valid=list(chosen.frequencies),
            )
    elif frequencies and frequency not in frequencies:
        raise QuoteError("payment-frequency-not-allowed", "払込方法の指定が正しくありません", "body.payment_frequency",
                         f"{product.short_name}の払込方法は {', '.join(frequencies)} です。", valid=frequencies)
    return method, frequency


# ---- start dates -------------------------------------------------------------------------------------


def monthly_deadline(product: Product, start_month: date) -> date:
    """Deadline for cover from `start_month` (a 1st): the deadline day of the month before, moved if closed."""
    rule = product.start_rule
    assert rule.deadline_day is not None
    prev = add_months(start_month, -1)
    deadline = on_day(prev.year, prev.month, rule.deadline_day)
    return next_business_day(deadline) if rule.deadline_moves_to_next_business_day else deadline


def monthly_start(product: Product, application: date) -> tuple[date, date]:
    """(cover start, application deadline): the first 1st whose deadline the application still meets."""
    start = add_months(first_of_month(application), 1)
    while application > monthly_deadline(product, start):
        start = add_months(start, 1)
    return start, monthly_deadline(product, start)


def start_day(product: Product, application: date, start_date: date | None) -> tuple[date, date | None, Basis]:
    """(start day, application deadline, basis) from the product's start rule."""
    rule = product.start_rule
    if rule.kind == "days_from_application":
        assert rule.days is not None
        offset = rule.days - 1 if rule.counting == "include_first_day" else rule.days
        day = application + timedelta(days=offset)
        counted = "申込日を1日目として" if rule.counting == "include_first_day" else "申込日の翌日を1日目として"
        text = f"{rule.rule}（{counted}{rule.days}日目＝{jdate(day)}）"
        return day, None, Basis("rule", "保険始期日", text, rule.source)
    if rule.kind == "monthly_deadline":
        day, deadline = monthly_start(product, application)
        assert rule.deadline_day is not None
        nominal = on_day(add_months(day, -1).year, add_months(day, -1).month, rule.deadline_day)
        moved = ""
        if deadline != nominal:
            why = holiday_name(nominal) or ("土曜日" if nominal.weekday() == 5 else "日曜日")
            moved = f"{jdate(nominal)}は{why}のため締切は翌営業日の{jdate(deadline)}。"
        text = f"{rule.rule}（{moved}{jdate(application)}受付は{jdate(day)}開始）"
        return day, deadline, Basis("rule", "保険開始日と申込締切日", text, rule.source)
    if rule.kind == "on_acceptance":
        text = f"{rule.rule}（見積りでは申込日{jdate(application)}を承諾日とします）"
        return application, None, Basis("reading", "サービス開始日", text, rule.source)
    # on_service_start: the customer names the day the service starts (installation, base policy start)
    day = start_date or application  # eligibility asks without a start date: the application day
    if day < application:
        raise QuoteError("start-before-application", "開始日が申込日より前です", "body.start_date",
                         "開始日は申込日以降の日付にしてください。")
    text = f"{rule.rule}（見積りでは開始日を{jdate(day)}とします）"
    return day, None, Basis("reading", "サービス開始日", text, rule.source)


def term_end(term: Term | None, start: datetime) -> datetime | None:
    """End instant of a term from `start`: a fixed end, or 24:00 of the day before the same date N months on."""
    if term is None:
        return None
    if term.coverage_end is not None:
        return term.coverage_end
    if term.months is None:
        return None
    # a 12-month term from 29 Feb ends with 28 Feb: the day a month lacks becomes the 1st of the next
    return datetime.combine(add_months(start.date(), term.months, clamp=False), start.timetz())


# ---- group scheme: plan table for the policy year's first month, the mid-term table after ------------


def policy_year(product: Product) -> tuple[Term, date] | None:
    """The fixed-end term and the day its policy year starts."""
    for term in product.terms:
        if term.coverage_end is not None and term.months:
            return term, add_months(term.coverage_end.date(), -term.months)
    return None


def fee_item(product: Product, unit: str) -> PriceItem | None:
    return next((i for i in product.pricing.items if i.unit == unit), None)


def quote_table(
    product: Product, plan_id: str, application: date, enrollment: str, method: str | None, frequency: str
) -> Quote:
    table = product.midterm_table
    year = policy_year(product)
    assert table is not None and year is not None
    term, year_start = year
    plan = product.plan(plan_id)
    rule = product.start_rule
    basis: list[Basis] = []

    if enrollment == "renewal":
        if application >= year_start and term.coverage_end is not None:
            # the next automatic renewal starts a policy year whose premiums are not in this catalog
            require_published(product, term.coverage_end.date(), "継続加入のお見積り", "body.enrollment",
                              f"{jdate(term.coverage_end.date())}からの継続加入の保険期間")
        if application >= year_start:
            raise QuoteError(
                "renewal-not-available", "継続加入の見積りができません", "body.enrollment",
                f"継続加入は{jdate(year_start)}開始の保険期間のみです（{jdate(application)}受付は中途加入です）。",
                valid=["new"],
            )
        start, deadline = year_start, None
        start_at = at(start, rule.renewal_start_time or rule.start_time)
        text = f"継続加入は自動継続で、{jdate(start)}午後4時から保険開始。"
        basis.append(Basis("rule", "継続加入", text, rule.source))
    else:
        start, deadline, start_basis = start_day(product, application, None)
        start_at = at(start, rule.start_time)
        basis.append(start_basis)

    require_published(product, start, "お見積り", "body.application_date")
    months = month_index(term.coverage_end.date()) - month_index(start) if term.coverage_end else 12
    first = table.rows[0].coverage_start
    last = table.rows[-1].coverage_start
    row = next((r for r in table.rows if r.coverage_start == start), None)
    if start == year_start:
        contribution, premium, fee = plan.annual_contribution, plan.annual_premium, plan.annual_fee
        text = f"{plan.name} 年間掛金{yen(contribution)}（うち保険料{yen(premium)}・制度運営費{yen(fee)}）"
        basis.append(Basis("table", "プラン別年間掛金", text, plan.source, row=plan.name))
    elif row is not None:
        contribution = row.premiums[plan_id]
        fee = table.monthly_fee * months
        premium = contribution - fee
        basis.append(Basis(
            "table", table.title,
            f"掛金{yen(contribution)}＝保険料{yen(premium)}＋制度運営費{yen(table.monthly_fee)}×{months}か月",
            table.source, row=f"保険開始日 {jdate(start)}・{plan.name}",
        ))
    else:
        raise QuoteError(
            "no-published-premium", "この時期の掛金は公表されていません", "body.application_date",
            f"{jdate(application)}受付の保険開始日は{jdate(start)}ですが、公表された掛金は{jdate(year_start)}から"
            f"{jdate(last)}開始分（中途加入は{jdate(first)}以降）までです。"
            + ask_by_phone(product, "この時期の掛金"),
        )

    debit = next_business_day(on_day(start.year, start.month, table.debit_day))
    basis.append(Basis("rule", "口座振替日", f"{product.pricing.due_rule}（{jdate(debit)}）", product.pricing.source))
    monthly_fee_item = fee_item(product, "month")
    annual_fee_item = fee_item(product, "year")
    fee_label = (annual_fee_item if start == year_start else monthly_fee_item)
    breakdown = [
        Line("premium", "保険料", premium, tax="not_taxable",
             note="掛金から制度運営費を除いた額"),
        Line("scheme_fee", fee_label.label if fee_label else "制度運営費", fee,
             tax=fee_label.tax if fee_label else "not_stated",
             note=f"{yen(table.monthly_fee)}×{months}か月" if start != year_start else None),
    ]
    if product.pricing.remark:
        basis.append(Basis("reading", "掛金の内訳", product.pricing.remark, product.pricing.source))
    return Quote(
        product_id=product.id, plan_id=plan_id, application_date=application, enrollment=enrollment,
        coverage_start=start_at, coverage_end=term.coverage_end, application_deadline=deadline,
        first_debit_date=debit, payment_method=method, payment_frequency=frequency, total=contribution,
        from_price=False, breakdown=breakdown, schedule=[], basis=basis,
    )


# ---- priced by items: entrance fees, a monthly (or annual) price, start-month proration -----------------


def prorate(amount: int, used: int, days: int, rounding: str | None) -> int:
    """amount × used ÷ days in whole yen (floor unless the catalog says otherwise)."""
    numerator = amount * used
    if rounding == "ceil":
        return -(-numerator // days)
    if rounding == "round_half_up":
        return (2 * numerator + days) // (2 * days)
    return numerator // days


def priced_frequencies(product: Product) -> list[str]:
    """The payment frequencies a quote can price: annual with a plan table or a yearly price, monthly with a
    monthly price. A frequency a method allows but no published price covers (and ME's 年払) is left out:
    the page offers only what it can quote and says whom to ask for the rest."""
    allowed = sorted({f for m in product.pricing.payment_methods for f in m.frequencies})
    units = {p.unit for p in product.pricing.items}
    return [f for f in allowed if (f == "annual" and (product.plans or "year" in units))
            or (f == "monthly" and "month" in units)]


def quote_items(
    product: Product, plan_id: str | None, application: date, start_date: date | None,
    method: str | None, frequency: str,
) -> Quote:
    service = next((s for s in product.service_products if s.id == plan_id), None)
    prices = service.prices if service else product.pricing.items
    unit = "month" if frequency == "monthly" else "year"
    recurring = next((p for p in prices if p.unit == unit), None)
    name = service.name if service else product.short_name
    if service is not None and service.installment_months and recurring is not None:
        raise QuoteError(
            "no-published-price", "この料金は公表されていません", "body.plan_id",
            f"{name}の{service.installment_months}か月の分割払中の月額は公表されていません"
            f"（{recurring.label}{yen(recurring.amount)}は分割払終了後の額です）。",
        )
    if recurring is None:
        what = "年額" if unit == "year" else "月額"
        remarks = [product.pricing.remark, service.remark if service else None, *(p.remark for p in prices)]
        remark = next((r for r in remarks if r), "") + ask_by_phone(product, "金額")
        blame = "body.plan_id" if service else ("body.payment_frequency" if unit == "year" else "body.product_id")
        raise QuoteError(
            "no-published-price", f"{what}の料金は公表されていません", blame,
            f"{name}の{what}は公表資料に記載がないため、お見積りできません。{remark}",
        )

    if start_date is None and product.start_rule.kind == "on_service_start":
        # the service starts when the equipment is installed and tested, not on the application day: the
        # monthly fee is prorated from that day, so a quote without it would name a wrong first payment
        raise QuoteError("start-date-required", "サービス開始日を入力してください", "body.start_date",
                         f"{product.start_rule.rule}設置・作動確認の予定日をサービス開始日として入力してください。")
    start, deadline, start_basis = start_day(product, application, start_date)
    start_at = at(start, product.start_rule.start_time)
    basis = [start_basis]
    proration = product.pricing.proration
    once = [p for p in prices if p.unit == "once" and p.amount > 0] if not service else []
    breakdown = [line(p) for p in once]

    calendar_months = proration.start_month == "daily" or product.pricing.monthly_due is not None
    if unit == "month" and proration.start_month == "daily" and start.day != 1:
        days = days_in_month(start.year, start.month)
        used = days - start.day + 1
        first = prorate(recurring.amount, used, days, proration.rounding)
        rounding = {"floor": "1円未満切捨て", "ceil": "1円未満切上げ", "round_half_up": "1円未満四捨五入"}
        how = f"{yen(recurring.amount)}×{used}日÷{days}日（{rounding.get(proration.rounding or 'floor')}）"
        breakdown.append(line(recurring, first, label=f"{recurring.label}（{start.month}月分・日割）", note=how))
        basis.append(Basis("rule", "開始月の日割計算", f"{how}。{proration.remark or ''}".strip(), proration.source))
    else:
        period = f"{start.month}月分" if calendar_months else ("1か月目" if unit == "month" else "1年分")
        breakdown.append(line(recurring, label=f"{recurring.label}（{period}）"))
        if proration.remark:
            basis.append(Basis("rule", "開始月の料金", proration.remark, proration.source))
    basis.append(Basis("table", "料金", f"{recurring.label} {yen(recurring.amount)}"
                       + ("から（最低料金）" if recurring.from_price else ""), recurring.source, row=recurring.label))
    for p in once:
        basis.append(Basis("table", "料金", f"{p.label} {yen(p.amount)}" + (f"（{p.remark}）" if p.remark else ""),
                           p.source, row=p.label))

    schedule: list[Due] = []
    if unit == "month":
        for k in range(1, SCHEDULE_PAYMENTS + 1):
            if calendar_months:
                month = add_months(first_of_month(start), k)
                due = month - timedelta(days=1) if product.pricing.monthly_due == "end_of_previous_month" else None
                label = f"{month.year}年{month.month}月分 {recurring.label}"
                schedule.append(Due(label, recurring.amount, month, due))
            else:
                month = add_months(start, k)
                schedule.append(Due(f"{k + 1}か月目（{jdate(month)}から）{recurring.label}", recurring.amount, month))
        if product.pricing.due_rule:
            basis.append(Basis("rule", "お支払期日", product.pricing.due_rule, product.pricing.source))

    term = service.term if service else (product.terms[0] if product.terms else None)
    if term is not None:
        basis.append(Basis("rule", "期間", term.label + (f"（{term.remark}）" if term.remark else ""), term.source))
    if method:
        chosen = next(m for m in product.pricing.payment_methods if m.id == method)
        basis.append(Basis("rule", "お支払方法", f"{chosen.label}：" + "・".join(
            PAYMENT_FREQUENCY_LABELS[f] for f in chosen.frequencies), chosen.source))
    if service is not None and service.remark:
        basis.append(Basis("reading", name, service.remark, service.source))
    return Quote(
        product_id=product.id, plan_id=plan_id, application_date=application, enrollment="new",
        coverage_start=start_at, coverage_end=term_end(term, start_at), application_deadline=deadline,
        first_debit_date=None, payment_method=method, payment_frequency=frequency,
        total=sum(x.amount for x in breakdown), from_price=recurring.from_price or any(p.from_price for p in once),
        breakdown=breakdown, schedule=schedule, basis=basis,
    )


def quote(
    product: Product,
    *,
    plan_id: str | None,
    application_date: date,
    payment_method: str | None = None,
    payment_frequency: str | None = None,
    enrollment: str = "new",
    start_date: date | None = None,
) -> Quote:
    if start_date is not None and product.start_rule.kind != "on_service_start":
        raise QuoteError("start-date-not-applicable", "開始日は指定できません", "body.start_date",
                         f"{product.short_name}の開始日は申込日から決まります。開始日は入力しないでください。")
    plan = resolve_plan(product, plan_id)
    method, frequency = resolve_payment(product, payment_method, payment_frequency)
    if enrollment != "new" and product.midterm_table is None:
        raise QuoteError("renewal-not-available", "継続加入の見積りはできません", "body.enrollment",
                         f"{product.short_name}は新規のお申込みのみお見積りします。", valid=["new"])
    if product.midterm_table is not None and plan is not None:
        return quote_table(product, plan, application_date, enrollment, method, frequency)
    result = quote_items(product, plan, application_date, start_date, method, frequency)
    require_published(product, result.coverage_start.date(), "お見積り", "body.application_date")
    return result
