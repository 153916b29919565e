"""What the requests that write carry: a claim (one intake model, shared by POST /api/v1/claims, file it,
and POST /api/v1/claims/check, would it be paid: the same value gets the same answer from both), an
online application, and the claims desk's actions (each names the revision it was decided on).

Types are strict: yen, nights, days, hours and sizes are JSON integers only (not true, not "12000",
not 1.5); dates are YYYY-MM-DD strings (schemas.fields). Text is normalised (NFC, outer spaces removed) and
refused when it holds control or format characters (NUL, the right-to-left override, zero-width
characters) or markup (< and >): nothing a person types into a name or a file name needs them, and
they would otherwise reach the claims desk's screens and e-mails. Every message says, in the form's
words, what to type instead; none echoes the input.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, ConfigDict, Field, StrictBool

from domain.applications import ADDRESS_CHARS, EMAIL_CHARS, KANA_CHARS, NAME_CHARS, PHONE_CHARS, POSTAL_CHARS
from domain.claim_decisions import Outcome, ReasonCode
from domain.typed_text import (
    APPLICANT_EMAIL_PATTERN,
    APPLICANT_PHONE_PATTERN,
    CONTACT_EMAIL_PATTERN,
    CONTACT_PHONE_PATTERN,
    KANA_PATTERN,
    MARKUP,
    POLICY_NUMBER_PATTERN,
    POSTAL_CODE_PATTERN,
    TEXT_PATTERN,
    contact_phone,
    has_refused_character,
    matches,
    policy_number,
    to_ascii,
)
from schemas.base import ApiModel
from schemas.fields import AnyIsoDate, FactAnswer, whole

_BAD_CHARACTERS = "使えない記号や見えない文字が含まれています。入力し直してください。"
_MARKUP_CHARACTERS = "「<」「>」は使えません。"


def clean_text(value: str) -> str:
    """NFC with outer spaces removed; ValueError (a Japanese sentence) for a character typed text may not
    hold (domain.typed_text: controls, format characters, markup)."""
    if has_refused_character(value):
        raise ValueError(_MARKUP_CHARACTERS if any(ch in MARKUP for ch in value) else _BAD_CHARACTERS)
    return unicodedata.normalize("NFC", value).strip()


def text_field(what: str, max_chars: int) -> Callable[[object], str]:
    """A validator of typed text: not empty, at most `max_chars` characters as sent, then cleaned."""

    def check(value: object) -> str:
        if not isinstance(value, str):
            raise ValueError(f"{what}を文字で入力してください。")
        text = clean_text(value)
        if not text:
            raise ValueError(f"{what}を入力してください。")
        if len(value) > max_chars:
            raise ValueError(f"{what}は{max_chars}文字以内で入力してください。")
        return text

    return check


def _text_schema(max_chars: int) -> Any:
    """What the document says of typed text: the validator's own pattern and bounds."""
    return Field(json_schema_extra={"minLength": 1, "maxLength": max_chars, "pattern": TEXT_PATTERN})


def _whole_number(what: str, low: int, high: int, unit: str) -> Callable[[object], int]:
    def check(value: object) -> int:
        # bool is an int in Python, and "12000" or 12.5 are not what a form's number field sends
        value = whole(value)
        if type(value) is not int:
            raise ValueError(f"{what}は数字（{unit}）で入力してください。")
        if not low <= value <= high:
            raise ValueError(f"{what}は{low:,}{unit}から{high:,}{unit}までで入力してください。")
        return value

    return check


def _choice(what: str) -> Callable[[object], str]:
    """Ids a page offers in a list (product, benefit, plan, kind): a wrong one means a stale page."""

    def check(value: object) -> str:
        if not isinstance(value, str) or not _ID.match(value):
            raise ValueError(f"{what}を一覧から選んでください。ページを読み込み直すと選び直せます。")
        return value

    return check


_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")


