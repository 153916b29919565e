"""The product catalog: one strict model of products.yaml.

Imported by the site generator, the Lambda functions and the tests alike. Every figure is an int of
yen, every date a `date`; unknown keys are refused. Rules and tables are typed data so that the
engines stay generic over products. Each class is a plain read-only record (catalog/record.py): what
validates it, a pydantic model of the same fields, is built only when a catalog is validated.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal, Union

from pydantic import Field, Strict, model_validator

from catalog.record import Record

Date = date  # the name `date` is also a field of SourceDocument

# An amount of yen: a real int (no "16,510", no 1.5, no True), never negative.
Yen = Annotated[int, Strict(), Field(ge=0)]
Count = Annotated[int, Strict(), Field(ge=1)]
Percent = Annotated[int, Strict(), Field(ge=0, le=100)]
Id = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")]
PlanId = Annotated[str, Field(pattern=r"^[A-Z]$")]
SourceRef = Annotated[str, Field(min_length=1)]


class Strict_(Record):
    """Every catalog entry: unknown keys refused, read-only once loaded."""


class Clause(Strict_):
    """The seed sentence a rule rests on."""

    source: SourceRef
    text: str = Field(min_length=1)
    section: str | None = None


# --------------------------------------------------------------------------------------------
# Sources, providers, contacts
# --------------------------------------------------------------------------------------------


class SourceDocument(Strict_):
    file: str
    title: str
    publisher: str
    date: Date | None = None
    note: str | None = None


class Provider(Strict_):
    name: str
    role: str  # 引受保険会社, 提携, 運営, 取扱代理店 ...


class Contact(Strict_):
    label: str
    phone: str | None = None
    fax: str | None = None
    email: str | None = None
    url: str | None = None
    address: str | None = None
    hours: str | None = None
    # The number a prospect calls to ask before joining: the page's 「電話で相談」 (at most one per product).
    prospect: bool = False
    # The number a claimant calls about a claim: shown with every claim's status (one per product that
    # takes claims online).
    claims: bool = False
    source: SourceRef
    note: str | None = None


ApplyChannel = Literal["web", "paper", "at_rental_contract", "with_provider"]


ConsentId = Literal["important_matters", "personal_data"]


class Consent(Strict_):
    """One thing an online applicant agrees to: a required check box, recorded with the version of its text."""

    id: ConsentId
    label: str = Field(min_length=1)  # the check box: 重要事項を読み、内容に同意します。
    text: str | None = None  # shown above the box
    includes_notices: bool = False  # the product's 重要事項 (notices) are part of what is agreed to
    source: SourceRef | None = None
    note: str | None = None


class OnlineApplication(Strict_):
    """What the online application of a product asks and records (channel web only)."""

    number_prefix: str = Field(pattern=r"^[A-Z]{2}$")  # application numbers read AM-7K3Q-9XHD
    consents: list[Consent] = Field(min_length=1)
    after: list[str] = Field(min_length=1)  # what happens next, shown on the confirmation and in the e-mail
    # Answers the online form does not ask because every online application gives the same one (it is a
    # new contract: renewals are automatic), by fact id.
    assumed_facts: dict[str, bool] = Field(default_factory=dict)
    source: SourceRef
    note: str | None = None


class PostalAddress(Strict_):
    name: str = Field(min_length=1)  # 宛名
    postal_code: str = Field(pattern=r"^\d{3}-\d{4}$")
    address: str = Field(min_length=1)
    phone: str | None = None


class PaperApplication(Strict_):
    """What an applicant on paper sends, and where (channel paper only)."""

    forms: list[str] = Field(min_length=1)  # the forms' names as the seed gives them
    send_to: PostalAddress
    source: SourceRef
    note: str | None = None


class HowToApply(Strict_):
    """How a person joins, as the seed describes it: the page's first action and its steps."""

    channel: ApplyChannel
    action: str = Field(min_length=1)  # the button: お申込み / ご加入について / 導入のご相談 ...
    summary: str = Field(min_length=1)  # one sentence under the button
    steps: list[str] = Field(min_length=1)
    deadline: str | None = None  # e.g. paper forms: 始期月前月の20日到着分
    online: OnlineApplication | None = None  # the web form, for channel web
    paper: PaperApplication | None = None  # the forms and where they go, for channel paper
    source: SourceRef
    note: str | None = None


