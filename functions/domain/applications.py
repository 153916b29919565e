"""Online applications: the applicant, the answers to the product's questions, the payment choice, the consents.

Plain functions with no AWS in them: the number a person can read over the phone, the day an
application counts for (its receipt in Asia/Tokyo), the check of every field with a message that
says what to fix, eligibility by the same engine as the eligibility check, and the record to store.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from catalog.models import Consent, PaymentMethod, Product
from domain.eligibility import EligibilityResult, eligibility_facts, evaluate
from domain.errors import rule_error
from domain.facts import FactSpec
from domain.periods import age_on
from domain.quotes import PAYMENT_FREQUENCY_LABELS, start_day
from domain.typed_text import (
    APPLICANT_EMAIL_PATTERN,
    APPLICANT_PHONE_PATTERN,
    KANA_PATTERN,
    POSTAL_CODE_PATTERN,
    digits_only,
    has_refused_character,
    katakana,
    matches,
    to_ascii,
)
from japan_calendar import JST
from japan_calendar import at as at_time

# The age of majority (民法第4条): a younger applicant needs a parent's (法定代理人) consent (民法第5条).
ADULT_AGE = 18
OLDEST_BIRTH = date(1900, 1, 1)


# ---- the day an application counts for ---------------------------------------------------------------


def received_on(received_at: datetime) -> date:
    """The application date: the day in Tokyo when it was received (23:59 JST is that day, 00:00 the next)."""
    if received_at.tzinfo is None:
        raise ValueError("received_at must carry its time zone")
    return received_at.astimezone(JST).date()


# ---- consents -----------------------------------------------------------------------------------------


def consent_text(product: Product, consent: Consent) -> str:
    """The whole text agreed to: the product's notices when included, then the consent's own text and box."""
    parts: list[str] = []
    if consent.includes_notices:
        parts += [f"{n.heading}：{n.text}" if n.heading else n.text for n in product.notices]
    if consent.text:
        parts.append(consent.text)
    parts.append(consent.label)
    return "\n".join(" ".join(p.split()) for p in parts)


def consent_version(product: Product, consent: Consent) -> str:
    """A short fingerprint of the text agreed to: a changed text is a new version, agreed to anew."""
    return hashlib.sha256(consent_text(product, consent).encode("utf-8")).hexdigest()[:16]


# ---- the applicant ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Applicant:
    name: str
    name_kana: str
    birth_date: date
    postal_code: str
    address: str
    phone: str
    email: str
    guardian_name: str | None = None
    guardian_consent: bool = False


@dataclass
class ApplicationError(Exception):
    """Fields to fix, each with a message in the applicant's words (fields relative to the request body)."""

    code: str
    title: str
    errors: list[dict[str, str]]
    status: int = 422
    extensions: dict[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.code}: {', '.join(e['field'] for e in self.errors)}"


# The longest each typed field may be, as sent (the document publishes the same).
NAME_CHARS, KANA_CHARS, ADDRESS_CHARS, EMAIL_CHARS, PHONE_CHARS, POSTAL_CHARS = 40, 60, 200, 254, 40, 20


def _text(value: str, label: str, at: str, longest: int, errors: list[dict[str, str]]) -> None:
    if not value.strip():
        errors.append({"field": at, "message": f"{label}を入力してください。"})
    elif has_refused_character(value):
        errors.append({"field": at, "message": f"{label}に使えない文字（記号や制御文字）が含まれています。"})
    elif len(value) > longest:
        errors.append({"field": at, "message": f"{label}は{longest}文字以内で入力してください。"})


def _typed(value: str, pattern: str, longest: int) -> bool:
    return len(value) <= longest and matches(pattern, value)


def applicant_errors(a: Applicant, application_date: date) -> list[dict[str, str]]:
    errors: list[dict[str, str]] = []
    _text(a.name, "お名前", "applicant.name", NAME_CHARS, errors)
    _text(a.name_kana, "フリガナ", "applicant.name_kana", KANA_CHARS, errors)
    kana_typed = a.name_kana.strip() and not any(e["field"] == "applicant.name_kana" for e in errors)
    if kana_typed and not matches(KANA_PATTERN, a.name_kana):
        errors.append({"field": "applicant.name_kana", "message": "フリガナはカタカナで入力してください。"})
    if a.birth_date > application_date:
        future = "生年月日が今日より後の日付です。ご確認ください。"
        errors.append(rule_error("after-today", "applicant.birth_date", future))
    elif a.birth_date < OLDEST_BIRTH:
        errors.append({"field": "applicant.birth_date", "message": "生年月日をご確認ください。"})
    if not _typed(a.postal_code, POSTAL_CODE_PATTERN, POSTAL_CHARS):
        errors.append({"field": "applicant.postal_code",
                       "message": "郵便番号は7桁の数字で入力してください（例：160-0022）。"})
    _text(a.address, "ご住所", "applicant.address", ADDRESS_CHARS, errors)
    if not _typed(a.phone, APPLICANT_PHONE_PATTERN, PHONE_CHARS):
        errors.append({"field": "applicant.phone",
                       "message": "電話番号は0から始まる10桁か11桁の数字で入力してください（例：090-1234-5678）。"})
    if not _typed(a.email, APPLICANT_EMAIL_PATTERN, EMAIL_CHARS):
        errors.append({"field": "applicant.email",
                       "message": "メールアドレスを半角英数字でご確認ください（例：hanako@example.jp）。"})
    minor = OLDEST_BIRTH <= a.birth_date <= application_date and age_on(a.birth_date, application_date) < ADULT_AGE
    if minor:
        if a.guardian_name is None or not a.guardian_name.strip():
            errors.append(rule_error("guardian-needed", "applicant.guardian_name",
                                     "18歳未満の方のお申込みには、親権者（法定代理人）の同意が必要です。"
                                     "親権者のお名前を入力してください。"))
        else:
            _text(a.guardian_name, "親権者のお名前", "applicant.guardian_name", NAME_CHARS, errors)
        if not a.guardian_consent:
            errors.append(rule_error("guardian-needed", "applicant.guardian_consent",
                                     "親権者の方がお申込みに同意していることを確かめて、チェックを入れてください。"))
    return errors