def _policy_number(value: object) -> str:
    """Written as on the certificate, however typed: full-width letters and digits, lower case and spaces
    (ＡＭ－２０２５ ０４０１) are read as AM-20250401."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError("証券番号・会員番号を入力してください。")
    if len(value) > 120 or not matches(POLICY_NUMBER_PATTERN, value):
        raise ValueError("証券番号・会員番号は、証券や会員証に書かれたとおり英数字とハイフンで入力してください。")
    return policy_number(value)


def _phone(value: object) -> str:
    if not isinstance(value, str) or len(value) > 120 or not matches(CONTACT_PHONE_PATTERN, value):
        raise ValueError("電話番号は数字とハイフンで、市外局番から入力してください（例: 090-1234-5678）。")
    return contact_phone(value)


def _email(value: object) -> str:
    if not isinstance(value, str) or len(value) > 254 or not matches(CONTACT_EMAIL_PATTERN, value):
        raise ValueError("メールアドレスを確かめてください（例: hanako@example.jp）。")
    return unicodedata.normalize("NFC", to_ascii(value).strip())


# Far above the catalog's upload limit, which the routes check with its own message; this only bounds the type.
MAX_FILE_BYTES = 1 << 30


def _file_size(value: object) -> int:
    value = whole(value)
    if type(value) is not int or value < 1:
        raise ValueError("ファイルを選び直してください。")
    if value > MAX_FILE_BYTES:
        raise ValueError("ファイルが大きすぎます。")
    return value


def _schema(**extra: Any) -> Any:
    return Field(json_schema_extra=extra)


CatalogId = Annotated[str, BeforeValidator(_choice("選択肢")), _schema(pattern=_ID.pattern)]
ProductId = Annotated[str, BeforeValidator(_choice("商品")), _schema(pattern=_ID.pattern)]
BenefitId = Annotated[str, BeforeValidator(_choice("請求する補償")), _schema(pattern=_ID.pattern)]
PlanId = Annotated[str, BeforeValidator(_choice("プラン")), _schema(pattern=_ID.pattern)]
ExpenseKind = Annotated[str, BeforeValidator(_choice("費用の種類")), _schema(pattern=_ID.pattern)]
ItemId = Annotated[str, BeforeValidator(_choice("品目")), _schema(pattern=_ID.pattern)]
DocumentKind = Annotated[str, BeforeValidator(_choice("書類の種類")), _schema(pattern=_ID.pattern)]
Yen = Annotated[int, BeforeValidator(_whole_number("金額", 0, 10**9, "円")), _schema(minimum=0, maximum=10**9)]
Nights = Annotated[int, BeforeValidator(_whole_number("泊数", 1, 366, "泊")), _schema(minimum=1, maximum=366)]
Days = Annotated[int, BeforeValidator(_whole_number("日数", 1, 1000, "日")), _schema(minimum=1, maximum=1000)]
Hours = Annotated[int, BeforeValidator(_whole_number("時間数", 1, 10**4, "時間")), _schema(minimum=1, maximum=10**4)]
FileSize = Annotated[int, BeforeValidator(_file_size), _schema(minimum=1, maximum=MAX_FILE_BYTES)]
Name = Annotated[str, BeforeValidator(text_field("お名前", 100)), _text_schema(100)]
Address = Annotated[str, BeforeValidator(text_field("ご住所", 300)), _text_schema(300)]
FileName = Annotated[str, BeforeValidator(text_field("ファイル名", 255)), _text_schema(255)]
PolicyNumber = Annotated[
    str, BeforeValidator(_policy_number), _schema(minLength=1, maxLength=120, pattern=POLICY_NUMBER_PATTERN)
]
Phone = Annotated[str, BeforeValidator(_phone), _schema(minLength=9, maxLength=120, pattern=CONTACT_PHONE_PATTERN)]
Email = Annotated[str, BeforeValidator(_email), _schema(minLength=5, maxLength=254, pattern=CONTACT_EMAIL_PATTERN)]
ContentType = Literal["application/pdf", "image/jpeg", "image/png", "image/heic"]
# The answers to the benefit's questions; each value is judged by the question's own type (domain.facts).
# (the document allows no key outside the ids' pattern, as the model does not)
Facts = Annotated[dict[CatalogId, FactAnswer], Field(max_length=40, json_schema_extra={"additionalProperties": False})]


# The client's key for one request and its retries (claims and applications).
IdempotencyKey = Annotated[str, Field(min_length=16, max_length=128, pattern=r"^[A-Za-z0-9_.:-]+$")]


class _In(ApiModel):
    model_config = ConfigDict(extra="forbid")


class ExpenseIn(_In):
    kind: ExpenseKind = Field(description="費用の種類（給付の expense_kinds のいずれか）")
    date: AnyIsoDate = Field(description="費用の日（購入・利用・宿泊・転居の日）YYYY-MM-DD")
    amount: Yen = Field(description="金額（円、整数）")
    nights: Nights | None = None
    night_amounts: list[Yen] | None = Field(
        default=None, max_length=366,
        description="領収書に1泊ごとの金額があるとき、その金額を宿泊日の順に（泊数と同じ数、合計は amount）",
    )
    days: Days | None = None
    hours: Hours | None = None
    item: ItemId | None = Field(default=None, description="対象の品目（covered_items の id、または other）")


class ClaimBasisIn(_In):
    """What decides whether and how much a claim is paid: the same for checking and for filing."""

    product_id: ProductId
    benefit_id: BenefitId
    plan_id: PlanId | None = None
    coverage_start: AnyIsoDate = Field(description="補償・会員資格の開始日（初年度の開始日、中途加入は中途加入日）")
    expenses: list[ExpenseIn] = Field(default_factory=list, max_length=60)
    facts: Facts = Field(default_factory=dict)


class ClaimCheckIn(ClaimBasisIn):
    trigger_date: AnyIsoDate = Field(description="警告・禁止命令の発令日、被害日、事故日、原因事故の日など")
    claim_date: AnyIsoDate | None = Field(default=None, description="請求・通知の日（省略時は今日）")


class TriggerIn(_In):
    type: CatalogId = Field(description="起点となった出来事（police_warning など、給付の trigger_types のいずれか）")
    date: AnyIsoDate


class ContactIn(_In):
    name: Name
    phone: Phone
    email: Email
    address: Address | None = None


class DocumentIn(_In):
    kind: DocumentKind
    file_name: FileName = Field(description="表示用のみ。保存先のキーには使いません。")
    content_type: ContentType
    size: FileSize = Field(description="バイト")


class ClaimEstimateIn(ClaimBasisIn):
    """A claim as it would be filed, without the claimant's contact and files: what it would be paid."""

    policy_number: PolicyNumber = Field(description="証券番号・会員番号")
    trigger: TriggerIn


