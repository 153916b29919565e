"""The published tables in products.yaml, cell by cell, against the figures of the source documents.

Every expected figure below is typed from the seed document named in the comment; nothing is read
back from products.yaml or from the seed files at test time.
"""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from catalog import Catalog

# --------------------------------------------------------------------------------------------
# わたしのお守り総合補償制度 (004): 中途加入掛金表
# 保険開始日 | 手続き締切日 | 口座振替日 | Aプラン | Bプラン | Cプラン | Dプラン
# The seed prints the debit date without a year (「5月27日」); it is the start month's year.
# --------------------------------------------------------------------------------------------
MIDTERM_ROWS = [
    (date(2025, 5, 1), date(2025, 4, 21), date(2025, 5, 27), {"A": 25270, "B": 20170, "C": 14560, "D": 10710}),
    (date(2025, 6, 1), date(2025, 5, 20), date(2025, 6, 27), {"A": 22970, "B": 18350, "C": 13250, "D": 9750}),
    (date(2025, 7, 1), date(2025, 6, 20), date(2025, 7, 28), {"A": 20680, "B": 16510, "C": 11920, "D": 8770}),
    (date(2025, 8, 1), date(2025, 7, 22), date(2025, 8, 27), {"A": 18370, "B": 14670, "C": 10590, "D": 7790}),
    (date(2025, 9, 1), date(2025, 8, 20), date(2025, 9, 29), {"A": 16080, "B": 12840, "C": 9270, "D": 6820}),
    (date(2025, 10, 1), date(2025, 9, 22), date(2025, 10, 27), {"A": 13780, "B": 11020, "C": 7950, "D": 5850}),
    (date(2025, 11, 1), date(2025, 10, 20), date(2025, 11, 27), {"A": 11490, "B": 9170, "C": 6620, "D": 4870}),
    (date(2025, 12, 1), date(2025, 11, 20), date(2025, 12, 29), {"A": 9190, "B": 7340, "C": 5300, "D": 3900}),
    (date(2026, 1, 1), date(2025, 12, 22), date(2026, 1, 27), {"A": 6900, "B": 5500, "C": 3970, "D": 2920}),
    (date(2026, 2, 1), date(2026, 1, 20), date(2026, 2, 27), {"A": 4590, "B": 3670, "C": 2650, "D": 1950}),
    (date(2026, 3, 1), date(2026, 2, 20), date(2026, 3, 27), {"A": 2300, "B": 1840, "C": 1330, "D": 980}),
]
MIDTERM_CELLS = [
    (start, plan, premiums[plan]) for start, _deadline, _debit, premiums in MIDTERM_ROWS for plan in "ABCD"
]

# --------------------------------------------------------------------------------------------
# ストーカー対策費用保険金の改定 (001): 別表 返還保険料（加算金額）, rows 150..900 × 未経過月数
# --------------------------------------------------------------------------------------------
REFUND_COLUMNS = ["1か月以下"] + [f"{m}か月" for m in range(2, 24)]
REFUND_ROWS = {
    150: [0, 60, 90, 130, 160, 190, 220, 250, 280, 310, 340, 380,
          410, 440, 470, 500, 530, 560, 590, 630, 660, 690, 720],
    200: [0, 60, 90, 130, 160, 190, 220, 250, 280, 310, 340, 380,
          410, 440, 470, 500, 530, 560, 590, 630, 660, 690, 720],
    250: [0, 60, 90, 130, 160, 190, 220, 250, 280, 310, 340, 380,
          410, 440, 470, 500, 530, 560, 590, 630, 660, 690, 720],
    300: [0, 60, 90, 130, 160, 190, 220, 250, 280, 310, 340, 380,
          410, 440, 470, 500, 530, 560, 590, 630, 660, 690, 720],
    350: [30, 60, 90, 130, 160, 190, 220, 250, 280, 310, 340, 380,
          410, 440, 470, 500, 530, 560, 590, 630, 660, 690, 720],
    400: [30, 60, 90, 130, 160, 190, 220, 250, 280, 310, 340, 380,
          410, 440, 470, 500, 530, 560, 590, 630, 660, 690, 720],
    500: [30, 60, 90, 130, 160, 190, 220, 250, 280, 310, 340, 380,
          410, 440, 470, 500, 530, 560, 590, 630, 660, 690, 720],
    600: [30, 60, 90, 130, 160, 190, 220, 250, 280, 310, 340, 380,
          410, 440, 470, 500, 530, 560, 590, 630, 660, 690, 720],
    700: [30, 60, 90, 130, 160, 190, 220, 250, 280, 310, 340, 380,
          410, 440, 470, 500, 530, 560, 590, 630, 660, 690, 720],
    800: [30, 60, 90, 130, 160, 190, 220, 250, 280, 310, 340, 380,
          410, 440, 470, 500, 530, 560, 590, 630, 660, 690, 720],
    900: [30, 60, 90, 130, 160, 190, 220, 250, 280, 310, 340, 380,
          410, 440, 470, 500, 530, 560, 590, 630, 660, 690, 720],
}
REFUND_CELLS = [
    (key, col, label, cells[col]) for key, cells in REFUND_ROWS.items() for col, label in enumerate(REFUND_COLUMNS)
]

