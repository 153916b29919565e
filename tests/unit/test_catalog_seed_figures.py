"""Prices, limits and periods of the catalog against the figures of the source documents.

Every expected figure is typed from the seed named in the comment, never read back from products.yaml.
"""

from __future__ import annotations

import pytest

from catalog import Catalog

# --------------------------------------------------------------------------------------------
# and ME (000)
# --------------------------------------------------------------------------------------------

# 補償内容: お支払限度額 240万円 / 6万円 / 20万円 / 1泊1万円 14泊まで / 40万円
ME_LIMITS = {
    "guard": 2_400_000,
    "mobile-security": 60_000,
    "countermeasures": 200_000,
    "moving": 400_000,
}

# セキュリティ機器一覧 (①〜⑦, 「〜」 = from). ⑥ is 補助錠 in the list of ①〜⑦ and 補助鍵(ALSOKロック) in the price list.
ME_EQUIPMENT = [
    ("①", "防犯カメラ", 40_000),
    ("②", "盗聴器・盗撮器探索サービス", 48_400),
    ("③", "ホームセキュリティ", 165_000),
    ("④", "鍵交換サービス", 49_500),
    ("⑤", "センサーライト", 66_000),
    ("⑥", "補助錠", 3_740),
    ("⑦", "ガラス窓強化フィルム", 33_000),
]

# ※警告等の発令から6か月以内 / 3ヶ月以内 / 4か月以内; 補償期間 最大12ヶ月
ME_WINDOWS_MONTHS = {"guard": 12, "mobile-security": 12, "countermeasures": 6, "lodging": 3, "moving": 4}


@pytest.mark.parametrize(("benefit_id", "limit"), list(ME_LIMITS.items()))
def test_given_an_and_me_benefit_then_its_limit_and_payout_cap_are_the_seeds(
    catalog: Catalog, benefit_id: str, limit: int
):
    benefit = catalog.product("and-me").benefit(benefit_id)
    assert [lim.amount for lim in benefit.limits] == [limit]
    assert benefit.payout is not None
    assert benefit.payout.cap == limit  # type: ignore[union-attr]


def test_given_and_me_lodging_then_it_pays_10000_yen_a_night_for_at_most_14_nights(catalog: Catalog):
    benefit = catalog.product("and-me").benefit("lodging")
    assert benefit.payout is not None
    assert (benefit.payout.kind, benefit.payout.nightly_cap, benefit.payout.max_nights) == ("per_night", 10_000, 14)  # type: ignore[union-attr]
    assert {(lim.amount, lim.unit) for lim in benefit.limits} == {(10_000, "per_night"), (140_000, "per_incident")}


def test_given_and_me_guard_then_the_reference_rate_is_6600_yen_an_hour_tax_included(catalog: Catalog):
    # 「通常、1時間6,600円(税込)のまもるっくの駆けつけ費用を補償します」
    benefit = catalog.product("and-me").benefit("guard")
    assert benefit.payout is not None
    assert (benefit.payout.kind, benefit.payout.hourly_rate) == ("hourly_service", 6600)  # type: ignore[union-attr]
    (hour,) = benefit.covered_items
    assert (hour.reference_price, hour.tax) == (6600, "tax_included")


def test_given_and_me_countermeasures_then_the_seven_items_and_reference_prices_are_the_seeds(catalog: Catalog):
    items = catalog.product("and-me").benefit("countermeasures").covered_items
    assert [(it.number, it.name.split("（")[0], it.reference_price, it.from_price) for it in items] == [
        (number, name, price, True) for number, name, price in ME_EQUIPMENT
    ]


@pytest.mark.parametrize(("benefit_id", "months"), list(ME_WINDOWS_MONTHS.items()))
def test_given_an_and_me_benefit_then_its_window_from_the_warning_is_the_seeds(
    catalog: Catalog, benefit_id: str, months: int
):
    rules = [r for r in catalog.product("and-me").benefit(benefit_id).claim_rules if r.kind == "expense_window"]
    assert [r.months for r in rules] == [months]  # type: ignore[union-attr]