class ClaimIn(ClaimEstimateIn):
    contact: ContactIn
    documents: list[DocumentIn] = Field(min_length=1, max_length=20)


class DocumentFormIn(_In):
    """A fresh form for an existing slot (`doc_id`), or a new slot of a document kind (`kind`)."""

    doc_id: CatalogId | None = None
    kind: DocumentKind | None = None
    file_name: FileName
    content_type: ContentType
    size: FileSize


# ---- an online application ----------------------------------------------------------------------------


class ApplicantIn(_In):
    # Bounded and described here with the domain's own patterns; judged in the domain (each field's
    # message says what to fix).
    name: str = Field(
        max_length=NAME_CHARS, description="お名前", json_schema_extra={"minLength": 1, "pattern": TEXT_PATTERN}
    )
    name_kana: str = Field(
        max_length=KANA_CHARS, description="フリガナ（カタカナ・ひらがな）", json_schema_extra={"pattern": KANA_PATTERN}
    )
    birth_date: AnyIsoDate = Field(description="生年月日 YYYY-MM-DD")
    postal_code: str = Field(
        max_length=POSTAL_CHARS, description="郵便番号（7桁）", json_schema_extra={"pattern": POSTAL_CODE_PATTERN}
    )
    address: str = Field(
        max_length=ADDRESS_CHARS, description="ご住所", json_schema_extra={"minLength": 1, "pattern": TEXT_PATTERN}
    )
    phone: str = Field(
        max_length=PHONE_CHARS, description="電話番号", json_schema_extra={"pattern": APPLICANT_PHONE_PATTERN}
    )
    email: str = Field(
        max_length=EMAIL_CHARS, description="メールアドレス", json_schema_extra={"pattern": APPLICANT_EMAIL_PATTERN}
    )
    guardian_name: str | None = Field(
        default=None, max_length=NAME_CHARS, description="18歳未満の方：親権者のお名前"
    )
    guardian_consent: StrictBool = Field(default=False, description="18歳未満の方：親権者の同意")