# --------------------------------------------------------------------------------------------
# わたしのお守り (004): 補償内容と掛金. ①被害事故 ②人格権侵害 ③労働 ④借地・借家 ⑤遺産分割調停 ⑥離婚調停
# 「Aプランは①から⑥まで、Bプランは①・②・③、Cプランは①・②のトラブルを補償します。」 D: all「-」.
# --------------------------------------------------------------------------------------------
TROUBLES = {
    "①": "victim_accident",
    "②": "personality_rights",
    "③": "labor",
    "④": "land_house_lease",
    "⑤": "inheritance_mediation",
    "⑥": "divorce_mediation",
}
JLSA_PLANS = {
    # plan: (年間掛金, うち損害保険料, 制度運営費(年会費), 死亡・後遺障害, 弁護士費用補償のトラブル)
    "A": (27560, 25520, 2040, 1_400_000, "①②③④⑤⑥"),
    "B": (22010, 19970, 2040, 1_100_000, "①②③"),
    "C": (15890, 13850, 2040, 700_000, "①②"),
    "D": (11690, 9650, 2040, 300_000, ""),
}

# --------------------------------------------------------------------------------------------
# スマサポクラブ (002): 第10条 出動サポート料金表 (税込). general amount None = 実費.
# (料金, 時間帯 or None when the seed words it as a footnote, 区分, 一般, 一般は「〜」, 加入者, 加入者の値引)
# --------------------------------------------------------------------------------------------
DISPATCH_ROWS = [
    ("基本出張料金", "8:00〜20:00", "カギ・水まわり", 8800, True, "free", None),
    ("基本出張料金", "8:00〜20:00", "ガラス", 6600, True, "free", None),
    ("基本出張料金", "9:00〜20:00", "パソコン", 8800, True, "discount", 5000),
    ("基本出張料金", "上記以外", "カギ・水まわり", 12100, True, "free", None),
    ("基本出張料金", "上記以外", "ガラス", 13200, True, "free", None),
    ("基本出張料金", "上記以外", "パソコン", 12100, True, "discount", 5000),
    ("特別休日料金(正月・お盆)", None, "ガラス", 6600, True, "free", None),
    ("作業料金(60分以内)", "-", "-", None, False, "free", None),
    ("作業料金(60分超)", "-", "-", None, False, "actual_cost", None),
    ("特殊作業料金", "-", "-", None, False, "actual_cost", None),
    ("部品代金", "-", "-", None, False, "actual_cost", None),
]


def _norm(text: str) -> str:
    """Compare labels regardless of full/half-width forms (（ vs ( ) and spacing."""
    return "".join(unicodedata.normalize("NFKC", text).split())


# --------------------------------------------------------------------------------------------
# Mid-term table
# --------------------------------------------------------------------------------------------


def test_given_the_jlsa_midterm_table_then_it_has_the_eleven_start_months_of_the_seed_in_order(catalog: Catalog):
    table = catalog.product("watashi-no-omamori").midterm_table
    assert table is not None
    assert [row.coverage_start for row in table.rows] == [start for start, *_ in MIDTERM_ROWS]


