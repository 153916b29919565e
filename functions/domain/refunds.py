"""Refunds on leaving mid-term: what comes back, what is still due, and the rule it rests on.

Driven by `pricing.refund.method` of the product:
- table   : a published refund table keyed by a row heading and 未経過月数 (counted from dates or given);
- monthly : 月割 of the annual premium for the whole months left, never more than was paid;
- daily   : the cancellation month is billed by the day; installments left fall due at once;
- none    : nothing is returned when the catalog lists what is kept; otherwise no rule is published.

A product whose seed says leaving inside the contract term may cost a fee (`early_termination`) gets that
said with the answer, with whom to ask for the amount, whenever the cancellation falls before the last
day of its term: the first term, then each renewal. The seed gives no figure, so none is computed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from catalog.models import Product, RefundTable, Term
from domain.periods import period_last_day
from domain.published import require_published
from domain.quotes import (
    Basis,
    Due,
    Line,
    QuoteError,
    contained_tax,
    jdate,
    monthly_price,
    policy_year,
    prorate,
    resolve_plan,
    yen,
)
from japan_calendar import add_months, days_in_month, first_of_month, month_index, months_between


@dataclass(frozen=True)
class EarlyTerminationFee:
    """Leaving before the term ends may cost a fee the seed does not put a figure on: whom to ask."""

    message: str  # plain Japanese: the fee may be charged, the term's last day, whom to ask
    term_last_day: date
    ask: str  # the contact's label
    phone: str
    hours: str | None


@dataclass(frozen=True)
class Refund:
    product_id: str
    plan_id: str | None
    refund: int  # yen returned to the member
    due: int  # yen the member still pays because of the cancellation
    paid: int | None  # yen the computation assumes were paid (the cap of `refund`), when known
    unexpired_months: int | None
    column: str | None  # the refund table's column used
    reason: str
    breakdown: list[Line] = field(default_factory=list)
    schedule: list[Due] = field(default_factory=list)
    basis: list[Basis] = field(default_factory=list)
    early_termination: EarlyTerminationFee | None = None


def _required(value: object, name: str, message: str, code: str = "missing-field") -> None:
    if value is None:
        raise QuoteError(code, "入力が足りません", f"body.{name}", message)


def _dates(contract_start: date | None, cancellation_date: date | None) -> tuple[date, date]:
    _required(contract_start, "contract_start", "契約の開始日を入力してください。")
    _required(cancellation_date, "cancellation_date", "解約日を入力してください。")
    assert contract_start is not None and cancellation_date is not None
    if cancellation_date < contract_start:
        raise QuoteError("cancellation-before-start", "解約日が開始日より前です", "body.cancellation_date",
                         "解約日は契約の開始日以降の日付にしてください。")
    return contract_start, cancellation_date


# ---- table ------------------------------------------------------------------------------------------


def unexpired_from_dates(table: RefundTable, start: date, cancellation: date) -> int:
    """Whole months from the cancellation day to the end of the term, a part of a month dropped."""
    end = add_months(start, table.term_months)
    if cancellation >= end:
        raise QuoteError("cancellation-after-term", "解約日が保険期間の後です", "body.cancellation_date",
                         f"保険期間（{table.term_months}か月）は{jdate(end)}に満了しています。")
    return months_between(cancellation, end)


def refund_by_table(product: Product, base_refund: int | None, unexpired: int | None,
                    start: date | None, cancellation: date | None) -> Refund:
    table = product.refund_table
    assert table is not None
    keys = [r.key for r in table.rows]
    _required(base_refund, "base_refund", f"{table.row_header}の行を選んでください。")
    row = next((r for r in table.rows if r.key == base_refund), None)
    if row is None:
        listed = ", ".join(map(str, keys))
        raise QuoteError("unknown-table-row", "表にない行です", "body.base_refund",
                         f"{base_refund} は{table.title}の行にありません。選べる行は {listed} です。",
                         valid=[str(k) for k in keys])
    counted_from_dates = unexpired is None
    if counted_from_dates:
        if start is None and cancellation is None:
            raise QuoteError("missing-field", "入力が足りません", "body.unexpired_months",
                             "未経過月数、または契約の開始日と解約日を指定してください。")
        start, cancellation = _dates(start, cancellation)
        unexpired = unexpired_from_dates(table, start, cancellation)
    assert unexpired is not None
    columns = len(table.columns)  # column 0 is "1か月以下" (0 or 1 month), column i is i+1 months
    if not 0 <= unexpired <= columns:
        field_name = "body.cancellation_date" if counted_from_dates else "body.unexpired_months"
        # from dates, a rule (the term counted from them); given, a number the table has no column for
        code = "outside-table" if counted_from_dates else "unknown-table-column"
        raise QuoteError(code, "表にない未経過月数です", field_name,
                         f"未経過月数{unexpired}か月は表の範囲外です。表の列は {', '.join(table.columns)}"
                         f"（0〜{columns}か月）です。", valid=[str(m) for m in range(columns + 1)])
    column = max(unexpired, 1) - 1
    amount = row.cells[column]
    how = (f"{jdate(start)}開始・{jdate(cancellation)}解約：{table.counting}" if counted_from_dates and start
           and cancellation else "未経過月数はご入力の値です。")
    return Refund(
        product_id=product.id, plan_id=None, refund=amount, due=0, paid=None, unexpired_months=unexpired,
        column=table.columns[column],
        reason=product.pricing.refund.rule,
        breakdown=[
            Line("base_refund", "基本契約の返還保険料（ご入力の行見出し、参考）", row.key, tax="not_taxable",
                 note="基本契約分は普通保険約款別表3により別途算出されます。"),
            Line("additional_refund", table.row_header, amount, tax="not_taxable"),
        ],
        basis=[
            Basis("table", table.title, f"行{row.key}・{table.columns[column]}の列：{yen(amount)}", table.source,
                  row=f"{row.key}／{table.columns[column]}"),
            Basis("reading", "表の行の選び方", table.row_help, table.source),
            Basis("reading", "未経過月数の数え方", how, table.source),
            Basis("rule", "解約時の返還保険料", product.pricing.refund.rule, product.pricing.refund.source),
        ],
    )


# ---- monthly (group scheme) --------------------------------------------------------------------------


def scheme_starts(product: Product) -> list[date]:
    """The days a group scheme's cover can start: its policy year's first day and each mid-term start
    (empty for a product whose cover starts any day)."""
    year = policy_year(product)
    if year is None or product.midterm_table is None:
        return []
    return [year[1]] + [r.coverage_start for r in product.midterm_table.rows]


def refund_monthly(product: Product, plan_id: str | None, start: date | None, cancellation: date | None) -> Refund:
    from domain.quotes import quote_table  # the premium paid is the quote for the same start

    rule = product.pricing.refund
    year = policy_year(product)
    plan_id = resolve_plan(product, plan_id)
    assert year is not None and plan_id is not None and product.midterm_table is not None
    term, year_start = year
    start, cancellation = _dates(start, cancellation)
    require_published(product, start, "返れい額の計算", "body.contract_start")
    starts = scheme_starts(product)
    if start not in starts:
        raise QuoteError("unknown-coverage-start", "保険開始日が正しくありません", "body.contract_start",
                         "保険開始日は、" + "、".join(jdate(d) for d in starts) + "のいずれかです。",
                         valid=[d.isoformat() for d in starts])
    assert term.coverage_end is not None
    end = term.coverage_end.date()
    # Leaving on or after the term's end is leaving the renewed (automatically continued) policy year,
    # whose premiums this catalog does not have.
    require_published(product, cancellation, "返れい額の計算", "body.cancellation_date",
                      f"{jdate(end)}からの継続後の保険期間（{jdate(cancellation)}の脱退）")
    # pay for the start month's premium as quoted on an application made on that month's deadline
    paid_quote = quote_table(product, plan_id, _application_for(product, start, year_start), "new", None, "annual")
    paid = next(x.amount for x in paid_quote.breakdown if x.id == "premium")
    plan = product.plan(plan_id)
    unexpired = month_index(end) - month_index(cancellation) - 1
    by_month = plan.annual_premium * unexpired // 12
    amount = min(by_month, paid)
    capped = "（払込保険料が上限）" if by_month > paid else ""
    return Refund(
        product_id=product.id, plan_id=plan_id, refund=amount, due=0, paid=paid, unexpired_months=unexpired,
        column=None, reason=rule.rule,
        breakdown=[
            Line("paid_premium", "払込保険料（掛金から制度運営費を除く）", paid, tax="not_taxable"),
            Line("refund", "月割の解約保険料", amount, tax="not_taxable",
                 note=f"{yen(plan.annual_premium)}×{unexpired}か月÷12（1円未満切捨て）{capped}"),
        ],
        basis=[
            Basis("rule", "月割の解約保険料", rule.rule, rule.source),
            *([Basis("reading", "月割の計算", rule.remark, rule.source)] if rule.remark else []),
            Basis("table", "プラン別年間掛金", f"{plan.name} 保険料{yen(plan.annual_premium)}", plan.source,
                  row=plan.name),
            *paid_quote.basis[1:2],
        ],
    )


def _application_for(product: Product, start: date, year_start: date) -> date:
    """An application date that gives `start` (its own deadline): used to reuse the quote."""
    from domain.quotes import monthly_deadline

    return monthly_deadline(product, start)


# ---- daily (security service) ------------------------------------------------------------------------


def refund_daily(product: Product, plan_id: str | None, start: date | None, cancellation: date | None,
                 installment_amount: int | None) -> Refund:
    rule = product.pricing.refund
    plan_id = resolve_plan(product, plan_id)
    start, cancellation = _dates(start, cancellation)
    service = next(s for s in product.service_products if s.id == plan_id)
    price = monthly_price(service.prices)
    breakdown: list[Line] = []
    schedule: list[Due] = []
    basis = [Basis("rule", "解約月の料金", rule.rule, rule.source)]
    in_installments = bool(service.installment_months) and months_between(start, cancellation) < (
        service.installment_months or 0)

    if price is None or in_installments:
        what = "分割払中の月額" if in_installments else "月額"
        basis.append(Basis("reading", "解約月の日割", f"{service.name}の{what}は公表されていないため、解約月の日割額は"
                           "計算していません（契約書の月額×利用日数÷暦日数）。", service.source))
    else:
        days = days_in_month(cancellation.year, cancellation.month)
        first_day = start if first_of_month(start) == first_of_month(cancellation) else first_of_month(cancellation)
        used = (cancellation - first_day).days + 1
        charge = prorate(price.amount, used, days, product.pricing.proration.rounding)
        how = f"{yen(price.amount)}×{used}日÷{days}日（1円未満切捨て）"
        breakdown.append(Line("cancel_month_fee", f"{cancellation.month}月分 {price.label}（日割）", charge,
                              tax=price.tax, tax_amount=contained_tax(charge, price.tax), note=how))
        basis.append(Basis("reading", "日割の方法", product.pricing.proration.remark or how,
                           product.pricing.proration.source))

    if in_installments:
        total_installments = service.installment_months or 0
        _required(installment_amount, "installment_amount",
                  f"{service.name}を{total_installments}か月未満で解約すると分割払金の残金を一括でお支払いいただきます。"
                  "契約書の分割払金（月額）を指定してください。", code="answer-needed")  # needed for these dates
        assert installment_amount is not None
        paid_count = month_index(cancellation) - month_index(start) + 1
        left = max(total_installments - paid_count, 0)
        remaining = installment_amount * left
        due_month = add_months(first_of_month(cancellation), 1)
        breakdown.append(Line("remaining_installments", "分割払金の残金（一括）", remaining, tax="tax_included",
                              tax_amount=None, note=f"{yen(installment_amount)}×残り{left}回"))
        schedule.append(Due(f"{due_month.year}年{due_month.month}月 分割払金の残金（一括）", remaining, due_month))
        basis.append(Basis("reading", "分割払金の残り回数",
                           f"開始月から解約月までの{paid_count}回を支払済みとし、残り{left}回を解約月の翌月に一括で"
                           f"お支払いいただきます。割引分の額は公表されていないため含めていません。{rule.remark or ''}",
                           service.source))
    return Refund(
        product_id=product.id, plan_id=plan_id, refund=0, due=sum(x.amount for x in breakdown), paid=None,
        unexpired_months=None, column=None,
        reason="月額料金は月ごとのご請求で、解約月は日割でご請求します。返金はありません。",
        breakdown=breakdown, schedule=schedule, basis=basis,
    )


# ---- none -------------------------------------------------------------------------------------------


def refund_none(product: Product) -> Refund:
    rule = product.pricing.refund
    if not refunds_published(product):
        raise QuoteError("no-published-refund-rule", "解約時の返還額は公表されていません", "body.product_id",
                         f"{rule.rule}{rule.remark or ''}")
    kept = [product.pricing.item(i) for i in rule.non_refundable]
    return Refund(
        product_id=product.id, plan_id=None, refund=0, due=0, paid=None, unexpired_months=None, column=None,
        reason=rule.rule,
        # what is kept, at its price: none of it comes back
        breakdown=[Line(f"kept_{i.id}", f"{i.label}（返還なし）", i.amount, tax=i.tax, note=i.remark) for i in kept],
        basis=[Basis("rule", "退会時の返金", rule.rule, rule.source),
               *[Basis("reading", "日割・返金", product.pricing.proration.remark, product.pricing.proration.source)
                 for _ in [0] if product.pricing.proration.remark]],
    )


def refunds_published(product: Product) -> bool:
    """Whether anything can be said of a refund: a rule with figures, or what is kept (never returned)."""
    rule = product.pricing.refund
    return rule.method != "none" or bool(rule.non_refundable)


def refund(
    product: Product,
    *,
    plan_id: str | None = None,
    contract_start: date | None = None,
    cancellation_date: date | None = None,
    unexpired_months: int | None = None,
    base_refund: int | None = None,
    installment_amount: int | None = None,
) -> Refund:
    method = product.pricing.refund.method
    if method != "table" and (unexpired_months is not None or base_refund is not None):
        name = "unexpired_months" if unexpired_months is not None else "base_refund"
        raise QuoteError("field-not-applicable", "この商品では使わない項目です", f"body.{name}",
                         f"{product.short_name}の返還額は表によらないため、{name} は指定できません。")
    if method == "table":
        if plan_id is not None:
            resolve_plan(product, plan_id)
        found = refund_by_table(product, base_refund, unexpired_months, contract_start, cancellation_date)
    elif method == "monthly":
        found = refund_monthly(product, plan_id, contract_start, cancellation_date)
    elif method == "daily":
        found = refund_daily(product, plan_id, contract_start, cancellation_date, installment_amount)
    else:
        resolve_plan(product, plan_id)  # a plan named must be one of the product's (none has none)
        found = refund_none(product)
    return _with_early_termination(product, found, contract_start, cancellation_date)


_RENEWAL_MONTHS = {"auto_yearly": 12}


def _term_of(product: Product, plan_id: str | None) -> Term | None:
    service = next((s for s in product.service_products if s.id == plan_id), None)
    if service is not None:
        return service.term
    return product.terms[0] if product.terms else None


def term_last_day(term: Term, start: date, day: date) -> date | None:
    """The last day of the contract term `day` falls in, counted from `start`: the first term of
    `term.months`, then each renewal (a year for auto_yearly, the same length for auto_same_term); None
    when `day` is past a term that is not renewed, or the term has no length."""
    if not term.months:
        return None
    renewal = _RENEWAL_MONTHS.get(term.renewal, term.months if term.renewal == "auto_same_term" else 0)
    months = term.months
    last = period_last_day(start, counting="include_first_day", months=months)
    while last < day:
        if not renewal:
            return None
        months += renewal
        last = period_last_day(start, counting="include_first_day", months=months)
    return last


def _with_early_termination(
    product: Product, found: Refund, start: date | None, cancellation: date | None
) -> Refund:
    """The answer, with the fee that leaving before the term's last day may cost, where the seed says so."""
    fee = product.pricing.refund.early_termination
    term = _term_of(product, found.plan_id)
    if fee is None or term is None or start is None or cancellation is None:
        return found
    last = term_last_day(term, start, cancellation)
    if last is None or cancellation >= last:
        return found
    contact = product.contact(fee.ask)
    assert contact.phone is not None  # the catalog checks that the contact has one
    message = (f"いまの契約期間（{term.label}）は{jdate(last)}までのため、途中の解約になります。解約金をご負担いただく"
               f"場合があります。解約金の額は公表されていないため、「{contact.label}」の窓口でご確認ください。")
    notice = EarlyTerminationFee(message, last, contact.label, contact.phone, contact.hours)
    basis = [*found.basis, Basis("rule", "途中解約の解約金", fee.text, fee.source)]
    return replace(found, early_termination=notice, basis=basis)