def normalized(a: Applicant) -> Applicant:
    """The applicant as stored: spaces trimmed, the kana in katakana, phone and postal code in digits."""
    postal = digits_only(a.postal_code)
    return Applicant(
        name=a.name.strip(),
        name_kana=katakana(a.name_kana),
        birth_date=a.birth_date,
        postal_code=f"{postal[:3]}-{postal[3:]}",
        address=a.address.strip(),
        phone=digits_only(a.phone),
        email=to_ascii(a.email).strip(),
        guardian_name=a.guardian_name.strip() if a.guardian_name else None,
        guardian_consent=a.guardian_consent,
    )


# ---- the whole application ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Judged:
    """An application that may be stored: its date, cover start, payment choice and what was agreed."""

    application_date: date
    coverage_start: datetime
    eligibility: EligibilityResult
    payment_method: str
    payment_frequency: str
    payment_label: str
    consents: dict[str, str]  # consent id -> version agreed to
    applicant: Applicant


def judge_application(
    product: Product,
    applicant: Applicant,
    facts: Mapping[str, object],
    payment_method: str,
    payment_frequency: str,
    consents: Mapping[str, str | None],
    acknowledged: Sequence[str] | None,
    received_at: datetime,
) -> Judged:
    """Check an application in full; raise ApplicationError with every field to fix (CheckInputError and
    NotPublished come from the eligibility engine). `acknowledged` None: judge for the confirmation step,
    where the conditions are about to be shown. Nothing is stored here."""
    online = product.apply.online
    if online is None:
        raise ApplicationError("not-applied-online", "この商品はこのサイトではお申込みいただけません",
                               [{"field": "product_id", "message": product.apply.summary}])
    day = received_on(received_at)
    errors = applicant_errors(applicant, day)

    methods: dict[str, PaymentMethod] = {m.id: m for m in product.pricing.payment_methods}
    method = methods.get(payment_method)
    if method is None:
        names = "・".join(m.label for m in methods.values())
        errors.append({"field": "payment_method", "message": f"お支払い方法を{names}から選んでください。"})
    elif payment_frequency not in method.frequencies:
        allowed = "・".join(PAYMENT_FREQUENCY_LABELS[f] for f in method.frequencies)
        errors.append({"field": "payment_frequency",
                       "message": f"{method.label}は{allowed}のみです。払込方法を選び直してください。"})

    for consent in online.consents:
        given = consents.get(consent.id)
        at = f"consents.{consent.id}"
        if not given:
            errors.append({"field": at, "message": f"「{consent.label}」にチェックを入れてください。"})
        elif given != consent_version(product, consent):
            errors.append({"field": at, "message": "内容が新しくなりました。ページを読み込み直し、もう一度お読みのうえ"
                                                   "チェックを入れてください。"})
    unknown = [k for k in consents if k not in {c.id for c in online.consents}]
    errors += [{"field": f"consents.{k}", "message": "この商品の同意事項ではありません。"} for k in unknown]
    if errors:
        raise ApplicationError("invalid-application", "入力内容をご確認ください", errors)

    result = evaluate(product, None, day, {**facts, **online.assumed_facts})
    if result.decision != "eligible":
        raise ApplicationError(
            "not-eligible", "お申込みいただけません",
            [{"field": "facts", "message": r.message} for r in result.reasons],
            extensions={"reasons": [{"code": r.code, "message": r.message, "clause": dict(r.clause)}
                                    for r in result.reasons]},
        )
    # Each condition that limits the cover must have been shown before the applicant confirmed: if the
    # answers or the day changed what applies, the page shows the conditions again.
    unseen = [r for r in result.conditions if acknowledged is not None and r.code not in set(acknowledged)]
    if unseen:
        raise ApplicationError(
            "conditions-not-confirmed", "補償の条件をご確認ください",
            [{"field": "acknowledged", "message": r.message} for r in unseen], status=409,
            extensions={"conditions": [{"code": r.code, "message": r.message, "clause": dict(r.clause)}
                                       for r in result.conditions]},
        )
    start, _deadline, _basis = start_day(product, day, None)
    start_at = at_time(start, product.start_rule.start_time)
    label = f"{method.label}（{PAYMENT_FREQUENCY_LABELS[payment_frequency]}）" if method else ""
    return Judged(
        application_date=day,
        coverage_start=start_at,
        eligibility=result,
        payment_method=payment_method,
        payment_frequency=payment_frequency,
        payment_label=label,
        consents={c.id: consent_version(product, c) for c in online.consents},
        applicant=normalized(applicant),
    )


def asked_facts(product: Product) -> list[FactSpec]:
    """The questions of the online form: the eligibility questions less those every online application
    answers the same way."""
    assumed = product.apply.online.assumed_facts if product.apply.online else {}
    return [f for f in eligibility_facts(product) if f.id not in assumed]


def next_steps(product: Product) -> list[str]:
    """What happens next, in the applicant's words (the payment choice and cover start are shown beside it)."""
    assert product.apply.online is not None
    return list(product.apply.online.after)
