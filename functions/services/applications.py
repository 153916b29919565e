"""Taking an online application: judge it, store it whole, hand it to the insurer, confirm by e-mail.

The application, its Idempotency-Key record and what it causes (the message to the insurer's intake
queue, the applicant's e-mail) are one transaction (dal.applications, services.effects). Those effects
are then sent at once, each once however many retries and replays meet it, and marked on the
application when done; what cannot be sent now the outbox's consumer sends later, so an application is
never only in this table. The access secret is derived from the key and a
random salt: a retry answers with the same secret while only its hash is stored.
Log lines carry the number, product and codes only: nothing the applicant typed.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from aws_lambda_powertools import Logger

from catalog.models import Product
from dal import applications as repo
from dal import idempotency
from domain.access_secrets import application_code, new_salt, read_code, secret_hash
from domain.applications import (
    Applicant,
    ApplicationError,
    Judged,
    judge_application,
    next_steps,
)
from domain.periods import jdate
from domain.reference_numbers import new_number
from japan_calendar import JST
from services import effects, mail

logger = Logger(service="applications")

MAIL_TEMPLATE = "application_received.txt"
STATUS_PAGE = "/apply/status/"


@dataclass(frozen=True)
class ApplicationRequest:
    product: Product
    applicant: Applicant
    facts: dict[str, Any]
    payment_method: str
    payment_frequency: str
    consents: dict[str, str | None]
    acknowledged: list[str]
    body: dict[str, Any]  # the request body as sent, for the idempotency check


@dataclass(frozen=True)
class Taken:
    view: dict[str, Any]
    secret: str
    replayed: bool


class KeyReused(Exception):
    """The Idempotency-Key was used for a different application."""


class NotDelivered(Exception):
    """Stored, but the queue or the mail service did not answer: a retry with the same key finishes it."""


class StoreUnavailable(Exception):
    """Nothing could be stored or read; the same request later does it."""


# ---- views --------------------------------------------------------------------------------------------


def status_view(item: dict[str, Any]) -> dict[str, Any]:
    """What the applicant sees: number, dates, payment choice, status, next steps. No personal data."""
    return {
        "application_number": item["application_number"],
        "product_id": item["product_id"],
        "status": item["status"],
        "status_label": repo.STATUS_LABELS.get(item["status"], item["status"]),
        "received_at": item["received_at"],
        "application_date": item["application_date"],
        "coverage_start": item["coverage_start"],
        "payment_method": item["payment_method"],
        "payment_frequency": item["payment_frequency"],
        "payment_label": item["payment_label"],
        "conditions": item["conditions"],
        "next_steps": item["next_steps"],
        "email_sent": "mail_sent_at" in item,
    }


def _record(req: ApplicationRequest, judged: Judged, number: str, secret: str, now: datetime) -> dict[str, Any]:
    at = now.isoformat(timespec="seconds")
    applicant = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in asdict(judged.applicant).items()}
    return {
        "application_number": number,
        "product_id": req.product.id,
        "status": repo.RECEIVED,
        "history": [{"status": repo.RECEIVED, "at": at}],
        "received_at": at,
        "application_date": judged.application_date.isoformat(),
        "coverage_start": judged.coverage_start.isoformat(),
        "applicant": applicant,
        "answers": req.body.get("facts", {}),
        "assumed_answers": dict(req.product.apply.online.assumed_facts) if req.product.apply.online else {},
        "payment_method": judged.payment_method,
        "payment_frequency": judged.payment_frequency,
        "payment_label": judged.payment_label,
        "consents": {cid: {"version": v, "agreed_at": at} for cid, v in judged.consents.items()},
        "conditions": conditions(req.product, judged),
        "next_steps": next_steps(req.product),
        "secret_hash": secret_hash(secret),
        "expires_at": repo.expiry(now, repo.RETENTION_DAYS),
    }


def conditions(product: Product, judged: Judged) -> list[dict[str, Any]]:
    """The conditions the applicant confirmed: first those their own answers raised (a consultation within
    the year: that case is not covered), then those that hold for everyone (`general`)."""
    general = {rule.code for rule in product.eligibility if rule.kind == "notice"}
    found = [{"code": r.code, "message": r.message, "general": r.code in general}
             for r in judged.eligibility.conditions]
    return sorted(found, key=lambda c: c["general"])


# ---- after storing: the insurer's queue and the applicant's e-mail ---------------------------------------


def _mail_text(product: Product, item: dict[str, Any], secret: str) -> tuple[str, str]:
    contact = product.prospect_contact()
    site = os.environ.get("SITE_URL", "").rstrip("/")
    values = {
        "product": product.short_name,
        "number": item["application_number"],
        "secret": secret,
        "received": jdate(date.fromisoformat(item["application_date"])),
        "start": jdate(datetime.fromisoformat(item["coverage_start"]).date()),
        "payment": item["payment_label"],
        "steps": "\n".join(f"・{s}" for s in item["next_steps"]),
        "conditions": "\n".join(f"・{c['message']}" for c in item["conditions"]) or "・なし",
        "status_url": f"{site}{STATUS_PAGE}#{item['application_number']}",
        "contact": mail.contact_text(contact, product.insurer or ""),
    }
    return mail.render(MAIL_TEMPLATE, values)


# What an application causes once stored, and the attribute that marks each done on the application.
INTAKE, MAIL = "intake", "mail"
DONE_MARKS = {INTAKE: "intake_queued_at", MAIL: "mail_sent_at"}


def _effect_id(number: str, effect: str) -> str:
    return f"{number}/{effect}"


def _effects(product: Product, item: dict[str, Any], secret: str, now: datetime) -> list[effects.Effect]:
    """The intake message and (where this deployment sends mail) the e-mail, rendered now, to store with the
    application: each is then sent once (services.effects)."""
    number = item["application_number"]

    def marks(effect: str) -> dict[str, Any]:
        return {"table": "APPLICATIONS_TABLE", "key": {"application_number": number}, "attribute": DONE_MARKS[effect]}

    message = {k: v for k, v in item.items() if k != "secret_hash"}
    out = [effects.to_queue(_effect_id(number, INTAKE), queue="INTAKE_QUEUE_URL",
                            body={"type": "application-received", "application": message}, group=number,
                            marks=marks(INTAKE), now=now)]
    if mail.enabled():
        subject, body = _mail_text(product, item, secret)
        out.append(effects.to_mail(_effect_id(number, MAIL), to=item["applicant"]["email"], subject=subject,
                                   body=body, marks=marks(MAIL), now=now))
    return out


def _deliver(item: dict[str, Any], now: datetime) -> dict[str, Any]:
    """Send what the application causes and is not yet done; raises NotDelivered when a service refused (the
    entry waits for the outbox's consumer, and a retry with the same key may deliver it sooner)."""
    number = item["application_number"]
    waiting = [effect for effect, attribute in DONE_MARKS.items() if attribute not in item]
    try:
        delivery = effects.deliver([_effect_id(number, e) for e in waiting], now)
    except effects.StoreUnavailable as exc:
        raise NotDelivered(number) from exc
    if delivery.failed:
        logger.warning("application not yet delivered", extra={"application_number": number})
        raise NotDelivered(number)
    at = now.isoformat(timespec="seconds")
    return {**item, **{DONE_MARKS[e]: at for e in waiting if _effect_id(number, e) in delivery.sent}}


# ---- taking an application ------------------------------------------------------------------------------


def take(req: ApplicationRequest, key: str, now: datetime | None = None) -> Taken:
    """Judge and store one application (or find the one this key made); raises ApplicationError for what
    the applicant must fix, KeyReused, StoreUnavailable, or NotDelivered (stored; retry the same)."""
    now = (now or datetime.now(JST)).astimezone(JST)
    fingerprint = idempotency.body_hash(req.body)
    try:
        found = repo.key_record(repo.KIND, key, now)
        if found is not None:
            return _replay(req.product, found, fingerprint, key, now)
        judged = judge_application(
            req.product, req.applicant, req.facts, req.payment_method, req.payment_frequency,
            req.consents, req.acknowledged, now,
        )
        assert req.product.apply.online is not None
        salt = new_salt()
        secret = application_code(key, salt)
        for _attempt in range(5):
            number = new_number(req.product.apply.online.number_prefix)
            item = _record(req, judged, number, secret, now)
            made = {"application_number": number, "body_hash": fingerprint, "salt": salt}
            try:
                repo.put_new(item, key, made, now, also=[e.item for e in _effects(req.product, item, secret, now)])
                break
            except (repo.ItemTaken, repo.AlsoChanged):
                continue
            except repo.KeyTaken:
                # the same key, sent twice at once: the other request stored it
                found = repo.key_record(repo.KIND, key, now)
                if found is None:
                    raise StoreUnavailable("key record vanished") from None
                return _replay(req.product, found, fingerprint, key, now)
        else:
            raise StoreUnavailable("no free application number")
    except repo.StoreUnavailable as exc:
        logger.warning("applications store unavailable", extra={"error": str(exc)})
        raise StoreUnavailable(str(exc)) from exc
    logger.info("application received", extra={
        "application_number": number, "product_id": req.product.id,
        "payment_method": judged.payment_method, "payment_frequency": judged.payment_frequency,
        "conditions": [r.code for r in judged.eligibility.conditions],
    })
    item = _deliver(item, now)
    return Taken(status_view(item), secret, replayed=False)


def _replay(product: Product, found: dict[str, Any], fingerprint: str, key: str, now: datetime) -> Taken:
    if found["body_hash"] != fingerprint:
        raise KeyReused
    item = repo.get(found["application_number"])
    if item is None:
        raise StoreUnavailable("application of a key record missing")
    secret = application_code(key, found["salt"])
    item = _deliver(item, now)
    return Taken(status_view(item), secret, replayed=True)


def preview(req: ApplicationRequest, now: datetime | None = None) -> dict[str, Any]:
    """The confirmation step: what would be taken (dates, payment, the conditions in plain words), not stored."""
    now = (now or datetime.now(JST)).astimezone(JST)
    judged = judge_application(
        req.product, req.applicant, req.facts, req.payment_method, req.payment_frequency,
        req.consents, None, now,
    )
    return {
        "product_id": req.product.id,
        "application_date": judged.application_date.isoformat(),
        "coverage_start": judged.coverage_start.isoformat(),
        "payment_method": judged.payment_method,
        "payment_frequency": judged.payment_frequency,
        "payment_label": judged.payment_label,
        "conditions": conditions(req.product, judged),
        "next_steps": next_steps(req.product),
    }


def status(number: str, secret: str | None) -> dict[str, Any] | None:
    try:
        item = repo.for_secret(number, read_code(secret))
    except repo.StoreUnavailable as exc:
        raise StoreUnavailable(str(exc)) from exc
    return status_view(item) if item else None


__all__ = ["ApplicationError", "ApplicationRequest", "KeyReused", "NotDelivered", "StoreUnavailable", "Taken",
           "preview", "status", "take"]