# --------------------------------------------------------------------------------------------
# Prices
# --------------------------------------------------------------------------------------------

TaxStatus = Literal["not_taxable", "tax_included", "not_stated"]
PriceUnit = Literal["month", "year", "once", "dispatch", "hour", "device", "ten_minutes"]
PaymentMethodId = Literal[
    "credit_card", "convenience_store", "carrier_billing", "account_transfer", "bank_transfer", "rent_bundled"
]
Frequency = Literal["monthly", "annual"]
ProrationRule = Literal["none", "daily", "monthly", "table"]
Rounding = Literal["floor", "round_half_up", "ceil"]


class PriceItem(Strict_):
    id: Id
    label: str
    amount: Yen
    unit: PriceUnit
    from_price: bool = False  # the seed says 〜 ("from")
    tax: TaxStatus
    refundable: bool | None = None
    source: SourceRef
    remark: str | None = None  # told to the customer with the figure; `note` is the maintainers' reading
    note: str | None = None


class PaymentMethod(Strict_):
    id: PaymentMethodId
    label: str
    frequencies: list[Frequency] = Field(min_length=1)
    source: SourceRef
    note: str | None = None


class Proration(Strict_):
    start_month: ProrationRule
    cancel_month: ProrationRule
    rounding: Rounding | None = None
    source: SourceRef
    remark: str | None = None  # told to the customer with the figure; `note` is the maintainers' reading
    note: str | None = None


class EarlyTermination(Strict_):
    """A fee the customer may owe for leaving inside a contract term, which the seed names without a figure:
    the answer says so and whom to ask (one of the product's contacts, by its label)."""

    text: str  # the seed's sentence
    ask: str  # the label of the contact that gives the amount
    source: SourceRef
    note: str | None = None


class RefundRule(Strict_):
    """What leaving mid-term returns."""

    method: Literal["none", "monthly", "daily", "table"]
    rounding: Rounding | None = None
    fee_refunded: bool = False
    non_refundable: list[Id] = Field(default_factory=list)  # price item ids never returned
    early_termination: EarlyTermination | None = None
    rule: str  # the rule in plain Japanese
    source: SourceRef
    remark: str | None = None  # told to the customer with the figure; `note` is the maintainers' reading
    note: str | None = None


class StartRule(Strict_):
    """When cover or service starts for an application made on a given day."""

    kind: Literal["days_from_application", "monthly_deadline", "on_acceptance", "on_service_start"]
    days: Count | None = None  # days_from_application
    counting: Literal["include_first_day", "exclude_first_day"] | None = None
    deadline_day: Annotated[int, Strict(), Field(ge=1, le=31)] | None = None  # monthly_deadline
    deadline_moves_to_next_business_day: bool = False
    start_time: str = "00:00"
    renewal_start_time: str | None = None
    rule: str  # in plain Japanese
    source: SourceRef
    note: str | None = None


class Pricing(Strict_):
    items: list[PriceItem] = Field(min_length=1)
    payment_methods: list[PaymentMethod] = Field(default_factory=list)
    proration: Proration
    refund: RefundRule
    due_rule: str | None = None  # when the next payment falls due, in the seed's words
    # the same as data, for schedules: each month's fee is due by the last day of the month before
    monthly_due: Literal["end_of_previous_month"] | None = None
    source: SourceRef
    remark: str | None = None  # told to the customer with the figure; `note` is the maintainers' reading
    note: str | None = None

    def item(self, item_id: str) -> PriceItem:
        for it in self.items:
            if it.id == item_id:
                return it
        raise KeyError(item_id)


class PricePeriod(Strict_):
    """The period a product's published prices and tables are for (one year's pamphlet).

    A quote, eligibility check or refund for a cover outside it is answered with "not published yet"
    and the number to call, never with an estimate. A later catalog with the next year's tables and
    period is served with no code change."""

    label: str  # customer words: 2025年度
    starts: date  # the first cover start the figures price
    ends: date  # the end of that period's cover (its last day); a cover starting then or later is not priced
    source: SourceRef
    remark: str  # what the pages say beside the figures
    note: str | None = None

    def covers(self, day: date) -> bool:
        return self.starts <= day < self.ends