class ApplicationIn(_In):
    product_id: str = Field(max_length=64)
    applicant: ApplicantIn
    facts: dict[str, FactAnswer] = Field(
        default_factory=dict, max_length=20, description="告知（商品が確認する事項への回答）"
    )
    payment_method: str = Field(max_length=40)
    payment_frequency: str = Field(max_length=20)
    consents: dict[str, str | None] = Field(
        default_factory=dict, max_length=10, description="同意事項の id → 同意した文面の版（ページに表示された版）"
    )
    acknowledged: list[Annotated[str, Field(max_length=64)]] = Field(
        default_factory=list, max_length=20, description="確認画面で示された補償の条件のコード"
    )
    check_only: StrictBool = Field(
        default=False, description="true：確認画面のための判定のみ（保存しません。200 で保険始期日と条件）"
    )


# ---- the claims desk's actions -------------------------------------------------------------------------
# Text the claimant will read (the handler's message) is cleaned like any typed text: no control or
# invisible characters, no markup.


def _revision(value: object) -> int:
    # sent by the desk's page as it read it, never typed: anything else is a stale or hand-made request
    value = whole(value)
    if type(value) is not int or not 0 <= value <= 1_000_000:
        raise ValueError("請求の版が読めません。請求を開き直してから操作してください。")
    return value


Revision = Annotated[
    int, BeforeValidator(_revision),
    _schema(minimum=0, maximum=1_000_000, description="開いたときの請求の版（revision）"),
]
ClaimantMessage = Annotated[str, BeforeValidator(text_field("お客さまへの説明", 400)), _text_schema(400)]
# A decision's amount is strict like every yen a claimant sends: 1.0, "5000" or true are refused, not read as yen.
DecidedYen = Annotated[
    int, BeforeValidator(_whole_number("お支払いする額", 0, 100_000_000, "円")), _schema(minimum=0, maximum=100_000_000)
]


class DecisionIn(_In):
    revision: Revision
    outcome: Outcome = Field(description="approve（全額）／approve_in_part（一部）／decline（お支払いできない）")
    amount: DecidedYen | None = Field(
        None, description="お支払いする額（円）。一部のとき：泊・日で数える補償では省略すると選んだ泊・日の額"
    )
    paid_dates: list[AnyIsoDate] | None = Field(
        None, max_length=1000,
        description="泊・日で数える補償（一時避難費用、入院・通院）で、お支払いする泊（宿泊日）・日。一部のときに必須",
    )
    reason_code: ReasonCode | None = Field(None, description="一部・お支払いできないときの理由")
    message: ClaimantMessage | None = Field(None, description="お客さまへの説明（400文字まで）")


class PaymentIn(_In):
    revision: Revision
    paid_on: AnyIsoDate = Field(description="お支払いした日 YYYY-MM-DD")


class DocumentRequestIn(_In):
    revision: Revision
    kind: Annotated[str, Field(pattern=r"^[a-z0-9_-]{1,40}$", description="書類の種類（給付の書類、または other）")]
    message: ClaimantMessage = Field(description="お客さまへのお願い（何を・なぜ。400文字まで）")
