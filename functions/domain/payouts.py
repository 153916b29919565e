"""What a benefit is estimated to pay for a claim's payable expenses.

The parameters come from each benefit's `payout` in the catalog; the arithmetic is here, one small
function per payout kind. Limits are applied in date order (the earliest expense is paid first),
so a claim that runs past a limit is cut on its latest expenses, and a limit counted across claims
starts from what earlier claims in its scope used (`Used`, from the policy's ledger). Amounts are int yen throughout;
a percentage is rounded down to the yen, so an estimate never promises more than the policy pays.
Each rule works on the unit its sentence names: nights and days inside the windows (an expense's
`counted`), a share of the fees of one trouble (one rounding for the trouble, not one per invoice).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from catalog.models import (
    ActualCapped,
    Benefit,
    ByPlan,
    Coinsurance,
    Deductible,
    Flat,
    HourlyService,
    PerDay,
    PerNight,
    Product,
)
from domain.ledger import NOTHING_USED, Used

if TYPE_CHECKING:
    from domain.claim_rules import Expense


@dataclass(frozen=True)
class Estimate:
    benefit_id: str
    amount: int  # yen the policy is estimated to pay for the payable expenses
    claimed: int  # yen claimed (sum of payable expense amounts)
    basis: str  # Japanese, e.g. "1泊10,000円×14泊まで（実費が上限）"
    lines: list[dict[str, Any]] = field(default_factory=list)  # per expense: date, amount, paid, note (nights, days)
    used: Used = NOTHING_USED  # what earlier claims in the limit's scope hold
    nights: int = 0  # nights this estimate pays for
    days: int = 0  # days this estimate pays for
    trouble_costs: int = 0  # costs this claim counts for its trouble, where the benefit runs per trouble


class PayoutError(ValueError):
    """The estimate cannot be made from what was given (e.g. a plan is needed and missing)."""

    def __init__(self, field_name: str, message: str) -> None:
        self.field = field_name
        self.message = message
        super().__init__(message)


def yen(amount: int) -> str:
    return f"{amount:,}円"


def _cap_note(cap: int, used: Used, name: str = "限度額") -> str:
    note = f"{name}{yen(cap)}まで"
    return note + f"（これまでのご請求の{yen(used.yen)}を差し引き）" if used.yen else note


_UNIT_LABELS = {
    "per_incident": "1事故につき",
    "per_year": "保険期間1年間につき通算",
    "per_term": "期間内に1回",
    "per_claim": "1回の請求につき",
    "per_membership_year": "年に1回",
}


def _line(expense: Expense, paid: int, note: str) -> dict[str, Any]:
    return {"date": expense.date, "amount": expense.amount, "paid": paid, "note": note}


def _counted_places(e: Expense) -> list[int]:
    """The expense's nights or days that count, by their place in the stay or spell (all when the engine
    named none)."""
    return list(range(e.nights or e.days or 1)) if e.counted is None else list(e.counted)


def _in_date_order(expenses: Sequence[Expense]) -> list[Expense]:
    return sorted(expenses, key=lambda e: e.date)


def _actual_capped(p: ActualCapped, expenses: list[Expense], used: Used) -> tuple[str, list[dict[str, Any]]]:
    remaining = max(0, p.cap - used.yen)
    lines = []
    for e in expenses:
        paid = min(e.amount, remaining)
        remaining -= paid
        note = "実費" if paid == e.amount else _cap_note(p.cap, used)
        lines.append(_line(e, paid, note))
    return f"実費を{_UNIT_LABELS[p.cap_unit]}{yen(p.cap)}まで", lines


def _per_night(p: PerNight, expenses: list[Expense], used: Used) -> tuple[str, list[dict[str, Any]]]:
    # 「1泊1万円」 caps each night (the seed's Q&A: 実費が1万円以下なら実費). A receipt that itemises its
    # nights is capped night by night; one that gives only a total is read as that total spread evenly
    # over its nights (the average night), the only reading its figures allow. The nights paid are the
    # earliest: those inside the window, then those within the 14.
    nights_left = max(0, p.max_nights - used.nights)
    yen_left = max(0, p.nightly_cap * p.max_nights - used.yen)
    lines = []
    for e in expenses:
        nights = e.nights or 1
        inside = _counted_places(e)
        in_window = len(inside)
        counted = min(in_window, nights_left)
        if e.night_amounts:
            counted_nights = [e.night_amounts[i] for i in inside[:counted]]
            cost_of_counted = sum(counted_nights)
            capped = sum(min(a, p.nightly_cap) for a in counted_nights)
        else:
            cost_of_counted = e.amount * counted // nights
            capped = min(cost_of_counted, p.nightly_cap * counted)
        paid = min(capped, yen_left)
        nights_left -= counted
        yen_left -= paid
        notes = []
        if in_window < nights:
            notes.append(f"対象となる期間の外の{nights - in_window}泊は対象外")
        if counted < in_window:
            before = f"（これまでのご請求で{used.nights}泊）" if used.nights else ""
            notes.append(f"{p.max_nights}泊を超える{in_window - counted}泊は対象外{before}")
        if capped < cost_of_counted:
            notes.append(f"1泊{yen(p.nightly_cap)}まで")
        lines.append({**_line(e, paid, "、".join(notes) or "実費"), "nights": counted})
    return f"1泊{yen(p.nightly_cap)}×{p.max_nights}泊まで（実費が上限）", lines


def _hourly(p: HourlyService, expenses: list[Expense], used: Used) -> tuple[str, list[dict[str, Any]]]:
    # Guard service is billed by the hour at the provider's rate; the hours decide the cost, and a
    # bill below hours × rate is paid as billed. The limit is per incident, less what it already paid.
    yen_left = max(0, p.cap - used.yen)
    lines = []
    for e in expenses:
        cost = e.amount
        note = "実費"
        if e.hours is not None:
            by_rate = p.hourly_rate * e.hours
            if cost == 0 or cost > by_rate:
                cost, note = by_rate, f"1時間{yen(p.hourly_rate)}×{e.hours}時間"
        paid = min(cost, yen_left)
        if paid < cost:
            note = _cap_note(p.cap, used)
        yen_left -= paid
        lines.append(_line(e, paid, note))
    return f"1時間{yen(p.hourly_rate)}（税込）×時間、{_UNIT_LABELS[p.cap_unit]}{yen(p.cap)}まで", lines


def _coinsurance(p: Coinsurance, expenses: list[Expense], used: Used) -> tuple[str, list[dict[str, Any]]]:
    # 「1つのトラブルに関する…費用 × (100% - 10%)」: the share is of the trouble's fees, rounded down once.
    # Each line gets the growth of the rounded share of the running total, so the lines add up to it; the
    # total runs on from the fees earlier claims on the same trouble counted, so claims add up to it too.
    yen_left = max(0, p.cap - used.yen)
    lines = []
    running = used.trouble_costs
    for e in expenses:
        before = running * p.paid_percent // 100
        running += e.amount
        share = running * p.paid_percent // 100 - before
        paid = min(share, yen_left)
        yen_left -= paid
        note = f"{yen(e.amount)}×{p.paid_percent}%" if paid == share else _cap_note(p.cap, used, "年間限度額")
        lines.append(_line(e, paid, note))
    own = 100 - p.paid_percent
    return f"費用×{p.paid_percent}%（自己負担{own}%）、{_UNIT_LABELS[p.cap_unit]}{yen(p.cap)}まで", lines


def _deductible(p: Deductible, expenses: list[Expense], used: Used) -> tuple[str, list[dict[str, Any]]]:
    # The deductible is per trouble, whatever the number of consultations or claims (「同一のトラブルに
    # 起因して行われた一連の…相談・依頼は、その回数…にかかわらず…1つの…相談・依頼とみなし」): it is taken once,
    # from the trouble's earliest costs first; what earlier claims on the trouble counted has taken its part.
    deductible_left = max(0, p.deductible - used.trouble_costs)
    earlier = p.deductible - deductible_left
    yen_left = max(0, p.cap - used.yen)
    lines = []
    for e in expenses:
        taken = min(e.amount, deductible_left)
        deductible_left -= taken
        paid = min(e.amount - taken, yen_left)
        yen_left -= paid
        notes = [f"自己負担額{yen(taken)}を差し引き"] if taken else []
        if earlier:
            notes.append(f"自己負担額のうち{yen(earlier)}は同じトラブルのこれまでのご請求で差し引き済み")
            earlier = 0
        if paid < e.amount - taken:
            notes.append(_cap_note(p.cap, used, "年間限度額"))
        lines.append(_line(e, paid, "、".join(notes) or "実費"))
    basis = f"費用－自己負担額{yen(p.deductible)}（1つのトラブルにつき）、{_UNIT_LABELS[p.cap_unit]}{yen(p.cap)}まで"
    return basis, lines


def _per_day(p: PerDay, expenses: list[Expense], used: Used) -> tuple[str, list[dict[str, Any]]]:
    days_left = max(0, p.max_days - used.days)
    yen_left = max(0, p.daily_amount * p.max_days - used.yen)
    lines = []
    for e in expenses:
        days = e.days or 1
        in_window = len(_counted_places(e))
        counted = min(in_window, days_left)
        paid = min(p.daily_amount * counted, yen_left)
        days_left -= counted
        yen_left -= paid
        note = f"日額{yen(p.daily_amount)}×{counted}日"
        if in_window + e.held_elsewhere < days:
            note += f"（対象となる期間の外の{days - in_window - e.held_elsewhere}日は対象外）"
        if e.held_elsewhere:
            note += f"（別のご請求でお支払い・審査中の{e.held_elsewhere}日は対象外）"
        if counted < in_window:
            before = f"、これまでのご請求で{used.days}日" if used.days else ""
            note += f"（{p.max_days}日限度{before}）"
        lines.append({**_line(e, paid, note), "days": counted})
    return f"日額{yen(p.daily_amount)}×{p.max_days}日限度", lines


def _once(amount: int, expenses: list[Expense], used: Used) -> list[dict[str, Any]]:
    # A fixed sum is paid once for the incident, whatever the expenses; later lines are shown unpaid.
    # A claim with no expenses (a 見舞金 for damage) is paid the sum on one undated line.
    left = max(0, amount - used.yen)
    if not expenses:
        return [{"date": None, "amount": 0, "paid": left, "note": "定額"}]
    lines = []
    for e in expenses:
        lines.append(_line(e, left, "定額") if left else _line(e, 0, "定額のため支払済み"))
        left = 0
    return lines


def estimate_payout(
    product: Product,
    benefit_id: str,
    *,
    plan_id: str | None,
    expenses: list[Expense],
    used: Used = NOTHING_USED,
) -> Estimate:
    """Estimate the payout of one benefit for the expenses that the claim rules found payable."""
    benefit = product.benefit(benefit_id)
    payout = benefit.payout
    ordered = _in_date_order(expenses)
    claimed = sum(e.amount for e in ordered)
    if payout is None:
        raise PayoutError("body.benefit_id", "この給付は見込み額を計算できません。")
    basis: str
    lines: list[dict[str, Any]]
    if isinstance(payout, Flat):
        basis, lines = f"一律{yen(payout.amount)}", _once(payout.amount, ordered, used)
    elif isinstance(payout, ByPlan):
        if plan_id is None or plan_id not in payout.amounts:
            raise PayoutError("body.plan_id", "プランを選んでください。")
        amount = payout.amounts[plan_id]
        basis, lines = f"{plan_id}プラン {yen(amount)}", _once(amount, ordered, used)
    else:
        calc: Callable[[Any, list[Expense], Used], tuple[str, list[dict[str, Any]]]] = _CALCULATORS[type(payout)]
        basis, lines = calc(payout, ordered, used)
    return Estimate(
        benefit_id=benefit_id,
        amount=sum(int(line["paid"]) for line in lines),
        claimed=claimed,
        basis=basis,
        lines=lines,
        used=used,
        nights=sum(int(line.get("nights", 0)) for line in lines),
        days=sum(int(line.get("days", 0)) for line in lines),
        trouble_costs=claimed if benefit.per_trouble else 0,
    )


def allowance(benefit: Benefit, plan_id: str | None, used: Used) -> Used:
    """What is left of the benefit's limits in the scope, before this claim: yen, and the nights or
    days where the limit counts them (0 where it does not). A once-only benefit has nothing left once
    any claim holds it."""
    payout = benefit.payout
    if benefit.paid_once and used.claims:
        return NOTHING_USED
    if isinstance(payout, PerNight):
        return Used(yen=max(0, payout.nightly_cap * payout.max_nights - used.yen),
                    nights=max(0, payout.max_nights - used.nights))
    if isinstance(payout, PerDay):
        return Used(yen=max(0, payout.daily_amount * payout.max_days - used.yen),
                    days=max(0, payout.max_days - used.days))
    if isinstance(payout, Flat):
        return Used(yen=max(0, payout.amount - used.yen))
    if isinstance(payout, ByPlan):
        return Used(yen=max(0, payout.amounts.get(plan_id or "", 0) - used.yen))
    cap = getattr(payout, "cap", 0)
    return Used(yen=max(0, int(cap) - used.yen))


def unit_word(benefit: Benefit) -> str | None:
    """泊 or 日 where the benefit pays by the night or the day (a decision then names the nights or days it
    pays); None where it does not."""
    if isinstance(benefit.payout, PerNight):
        return "泊"
    if isinstance(benefit.payout, PerDay):
        return "日"
    return None


def paid_units(expenses: Sequence[Expense], estimate: Estimate) -> list[date]:
    """The nights (each by its date) or days an estimate of a per-night or per-day benefit pays, in date
    order: of each expense, the nights or days inside its windows that the limits left (its line's count),
    earliest first, as the estimate counted them."""
    units: list[date] = []
    for e, line in zip(_in_date_order(expenses), estimate.lines, strict=True):
        count = int(line.get("nights", line.get("days", 0)))
        units += [e.date + timedelta(days=i) for i in _counted_places(e)[:count]]
    return units


def only_units(expenses: Sequence[Expense], chosen: Collection[date]) -> list[Expense]:
    """The expenses cut to the chosen nights or days, for a decision that pays some of them. A receipt that
    itemises its nights keeps the chosen nights' own costs; one that gives a total keeps its average night
    (the estimate's reading, so which nights are chosen does not change the sum); a spell of days keeps
    the chosen days' count."""
    cut = []
    for e in expenses:
        span = e.nights or e.days or 1
        picked = [i for i in range(span) if e.date + timedelta(days=i) in chosen]
        if not picked:
            continue
        if e.night_amounts:
            costs = [e.night_amounts[i] for i in picked]
            cut.append(replace(e, date=e.date + timedelta(days=picked[0]), amount=sum(costs), nights=len(costs),
                               night_amounts=costs, counted=None, held_elsewhere=0))
        else:
            cut.append(replace(e, counted=tuple(picked), held_elsewhere=0))
    return cut


_CALCULATORS: dict[type, Callable[[Any, list[Any], Used], tuple[str, list[dict[str, Any]]]]] = {
    ActualCapped: _actual_capped,
    PerNight: _per_night,
    HourlyService: _hourly,
    Coinsurance: _coinsurance,
    Deductible: _deductible,
    PerDay: _per_day,
}


def line_to_json(line: dict[str, Any]) -> dict[str, Any]:
    out = dict(line)
    if isinstance(out.get("date"), date):
        out["date"] = out["date"].isoformat()
    return out


def limits_view(benefit: Benefit, plan_id: str | None, estimate: Estimate, scope_label: str) -> dict[str, Any]:
    """The limits of the scope for the claimant: used by earlier claims, left before this claim, and
    left after it if it is paid as estimated (yen, and nights or days where the limit counts them)."""
    used = estimate.used
    left = allowance(benefit, plan_id, used)
    once_only = benefit.paid_once
    view: dict[str, Any] = {
        "scope": scope_label,
        "once_only": once_only,
        "used_claims": used.claims,
        "used_yen": used.yen,
        "remaining_yen": left.yen,
        "after_yen": 0 if once_only and estimate.amount else max(0, left.yen - estimate.amount),
    }
    if isinstance(benefit.payout, PerNight):
        view |= {"used_nights": used.nights, "remaining_nights": left.nights,
                 "after_nights": max(0, left.nights - estimate.nights)}
    if isinstance(benefit.payout, PerDay):
        view |= {"used_days": used.days, "remaining_days": left.days, "after_days": max(0, left.days - estimate.days)}
    view["summary"] = _limits_sentence(view)
    return view


def _amounts(view: dict[str, Any], when: str) -> str:
    parts = [f"{view[when + '_nights']}泊"] if f"{when}_nights" in view else []
    parts += [f"{view[when + '_days']}日"] if f"{when}_days" in view else []
    return "・".join([*parts, yen(view[when + "_yen"])])


def _limits_sentence(view: dict[str, Any]) -> str:
    """The limits in one plain sentence for the claimant (the same on the form and the status page)."""
    scope = view["scope"]
    if view["once_only"] and view["used_claims"]:
        return (f"{scope}について、この補償はすでに別のご請求でお支払い（または審査中）です。"
                "1回までのため、今回の分は残っていません。")
    if not view["used_claims"]:
        earlier = f"{scope}について、これまでのご請求はありません。"
    else:
        earlier = (f"{scope}について、これまでのご請求で{_amounts(view, 'used')}を使っています"
                   f"（審査中の分を含みます）。今回のご請求の前の残りは{_amounts(view, 'remaining')}です。")
    return earlier + f"今回の見込み額どおりお支払いすると、残りは{_amounts(view, 'after')}です。"