class Term(Strict_):
    """A contract or cover term: its length and renewal."""

    id: Id
    label: str
    months: Count | None = None
    renewal: Literal["auto_yearly", "auto_same_term", "fixed_period", "none"]
    coverage_end: datetime | None = None  # a fixed end (group schemes), Asia/Tokyo
    source: SourceRef
    remark: str | None = None  # told to the customer with the figure; `note` is the maintainers' reading
    note: str | None = None


# --------------------------------------------------------------------------------------------
# Payout formulas: parameters here, arithmetic in domain code
# --------------------------------------------------------------------------------------------


class ActualCapped(Strict_):
    kind: Literal["actual_capped"]
    cap: Yen
    cap_unit: Literal["per_incident", "per_year", "per_term", "per_claim", "per_membership_year"]


class PerNight(Strict_):
    kind: Literal["per_night"]
    nightly_cap: Yen
    max_nights: Count


class HourlyService(Strict_):
    kind: Literal["hourly_service"]
    hourly_rate: Yen  # reference rate, tax included
    cap: Yen
    cap_unit: Literal["per_incident"]


class Coinsurance(Strict_):
    kind: Literal["coinsurance"]
    paid_percent: Percent
    cap: Yen
    cap_unit: Literal["per_year"]


class Deductible(Strict_):
    kind: Literal["deductible"]
    deductible: Yen
    cap: Yen
    cap_unit: Literal["per_year"]


class Flat(Strict_):
    kind: Literal["flat"]
    amount: Yen


class PerDay(Strict_):
    kind: Literal["per_day"]
    daily_amount: Yen
    max_days: Count
    within_days_of_event: Count | None = None


class ByPlan(Strict_):
    kind: Literal["by_plan"]
    amounts: dict[PlanId, Yen]


Payout = Annotated[
    Union[ActualCapped, PerNight, HourlyService, Coinsurance, Deductible, Flat, PerDay, ByPlan],
    Field(discriminator="kind"),
]


# --------------------------------------------------------------------------------------------
# Facts an applicant or claimant is asked for (the site builds its forms from these)
# --------------------------------------------------------------------------------------------


class FactOption(Strict_):
    value: str
    label: str


class Fact(Strict_):
    id: Id
    label: str  # the question, in Japanese
    type: Literal["date", "bool", "enum", "enum_list", "int", "yen", "date_list"]
    options: list[FactOption] = Field(default_factory=list)
    help: str | None = None
    personal: bool = False  # personal data: never logged, never stored by checks


# --------------------------------------------------------------------------------------------
# Eligibility rules (who may join)
# --------------------------------------------------------------------------------------------

Outcome = Literal["refuse", "refer", "condition"]


class AppliesIf(Strict_):
    """A rule that only applies when an enum fact takes one of these values."""

    fact: Id
    any_of: list[str] = Field(min_length=1)


class RuleBase(Strict_):
    code: Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9_]*$")]
    message: str  # Japanese, shown to the applicant
    clause: Clause
    applies_if: AppliesIf | None = None
    note: str | None = None


class MinAgeRule(RuleBase):
    kind: Literal["min_age"]
    min_age: Annotated[int, Strict(), Field(ge=0, le=120)]
    plans: list[PlanId] = Field(default_factory=list)  # empty = every plan
    age_on: Literal["coverage_start", "application_date"]
    fact: Id = "birth_date"
    outcome: Outcome = "refuse"


class FactRequiredRule(RuleBase):
    """A yes/no fact that must hold (membership, building under contract ...)."""

    kind: Literal["fact_required"]
    fact: Id
    expected: bool = True
    outcome: Outcome = "refuse"


class FactOneOfRule(RuleBase):
    """An enum fact whose value must be one of the listed ones (e.g. a base contract)."""

    kind: Literal["fact_one_of"]
    fact: Id
    allowed: list[str] = Field(min_length=1)
    outcome: Outcome = "refuse"


class FactNoneOfRule(RuleBase):
    """An enum fact whose value must not be one of the listed ones (excluded occupations, classes)."""

    kind: Literal["fact_none_of"]
    fact: Id
    excluded: list[str] = Field(min_length=1)
    outcome: Outcome = "refuse"


class LookbackRule(RuleBase):
    """Dated prior events: those within the look-back before the application date stay excluded."""

    kind: Literal["lookback"]
    fact: Id  # a date_list fact
    years: Annotated[int, Strict(), Field(ge=1)]
    outcome: Outcome = "condition"
    older_message: str  # what holds for events older than the look-back