@pytest.mark.parametrize(
    ("start", "plan", "expected"), MIDTERM_CELLS, ids=[f"{s:%Y-%m}-{p}" for s, p, _ in MIDTERM_CELLS]
)
def test_given_a_midterm_start_month_and_plan_then_the_catalog_cell_is_the_seed_figure(
    catalog: Catalog, start: date, plan: str, expected: int
):
    table = catalog.product("watashi-no-omamori").midterm_table
    assert table is not None
    row = next(r for r in table.rows if r.coverage_start == start)
    assert row.premiums[plan] == expected
    assert type(row.premiums[plan]) is int  # yen as int, never float or text


@pytest.mark.parametrize(
    ("start", "deadline", "debit"),
    [(s, dl, db) for s, dl, db, _ in MIDTERM_ROWS],
    ids=[f"{s:%Y-%m}" for s, *_ in MIDTERM_ROWS],
)
def test_given_a_midterm_start_month_then_its_deadline_and_debit_date_are_the_seed_dates(
    catalog: Catalog, start: date, deadline: date, debit: date
):
    table = catalog.product("watashi-no-omamori").midterm_table
    assert table is not None
    row = next(r for r in table.rows if r.coverage_start == start)
    assert (row.application_deadline, row.debit_date) == (deadline, debit)


def test_given_the_midterm_table_then_its_fee_and_day_rules_are_the_seeds(catalog: Catalog):
    # 「掛金は保険料+制度運営費(月会費170円)」; 締切日 始期月前月の20日; 振替日 保険始期月の27日.
    table = catalog.product("watashi-no-omamori").midterm_table
    assert table is not None
    assert (table.monthly_fee, table.deadline_day, table.debit_day) == (170, 20, 27)
    assert len(table.rows) * 4 == 44


# --------------------------------------------------------------------------------------------
# Refund table
# --------------------------------------------------------------------------------------------


def test_given_the_rider_refund_table_then_its_row_keys_and_column_labels_are_the_seeds(catalog: Catalog):
    refund = catalog.product("stalker-rider").refund_table
    assert refund is not None
    assert [row.key for row in refund.rows] == [150, 200, 250, 300, 350, 400, 500, 600, 700, 800, 900]
    assert refund.columns == REFUND_COLUMNS
    assert len(refund.columns) == 23
    assert refund.term_months == 24  # 「保険期間2年間の場合の保険料、月数とします」


@pytest.mark.parametrize(
    ("key", "col", "label", "expected"), REFUND_CELLS, ids=[f"{k}-{lbl}" for k, _, lbl, _ in REFUND_CELLS]
)
def test_given_a_refund_row_and_unexpired_months_then_the_catalog_cell_is_the_seed_figure(
    catalog: Catalog, key: int, col: int, label: str, expected: int
):
    refund = catalog.product("stalker-rider").refund_table
    assert refund is not None
    row = next(r for r in refund.rows if r.key == key)
    assert refund.columns[col] == label
    assert row.cells[col] == expected


def test_given_the_refund_table_then_all_253_cells_are_covered():
    assert len(REFUND_CELLS) == 11 * 23 == 253
    assert len(MIDTERM_CELLS) == 44


# --------------------------------------------------------------------------------------------
# JLSA plans
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("plan_id", list(JLSA_PLANS))
def test_given_a_jlsa_plan_then_its_contribution_premium_fee_and_death_benefit_are_the_seeds(
    catalog: Catalog, plan_id: str
):
    contribution, premium, fee, death, _troubles = JLSA_PLANS[plan_id]
    plan = catalog.product("watashi-no-omamori").plan(plan_id)
    assert (plan.annual_contribution, plan.annual_premium, plan.annual_fee) == (contribution, premium, fee)
    assert plan.death_disability == death