def test_given_and_me_then_the_premium_is_500_yen_a_month_and_cover_starts_on_day_30(catalog: Catalog):
    product = catalog.product("and-me")
    monthly = product.pricing.item("monthly")
    assert (monthly.amount, monthly.unit, monthly.tax) == (500, "month", "not_taxable")
    assert (product.start_rule.kind, product.start_rule.days) == ("days_from_application", 30)
    # クレジットカード: 月払い・年額一括; コンビニ: 年額一括のみ; キャリア決済: 月払いのみ
    assert {m.id: sorted(m.frequencies) for m in product.pricing.payment_methods} == {
        "credit_card": ["annual", "monthly"],
        "convenience_store": ["annual"],
        "carrier_billing": ["monthly"],
    }


# --------------------------------------------------------------------------------------------
# ストーカー対策費用保険金 rider (001)
# --------------------------------------------------------------------------------------------


def test_given_the_rider_then_its_limit_is_300000_yen(catalog: Catalog):
    # 「対策のために生ずる費用に対して30万円を限度に保険金をお支払いする」
    benefit = catalog.product("stalker-rider").benefit("countermeasure-costs")
    assert [lim.amount for lim in benefit.limits] == [300_000]
    assert benefit.payout is not None
    assert benefit.payout.cap == 300_000  # type: ignore[union-attr]


# --------------------------------------------------------------------------------------------
# スマサポクラブ (002)
# --------------------------------------------------------------------------------------------


def test_given_smasapo_then_entrance_fee_and_monthly_fee_are_the_seeds_tax_included(catalog: Catalog):
    # 第11条 入会金は5,500円(税込); 第12条 月額 990円(税込)
    pricing = catalog.product("smasapo-club").pricing
    assert {(i.id, i.amount, i.unit, i.tax) for i in pricing.items} == {
        ("entrance-fee", 5500, "once", "tax_included"),
        ("monthly", 990, "month", "tax_included"),
    }
    # 第12条2項: 日割り計算による領収および返金はしない
    assert (pricing.proration.start_month, pricing.proration.cancel_month) == ("none", "none")


def test_given_smasapo_then_mimai_is_at_most_100000_yen_and_the_lodging_subsidy_10000_yen(catalog: Catalog):
    product = catalog.product("smasapo-club")
    mimai = product.benefit("mimai")
    subsidy = product.benefit("lodging-subsidy")
    assert [lim.amount for lim in mimai.limits] == [100_000]  # 第15条 100,000円を上限
    assert [lim.amount for lim in subsidy.limits] == [10_000]  # 第9条 最大10,000円
    assert mimai.payout is not None and mimai.payout.cap == 100_000  # type: ignore[union-attr]
    assert subsidy.payout is not None and subsidy.payout.cap == 10_000  # type: ignore[union-attr]
    # 第11条: 被害に遭ってから6ヶ月以内に転居
    windows = [r.months for r in mimai.claim_rules if r.kind == "expense_window"]  # type: ignore[union-attr]
    assert windows == [6]


def test_given_smasapo_then_the_membership_term_is_two_years(catalog: Catalog):
    # 第7条 会員契約期間は、当該サポート会員契約成立後から 2 年間とし、期間満了後は自動更新
    (term,) = catalog.product("smasapo-club").terms
    assert term.months == 24


# --------------------------------------------------------------------------------------------
# ALSOK (003)
# --------------------------------------------------------------------------------------------

ALSOK_PRICES = {
    "connect-monthly": 4070,  # HOME ALSOK Connectの場合、月額料金4,070円(税込)から
    "dispatch-online": 3300,  # 1回につき「3,300円(税込)」
    "dispatch-self": 11000,  # 1回につき「11,000円(税込)」
    "rusutaku-pack-monthly": 11000,  # るすたくセキュリティパック 月額 11,000円(税込)
    "arbo-eye-monthly-after-installments": 1100,  # かけつけサービスの月額料金1,100円(税込)
    "mamorukku-lost-device": 14256,  # 端末一台あたり14,256円
    "mamorukku-lost-fee": 6600,  # 紛失手続き手数料6,600円 (※価格は全て税込)
}


@pytest.mark.parametrize(("item_id", "amount"), list(ALSOK_PRICES.items()))
def test_given_an_alsok_price_then_it_is_the_seeds_figure_tax_included(catalog: Catalog, item_id: str, amount: int):
    item = catalog.product("home-alsok").pricing.item(item_id)
    assert (item.amount, item.tax) == (amount, "tax_included")