class NoticeRule(RuleBase):
    """Always shown: a condition that holds for everyone who joins."""

    kind: Literal["notice"]
    outcome: Outcome = "condition"


EligibilityRule = Annotated[
    Union[MinAgeRule, FactRequiredRule, FactOneOfRule, FactNoneOfRule, LookbackRule, NoticeRule],
    Field(discriminator="kind"),
]


# --------------------------------------------------------------------------------------------
# Claim rules (is a claim payable)
# --------------------------------------------------------------------------------------------


class TriggerAfterStartRule(RuleBase):
    kind: Literal["trigger_after_start"]


class WaitingPeriodRule(RuleBase):
    """Triggers on days 1..days of the first year's cover (day 1 = start day) are not covered."""

    kind: Literal["waiting_period"]
    days: Count
    first_year_only: bool = True


class ExpenseWindowRule(RuleBase):
    """Each dated item must fall within `months` (or `days`) of the trigger: every night of a stay and
    every day of a spell of days, not only the expense's first date."""

    kind: Literal["expense_window"]
    months: Count | None = None
    days: Count | None = None
    measured_from: Literal["trigger", "expense"] = "trigger"
    # 民法 (the trigger day not counted) unless the sentence says 「その日を含めて」
    counting: Literal["include_first_day", "exclude_first_day"] = "exclude_first_day"

    @model_validator(mode="after")
    def _one_unit(self) -> ExpenseWindowRule:
        if (self.months is None) == (self.days is None):
            raise ValueError("give exactly one of months or days")
        return self


class ClaimDeadlineRule(RuleBase):
    """The claim (or notice) must reach the insurer within a period of the trigger or expense."""

    kind: Literal["claim_deadline"]
    years: Count | None = None
    months: Count | None = None
    days: Count | None = None
    measured_from: Literal["trigger", "expense"] = "trigger"
    counting: Literal["include_first_day", "exclude_first_day"]
    # "condition" where a late notice only may reduce what is paid (「お支払いできないことがあります」)
    outcome: Outcome = "refuse"

    @model_validator(mode="after")
    def _one_unit(self) -> ClaimDeadlineRule:
        if sum(x is not None for x in (self.years, self.months, self.days)) != 1:
            raise ValueError("give exactly one of years, months or days")
        return self


class OncePerRule(RuleBase):
    """Paid once in its scope: judged on the policy's ledger (an earlier claim reserved or paid), never asked."""

    kind: Literal["once_per"]
    scope: Literal["incident", "membership_year", "term"]


class AllowedItemsRule(RuleBase):
    kind: Literal["allowed_items"]
    items: list[str] = Field(min_length=1)  # CoveredItem ids


class PlanCoversRule(RuleBase):
    """An enum fact whose value must be among what the policy's plan covers (legal trouble types)."""

    kind: Literal["plan_covers"]
    fact: Id


class LimitNotExhaustedRule(RuleBase):
    """A new claim refused once a per-incident limit has been used: judged on the policy's ledger, never asked."""

    kind: Literal["limit_not_exhausted"]


class DayPaidOnceRule(RuleBase):
    """A day paid once for the insured person, whichever of their claims names it (an outpatient day under two
    injuries): judged on the policy's record of the days its claims hold, never asked."""

    kind: Literal["day_paid_once"]


ClaimRule = Annotated[
    Union[
        TriggerAfterStartRule,
        WaitingPeriodRule,
        ExpenseWindowRule,
        ClaimDeadlineRule,
        OncePerRule,
        AllowedItemsRule,
        FactRequiredRule,
        FactOneOfRule,
        FactNoneOfRule,
        PlanCoversRule,
        LimitNotExhaustedRule,
        DayPaidOnceRule,
    ],
    Field(discriminator="kind"),
]


# --------------------------------------------------------------------------------------------
# Benefits, services, documents
# --------------------------------------------------------------------------------------------


class CoveredItem(Strict_):
    id: Id
    number: str | None = None  # ① .. ⑦
    name: str
    reference_price: Yen | None = None
    from_price: bool = False
    tax: TaxStatus | None = None
    remark: str | None = None  # told to the customer with the figure; `note` is the maintainers' reading
    note: str | None = None