@pytest.mark.parametrize("plan_id", list(JLSA_PLANS))
def test_given_a_jlsa_plan_then_it_covers_exactly_the_seeds_legal_troubles(catalog: Catalog, plan_id: str):
    product = catalog.product("watashi-no-omamori")
    expected = [TROUBLES[mark] for mark in JLSA_PLANS[plan_id][4]]
    assert product.plan(plan_id).legal_troubles == expected
    # The plan table's ○/- rows say the same.
    for mark, _trouble in TROUBLES.items():
        feature = next(f for f in product.plan_features if f.label.startswith(f"弁護士費用補償 {mark}"))
        assert feature.values[plan_id] == ("○" if mark in JLSA_PLANS[plan_id][4] else "-")


def test_given_the_jlsa_plans_then_the_death_benefit_payout_and_lawyer_benefits_follow_the_plan_table(
    catalog: Catalog,
):
    product = catalog.product("watashi-no-omamori")
    assert [p.id for p in product.plans] == ["A", "B", "C", "D"]
    payout = product.benefit("injury-death-disability").payout
    assert payout is not None and payout.kind == "by_plan"
    assert payout.amounts == {pid: figures[3] for pid, figures in JLSA_PLANS.items()}  # type: ignore[union-attr]
    # D has no 弁護士費用補償; the two lawyer benefits are for A–C only.
    assert product.benefit("legal-fees").plans == ["A", "B", "C"]
    assert product.benefit("legal-consultation").plans == ["A", "B", "C"]
    # 弁護士費用: ×(100% − 10%), 通算200万円限度; 法律相談: − 1,000円, 通算10万円限度.
    legal = product.benefit("legal-fees").payout
    consult = product.benefit("legal-consultation").payout
    assert legal is not None and (legal.kind, legal.paid_percent, legal.cap) == ("coinsurance", 90, 2_000_000)  # type: ignore[union-attr]
    assert consult is not None and (consult.kind, consult.deductible, consult.cap) == ("deductible", 1000, 100_000)  # type: ignore[union-attr]


def test_given_the_jlsa_scheme_fee_then_annual_and_monthly_fees_are_the_seeds(catalog: Catalog):
    # (*)掛金は保険料+制度運営費(年会費2,040円); (※1)制度運営費(月会費170円).
    pricing = catalog.product("watashi-no-omamori").pricing
    assert pricing.item("scheme-fee-annual").amount == 2040
    assert pricing.item("scheme-fee-monthly").amount == 170


# --------------------------------------------------------------------------------------------
# スマサポ dispatch fee table
# --------------------------------------------------------------------------------------------


def test_given_the_dispatch_fee_table_then_it_has_the_seeds_rows_in_order(catalog: Catalog):
    table = catalog.product("smasapo-club").dispatch_fee_table
    assert table is not None
    assert len(table.rows) == len(DISPATCH_ROWS)
    assert [(_norm(r.fee_kind), r.category) for r in table.rows] == [
        (_norm(kind), category) for kind, _hours, category, *_ in DISPATCH_ROWS
    ]


@pytest.mark.parametrize(("index", "expected"), list(enumerate(DISPATCH_ROWS)), ids=[str(i) for i in range(11)])
def test_given_a_dispatch_fee_row_then_general_and_member_prices_are_the_seeds(
    catalog: Catalog, index: int, expected: tuple[object, ...]
):
    kind, hours, category, general, general_from, member, discount = expected
    table = catalog.product("smasapo-club").dispatch_fee_table
    assert table is not None
    row = table.rows[index]
    assert _norm(row.fee_kind) == _norm(str(kind))
    if hours is not None:
        assert row.hours == hours
    assert row.category == category
    assert (row.general_amount, row.general_from, row.member, row.member_discount) == (
        general,
        general_from,
        member,
        discount,
    )
    if general is None:
        assert row.general == "実費"
    else:
        assert row.general == f"{general:,}円〜"


def test_given_the_dispatch_fee_table_then_overtime_is_1100_yen_per_10_minutes_tax_included(catalog: Catalog):
    # 「60分を超えてから 10分ごとに 1,100 円(税込)の費用が発生します」
    table = catalog.product("smasapo-club").dispatch_fee_table
    assert table is not None
    assert (table.overtime_fee, table.overtime_unit_minutes, table.tax) == (1100, 10, "tax_included")