def test_given_alsok_then_only_the_connect_monthly_price_is_a_from_price(catalog: Catalog):
    items = catalog.product("home-alsok").pricing.items
    assert sorted(i.id for i in items) == sorted(ALSOK_PRICES)
    assert [i.id for i in items if i.from_price] == ["connect-monthly"]


def test_given_alsok_then_the_disaster_mimai_is_a_flat_100000_yen(catalog: Catalog):
    # 「被害が少額でも一律10万円の見舞金をお支払いいたします」
    benefit = catalog.product("home-alsok").benefit("disaster-mimai")
    assert benefit.payout is not None
    assert (benefit.payout.kind, benefit.payout.amount) == ("flat", 100_000)  # type: ignore[union-attr]
    # 対象商品 HOME ALSOK Connect・ホームセキュリティ Basic・HOME ALSOK Premium
    products = catalog.product("home-alsok").service_products
    covered = sorted(sp.id for sp in products if sp.disaster_benefit)
    assert covered == ["basic", "connect-online", "connect-self", "premium"]


def test_given_alsok_service_lines_then_their_contract_terms_are_the_seeds(catalog: Catalog):
    # オンライン 5年, セルフ 1年, みまもりサポート 5年, るすたく 1年, まもるっく 3年, アルボeye 2年契約
    terms = {sp.id: sp.term.months for sp in catalog.product("home-alsok").service_products if sp.term}
    assert terms == {
        "connect-online": 60,
        "connect-self": 12,
        "mimamori-support": 60,
        "rusutaku-pack": 12,
        "mamorukku": 36,
        "arbo-eye": 24,
    }


def test_given_alsok_then_start_and_cancel_months_are_prorated_daily(catalog: Catalog):
    # 「はい、開始・解約月ともに日割計算でのご請求です。」
    proration = catalog.product("home-alsok").pricing.proration
    assert (proration.start_month, proration.cancel_month) == ("daily", "daily")


# --------------------------------------------------------------------------------------------
# わたしのお守り (004): the rows of 補償内容と掛金 that are the same for every plan
# --------------------------------------------------------------------------------------------


def test_given_the_jlsa_benefits_then_the_common_figures_are_the_plan_tables(catalog: Catalog):
    product = catalog.product("watashi-no-omamori")
    hospital = product.benefit("injury-hospital").payout
    outpatient = product.benefit("injury-outpatient").payout
    # 入院(日額) 3,000円 (30日限度); 通院(日額) 1,000円 (30日限度, 事故の発生の日から1,000日以内)
    assert hospital is not None and (hospital.daily_amount, hospital.max_days) == (3000, 30)  # type: ignore[union-attr]
    assert outpatient is not None
    assert (outpatient.daily_amount, outpatient.max_days, outpatient.within_days_of_event) == (1000, 30, 1000)  # type: ignore[union-attr]
    # 手術 外来の手術:1.5万円 入院中の手術:3万円
    assert sorted(lim.amount for lim in product.benefit("injury-surgery").limits) == [15_000, 30_000]
    # 特定感染症 (葬祭費用保険金) 300万円限度; 個人賠償責任補償 国内・国外:3億円
    assert [lim.amount for lim in product.benefit("infection-funeral").limits] == [3_000_000]
    assert [lim.amount for lim in product.benefit("personal-liability").limits] == [300_000_000]
    # 弁護士費用 通算200万円限度; 法律相談・書類作成費用 通算10万円限度 (保険期間1年間につき)
    assert [(lim.amount, lim.unit) for lim in product.benefit("legal-fees").limits] == [(2_000_000, "per_year")]
    assert [(lim.amount, lim.unit) for lim in product.benefit("legal-consultation").limits] == [(100_000, "per_year")]


def test_given_the_jlsa_scheme_then_cover_ends_2026_04_01_at_16_00_tokyo_time(catalog: Catalog):
    # 保険期間 毎月1日午前0時から2026年4月1日午後4時まで
    (term,) = catalog.product("watashi-no-omamori").terms
    assert term.coverage_end is not None
    assert term.coverage_end.isoformat() == "2026-04-01T16:00:00+09:00"