class RequiredDocument(Strict_):
    kind: Id
    label: str
    required: bool = True
    # The triggers whose claims ask for it (a burglary's theft report, a stalker case's warning); empty: all.
    triggers: list[Id] = Field(default_factory=list)
    note: str | None = None


class Limit(Strict_):
    amount: Yen
    unit: Literal[
        "per_incident", "per_year", "per_night", "per_term", "per_membership_year", "per_day", "flat", "per_claim"
    ]
    label: str  # as shown: 240万円 / 1泊1万円 14泊まで ...


# What a benefit's limits are counted over across claims under one policy (or membership): one
# incident (an accident, a warning, a trouble), a policy year, a membership year from the joining
# month, a contract term, or nothing beyond the claim itself.
LedgerUnit = Literal["incident", "year", "membership_year", "term", "claim"]
_LEDGER_UNITS: dict[str, LedgerUnit] = {
    "per_incident": "incident",
    "per_year": "year",
    "per_membership_year": "membership_year",
    "per_term": "term",
    "per_claim": "claim",
}


class Benefit(Strict_):
    id: Id
    name: str
    summary: str
    limits: list[Limit] = Field(default_factory=list)
    period: str | None = None  # 補償期間, in the seed's words
    window: str | None = None  # window from the trigger, in the seed's words
    once_only: str | None = None
    trigger: str  # what makes it payable
    trigger_types: list[Id] = Field(default_factory=list)  # e.g. police_warning, burglary, injury, dispute
    covered_items: list[CoveredItem] = Field(default_factory=list)
    not_covered: list[str] = Field(default_factory=list)
    plans: list[PlanId] = Field(default_factory=list)  # empty = every plan / no plans
    payout: Payout | None = None
    claimable_online: bool = True
    expense_kinds: list[Id] = Field(default_factory=list)
    claim_rules: list[ClaimRule] = Field(default_factory=list)
    documents: list[RequiredDocument] = Field(default_factory=list)
    direct_payment: bool = False
    source: SourceRef
    note: str | None = None

    @model_validator(mode="after")
    def _documents_name_its_triggers(self) -> Benefit:
        for doc in self.documents:
            unknown = [t for t in doc.triggers if t not in self.trigger_types]
            if unknown:
                raise ValueError(f"document {doc.kind} names triggers the benefit does not have: {unknown}")
        return self

    @model_validator(mode="after")
    def _once_per_on_the_limit_unit(self) -> Benefit:
        if self.payout is None:
            return self
        for rule in self.claim_rules:
            if isinstance(rule, OncePerRule) and rule.scope != self.ledger_unit:
                raise ValueError(f"{rule.code} is once per {rule.scope}, but the limit counts per {self.ledger_unit}")
            if isinstance(rule, LimitNotExhaustedRule) and self.ledger_unit != "incident":
                raise ValueError(f"{rule.code} needs a per-incident limit")
            if isinstance(rule, DayPaidOnceRule) and not isinstance(self.payout, PerDay):
                raise ValueError(f"{rule.code} needs a benefit paid by the day")
        return self

    @property
    def ledger_unit(self) -> LedgerUnit:
        """What this benefit's limits are counted over across claims.

        A cap names its unit (1事故につき, 保険期間1年間につき通算, 補償制度責任期間内に1回, 加入月を基準として年に1回).
        Nights, days and fixed sums are limited per incident: 「1つのストーカー事故について…14泊」,
        「1事故につき入院日数30日限度」, a 見舞金 or a plan's sum for one accident.
        """
        unit = getattr(self.payout, "cap_unit", None)
        return _LEDGER_UNITS[unit] if unit else "incident"

    @property
    def days_paid_once(self) -> bool:
        """Each of its days is paid once for the insured person across claims (a day_paid_once rule)."""
        return any(isinstance(r, DayPaidOnceRule) for r in self.claim_rules)

    @property
    def per_trouble(self) -> bool:
        """Its payout runs per trouble across claims: a deductible taken once per trouble (「1つのトラブルに
        関する…費用 - 自己負担額」), a share of a trouble's fees rounded once (「1つのトラブルに関する…費用 ×
        (100% - 10%)」)."""
        return isinstance(self.payout, Deductible | Coinsurance)

    @property
    def paid_once(self) -> bool:
        """Paid at most once in its ledger scope (a once_per rule): nothing is left once any claim holds it."""
        return any(isinstance(r, OncePerRule) for r in self.claim_rules)

    def documents_for(self, trigger_type: str | None) -> list[RequiredDocument]:
        """The documents a claim on this trigger asks for (None: those every claim asks for)."""
        return [d for d in self.documents if not d.triggers or trigger_type in d.triggers]


class Service(Strict_):
    id: Id
    name: str
    description: str
    hours: str | None = None
    fee: str | None = None
    source: SourceRef
    note: str | None = None


class FaqEntry(Strict_):
    topic: str
    q: str
    a: str
    source: SourceRef
    note: str | None = None


NoticeKind = Literal["overview", "attention", "other"]


class Notice(Strict_):
    """A notice of the 重要事項 section: 契約概要 (overview), 注意喚起情報 (attention) or other."""

    text: str
    heading: str | None = None  # e.g. クーリングオフ, 告知義務, 保険契約者保護機構
    kind: NoticeKind = "other"
    source: SourceRef
    note: str | None = None


# --------------------------------------------------------------------------------------------
# Published tables
# --------------------------------------------------------------------------------------------


class Plan(Strict_):
    id: PlanId
    name: str
    annual_contribution: Yen  # 年間掛金 = premium + scheme fee
    annual_premium: Yen  # うち損害保険料
    annual_fee: Yen  # 制度運営費 (年会費)
    legal_troubles: list[Id]  # 弁護士費用補償: which troubles (①..⑥) the plan covers
    death_disability: Yen
    source: SourceRef


class PlanFeature(Strict_):
    """A row of the plan table that is the same or differs by plan."""

    label: str
    values: dict[PlanId, str]


class MidtermRow(Strict_):
    coverage_start: date
    application_deadline: date
    debit_date: date
    premiums: dict[PlanId, Yen]  # 掛金 (insurance premium + monthly scheme fee)


class MidtermTable(Strict_):
    title: str
    monthly_fee: Yen  # 制度運営費 (月会費) included in each 掛金
    deadline_day: Annotated[int, Strict(), Field(ge=1, le=31)]  # the 20th of the month before
    debit_day: Annotated[int, Strict(), Field(ge=1, le=31)]  # the 27th of the start month
    rows: list[MidtermRow] = Field(min_length=1)
    source: SourceRef
    note: str | None = None


class RefundRow(Strict_):
    key: Yen  # the row heading 150 .. 900
    cells: list[Yen]


class RefundTable(Strict_):
    title: str
    row_header: str
    row_help: str  # the same, in the customer's words: which row to pick
    row_reading: str  # which reading of the row headings is taken
    columns: list[str]  # 1か月以下, 2か月 .. 23か月
    rows: list[RefundRow] = Field(min_length=1)
    term_months: Count
    counting: str  # how unexpired months are counted from dates
    source: SourceRef
    note: str | None = None


class DispatchFeeRow(Strict_):
    fee_kind: str  # 基本出張料金, 特別休日料金, 作業料金(60分以内) ...
    hours: str  # 8:00〜20:00, 上記以外, -
    category: str  # カギ・水まわり, ガラス, パソコン, -
    general: str  # 8,800円〜 / 実費 (kept as shown, amounts also typed below)
    general_amount: Yen | None = None
    general_from: bool = False
    member: Literal["free", "discount", "actual_cost"]
    member_discount: Yen | None = None


class DispatchFeeTable(Strict_):
    title: str
    tax: TaxStatus
    rows: list[DispatchFeeRow] = Field(min_length=1)
    overtime_fee: Yen  # per 10 minutes beyond 60
    overtime_unit_minutes: Count
    source: SourceRef
    note: str | None = None


class ServiceProduct(Strict_):
    """A service line of a multi-service product (ALSOK: Connect, まもるっく ...)."""

    id: Id
    name: str
    term: Term | None = None
    prices: list[PriceItem] = Field(default_factory=list)
    installment_months: Count | None = None
    disaster_benefit: bool = False
    source: SourceRef
    remark: str | None = None  # told to the customer with the figure; `note` is the maintainers' reading
    note: str | None = None


# --------------------------------------------------------------------------------------------
# Product and catalog
# --------------------------------------------------------------------------------------------

ProductKind = Literal[
    "small_amount_short_term_insurance", "rider", "membership", "security_service", "group_insurance"
]

KIND_LABELS: dict[str, str] = {
    "small_amount_short_term_insurance": "少額短期保険",
    "rider": "特約（保険の補償）",
    "membership": "会員サービス",
    "security_service": "警備サービス",
    "group_insurance": "団体保険",
}


class Product(Strict_):
    id: Id
    name: str
    short_name: str
    kind: ProductKind
    tagline: str
    for_whom: str
    summary: str
    providers: list[Provider] = Field(min_length=1)
    insurer: str | None = None
    source: SourceRef
    contacts: list[Contact] = Field(min_length=1)
    apply: HowToApply
    pricing: Pricing
    start_rule: StartRule
    terms: list[Term] = Field(default_factory=list)
    plans: list[Plan] = Field(default_factory=list)
    plan_features: list[PlanFeature] = Field(default_factory=list)
    midterm_table: MidtermTable | None = None
    price_period: PricePeriod | None = None  # required with dated tables (a fixed-end term, a mid-term table)
    refund_table: RefundTable | None = None
    dispatch_fee_table: DispatchFeeTable | None = None
    service_products: list[ServiceProduct] = Field(default_factory=list)
    benefits: list[Benefit] = Field(default_factory=list)
    not_covered: list[str] = Field(default_factory=list)
    services: list[Service] = Field(default_factory=list)
    eligibility: list[EligibilityRule] = Field(default_factory=list)
    how_to_claim: list[str] = Field(default_factory=list)
    faq: list[FaqEntry] = Field(default_factory=list)
    notices: list[Notice] = Field(default_factory=list)
    note: str | None = None

    @model_validator(mode="after")
    def _one_claims_contact(self) -> Product:
        takes_claims = any(b.claimable_online for b in self.benefits)
        count = sum(c.claims for c in self.contacts)
        if takes_claims and count != 1:
            raise ValueError(f"{self.id} takes claims online and needs exactly one claims contact, has {count}")
        return self

    @model_validator(mode="after")
    def _early_termination_names_a_contact(self) -> Product:
        fee = self.pricing.refund.early_termination
        if fee is not None and not any(c.label == fee.ask and c.phone for c in self.contacts):
            raise ValueError(f"{self.id}: early_termination asks {fee.ask!r}, which is not a contact with a phone")
        return self

    def contact(self, label: str) -> Contact:
        return next(c for c in self.contacts if c.label == label)

    def claims_contact(self) -> Contact | None:
        """Where a claimant asks about a claim (the status page's お問い合わせ)."""
        return next((c for c in self.contacts if c.claims), None)

    def prospect_contact(self) -> Contact | None:
        """The number a prospect calls before joining (the page's 「電話で相談」), if the seed gives one."""
        return next((c for c in self.contacts if c.prospect and c.phone), None)

    def plan(self, plan_id: str) -> Plan:
        for p in self.plans:
            if p.id == plan_id:
                return p
        raise KeyError(plan_id)

    def benefit(self, benefit_id: str) -> Benefit:
        for b in self.benefits:
            if b.id == benefit_id:
                return b
        raise KeyError(benefit_id)


class TriggerType(Strict_):
    """An event a claim starts from (a police warning, an accident), as a claimant names it."""

    id: Id
    label: str


class Catalog(Strict_):
    version: str
    currency: Literal["JPY"]
    timezone: Literal["Asia/Tokyo"]
    upload_limit_bytes: Annotated[int, Strict(), Field(ge=1)]
    sources: list[SourceDocument] = Field(min_length=1)
    facts: list[Fact] = Field(default_factory=list)
    trigger_types: list[TriggerType] = Field(default_factory=list)
    products: list[Product] = Field(min_length=1)

    @model_validator(mode="after")
    def _benefits_name_known_triggers(self) -> Catalog:
        known = {t.id for t in self.trigger_types}
        for product in self.products:
            for benefit in product.benefits:
                unknown = [t for t in benefit.trigger_types if t not in known]
                if unknown:
                    raise ValueError(f"{product.id}/{benefit.id} names unknown trigger types: {unknown}")
        return self

    def trigger_label(self, trigger_type: str) -> str:
        return next(t.label for t in self.trigger_types if t.id == trigger_type)

    def product(self, product_id: str) -> Product:
        for p in self.products:
            if p.id == product_id:
                return p
        raise KeyError(product_id)

    def fact(self, fact_id: str) -> Fact:
        for f in self.facts:
            if f.id == fact_id:
                return f
        raise KeyError(fact_id)
