"""Claims, as the claimant meets them: file a claim, estimate one before filing, read its status, get a fresh
upload form for one of its documents.

Filing runs the benefit's claim rules and estimates the payout against the policy's ledger (what earlier
claims in the same incident, year or term used), stores the claim and its reservation in the ledger in one
transaction, and answers with the access token (once) and one presigned POST per document. When another
claim on the same ledger got in first, the claim is judged again on what that one left. With an
`Idempotency-Key`, a retry answers with the same claim and writes nothing.
Reading a claim or asking for a new form needs the claim's token; a wrong token and an unknown claim get
the same 404.
Log lines carry ids, codes and counts only: the claimant's name, contact, policy number and file names
never reach a log.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from aws_lambda_powertools import Logger

from catalog import get_catalog
from catalog.models import Benefit, Product
from dal import claims as repo
from dal import clients, idempotency
from dal import ledger as ledger_repo
from dal.uploads import TOKYO, object_key, upload_form
from domain.access_secrets import claim_token, new_salt, secret_hash
from domain.claim_decisions import OPEN_FOR_DOCUMENTS
from domain.claim_rules import BenefitCheck, CheckInputError, Expense, check_claim, payable_expenses
from domain.errors import DomainError, field_error, in_body, rule_error
from domain.ledger import (
    NOTHING_USED,
    Scope,
    Used,
    days_held,
    days_key,
    ledger_key,
    scope_of,
    trouble_of,
    used_by,
)
from domain.payouts import Estimate, PayoutError, estimate_payout, limits_view, line_to_json, paid_units
from schemas.intake import ClaimEstimateIn, ClaimIn, DocumentFormIn
from services.claim_views import claimant_view, document_view, filed_view

logger = Logger(service="claims")

CLAIM_KIND = "claim"  # the prefix of its Idempotency-Key records
# Upload slots of one document kind on a claim (the first and the extra copies, e.g. several receipts):
# each slot is an upload form of up to the catalog's size limit, so the count bounds a claim's storage.
MAX_COPIES_PER_KIND = 10
# Times a claim is written again when other claims keep changing its ledger between read and write (or,
# rarely, its new number is taken).
LEDGER_ATTEMPTS = 5


class StoreUnavailable(Exception):
    """The claim could be neither stored nor read back; the same request later files it once."""


def next_copy(documents: dict[str, Any], kind: str) -> str | None:
    """The id of the next slot of this kind of document (receipt-1, receipt-2 ...), or None once the
    claim holds MAX_COPIES_PER_KIND of them."""
    return next((f"{kind}-{n}" for n in range(1, MAX_COPIES_PER_KIND + 1) if f"{kind}-{n}" not in documents), None)


# ---- catalog checks (fields named as in the request body) -------------------------------------------------


def _product_and_benefit(body: ClaimEstimateIn) -> tuple[Product, Benefit]:
    catalog = get_catalog()
    try:
        product = catalog.product(body.product_id)
    except KeyError:
        raise field_error("unknown-product", "body.product_id", "この商品はありません。") from None
    try:
        benefit = product.benefit(body.benefit_id)
    except KeyError:
        raise field_error("unknown-benefit", "body.benefit_id", "この商品にこの給付はありません。") from None
    if not benefit.claimable_online:
        raise field_error("not-claimable-online", "body.benefit_id", "この給付はオンラインでは請求できません。")
    return product, benefit


def _basis_errors(body: ClaimEstimateIn, product: Product, benefit: Benefit) -> list[dict[str, str]]:
    errors: list[dict[str, str]] = []
    plan_ids = [p.id for p in product.plans]
    if benefit.plans and body.plan_id not in benefit.plans:
        plans = "・".join(benefit.plans)
        errors.append({"field": "body.plan_id", "message": f"この給付のあるプラン（{plans}）を選んでください。"})
    elif body.plan_id is not None and body.plan_id not in plan_ids:
        errors.append({"field": "body.plan_id", "message": "この商品にこのプランはありません。"})
    if benefit.trigger_types and body.trigger.type not in benefit.trigger_types:
        errors.append({"field": "body.trigger.type", "message": "この給付の請求の起点となる出来事ではありません。"})
    return errors + _future_dates(body, _today())


def _future_dates(body: ClaimEstimateIn, today: date) -> list[dict[str, str]]:
    """A claim is for what has happened: no date after today (Tokyo). A stay or a spell in hospital that has
    begun may still go on; its first day is what is judged."""
    later = "今日より後の日付です。"
    dated = [("body.coverage_start", body.coverage_start, "保険証券・会員証にある補償の開始日を入力してください。"),
             ("body.trigger.date", body.trigger.date, "出来事のあった日を入力してください。")]
    dated += [(f"body.expenses[{i}].date", e.date, "費用を支払った日（宿泊・入院・通院は最初の日）を入力してください。")
              for i, e in enumerate(body.expenses)]
    return [rule_error("after-today", field, later + fix) for field, day, fix in dated if day > today]


def _refuse(errors: list[dict[str, str]]) -> None:
    if errors:
        raise DomainError("invalid-claim", "入力内容に誤りがあります", detail=errors[0]["message"], errors=errors)


def _check_request(body: ClaimIn, product: Product, benefit: Benefit) -> None:
    errors = _basis_errors(body, product, benefit)
    asked = benefit.documents_for(body.trigger.type)  # a burglary's theft report, a stalker case's warning
    kinds = {d.kind: d for d in asked}
    limit = get_catalog().upload_limit_bytes
    too_big = f"1ファイル {limit // (1024 * 1024)}MB までです。"
    for i, doc in enumerate(body.documents):
        if doc.kind not in kinds:
            errors.append({"field": f"body.documents[{i}].kind", "message": "この給付の請求書類ではありません。"})
        if doc.size > limit:
            errors.append({"field": f"body.documents[{i}].size", "message": too_big})
    declared = {d.kind for d in body.documents}
    for required in (d for d in asked if d.required and d.kind not in declared):
        errors.append({"field": "body.documents", "message": f"「{required.label}」を添付してください。"})
    _refuse(errors)


def _today() -> date:
    return datetime.now(TOKYO).date()


def _now() -> str:
    return datetime.now(TOKYO).isoformat(timespec="seconds")


def _judge(
    body: ClaimEstimateIn, product: Product, used: Used | None, claim_date: date, days_taken: frozenset[date]
) -> tuple[BenefitCheck, Estimate]:
    """The rules and the estimate; `used` is what earlier claims in the ledger's scope hold (None: no ledger)."""
    expenses = [Expense(**e.model_dump()) for e in body.expenses]
    try:
        check = check_claim(
            product,
            body.benefit_id,
            plan_id=body.plan_id,
            coverage_start=body.coverage_start,
            trigger_date=body.trigger.date,
            expenses=expenses,
            facts=body.facts,
            claim_date=claim_date,
            used=used,
            days_taken=days_taken,
        )
    except CheckInputError as exc:
        errors = in_body(exc.errors)
        raise DomainError(
            "invalid-claim", "入力内容に誤りがあります", detail=errors[0]["message"], errors=errors
        ) from exc
    payable = payable_expenses(check)
    earlier = used or NOTHING_USED
    try:
        if check.payable:
            estimate = estimate_payout(product, body.benefit_id, plan_id=body.plan_id, expenses=payable, used=earlier)
        else:
            basis = estimate_payout(product, body.benefit_id, plan_id=body.plan_id, expenses=[]).basis
            estimate = Estimate(benefit_id=body.benefit_id, amount=0, claimed=0, basis=basis, lines=[], used=earlier)
    except PayoutError as exc:
        raise field_error("no-estimate", exc.field, exc.message) from exc
    return check, estimate


def _trouble(body: ClaimEstimateIn, benefit: Benefit) -> str | None:
    """The trouble the claim is on, where its benefit runs per trouble across claims (domain.ledger)."""
    return trouble_of(body.trigger.type, body.trigger.date, body.facts) if benefit.per_trouble else None


def _days_book(body: ClaimEstimateIn, benefit: Benefit) -> str | None:
    """The record of the days the policy's claims hold, where a day is paid once for the person."""
    return days_key(body.product_id, body.policy_number, benefit.id) if benefit.days_paid_once else None


def _scope_and_book(body: ClaimEstimateIn, product: Product, benefit: Benefit) -> tuple[Scope, str | None]:
    """The claim's scope and its ledger key; no key where the limits count per claim (nothing to remember)."""
    scope = scope_of(
        product,
        benefit,
        coverage_start=body.coverage_start,
        trigger_type=body.trigger.type,
        trigger_date=body.trigger.date,
        trigger_label=get_catalog().trigger_label(body.trigger.type),
    )
    return scope, (ledger_key(product.id, body.policy_number, benefit.id, scope) if scope.unit != "claim" else None)


def _reason_json(r: Any) -> dict[str, Any]:
    return {"code": r.code, "message": r.message, "outcome": r.outcome, "clause": dict(r.clause)}


def _form(claim_id: str, doc_id: str, content_type: str) -> dict[str, Any]:
    return upload_form(
        clients.s3(),
        clients.claims_bucket(),
        object_key(claim_id, doc_id),
        content_type,
        get_catalog().upload_limit_bytes,
        key_id=clients.data_key_id(),
    )


# ---- filing ---------------------------------------------------------------------------------------------


def _documents(body: ClaimIn, benefit: Benefit, at: str) -> dict[str, dict[str, Any]]:
    labels = {d.kind: d for d in benefit.documents}
    per_kind: dict[str, int] = {}
    documents: dict[str, dict[str, Any]] = {}
    for order, doc in enumerate(body.documents):
        per_kind[doc.kind] = per_kind.get(doc.kind, 0) + 1
        documents[f"{doc.kind}-{per_kind[doc.kind]}"] = {
            "kind": doc.kind,
            "label": labels[doc.kind].label,
            "required": labels[doc.kind].required,
            "file_name": doc.file_name,
            "content_type": doc.content_type,
            "size": doc.size,
            "state": repo.AWAITING_UPLOAD,
            "order": order,
            "forms_issued": 1,
            "updated_at": at,
        }
    return documents


def _judged_parts(
    body: ClaimEstimateIn, product: Product, benefit: Benefit, scope: Scope, used: Used | None,
    claim_date: date | None = None, days_taken: frozenset[date] = frozenset(),
) -> tuple[BenefitCheck, Estimate, dict[str, Any], dict[str, Any]]:
    check, estimate = _judge(body, product, used, claim_date or _today(), days_taken)
    estimate_json = {
        "benefit_id": estimate.benefit_id,
        "amount": estimate.amount,
        "claimed": estimate.claimed,
        "basis": estimate.basis,
        "lines": [line_to_json(line) for line in estimate.lines],
    }
    if used is not None:
        estimate_json["limits"] = limits_view(benefit, body.plan_id, estimate, scope.label)
    check_json = {
        "payable": check.payable,
        "reasons": [_reason_json(r) for r in check.reasons],
        "expenses": [{"payable": c.payable, "reasons": [_reason_json(r) for r in c.reasons]} for c in check.expenses],
    }
    return check, estimate, estimate_json, check_json


def _file(body_json: dict[str, Any], token_key: str, key: str | None, now: datetime) -> dict[str, Any]:
    """Judge and store one claim; returns what the answer needs except the token and the forms.

    The claim, its reservation in the policy's ledger and (with an Idempotency-Key) the key's record are
    one transaction: a failure at any point leaves none of them, so a retry finds this claim or makes it
    once. When another claim changed the ledger after it was read, the claim is judged again."""
    body = ClaimIn.model_validate(body_json)
    product, benefit = _product_and_benefit(body)
    _check_request(body, product, benefit)
    scope, book = _scope_and_book(body, product, benefit)

    claim_id = repo.new_claim_id()
    salt = new_salt()
    token = claim_token(token_key, salt)
    at = now.isoformat(timespec="seconds")
    documents = _documents(body, benefit, at)
    trouble = _trouble(body, benefit)
    days_book = _days_book(body, benefit)
    for _ in range(LEDGER_ATTEMPTS):
        ledger = ledger_repo.read(book) if book else None
        days = ledger_repo.read(days_book) if days_book else None
        check, estimate, estimate_json, check_json = _judged_parts(
            body, product, benefit, scope, used_by(ledger.entries, trouble=trouble) if ledger else None,
            days_taken=days_held(days.entries) if days else frozenset(),
        )
        item = {
            "claim_id": claim_id,
            "created_at": at,
            "status": repo.AWAITING_DOCUMENTS,
            "history": [{"status": repo.AWAITING_DOCUMENTS, "at": at}],
            "revision": 0,
            "token_hash": secret_hash(token),
            # the salt alone gives nothing: the token needs the client's key too (domain.access_secrets)
            "token_salt": salt,
            **body.model_dump(mode="json", exclude={"documents"}),
            "check": check_json,
            "estimate": estimate_json,
            "documents": documents,
        }
        held = Used(yen=estimate.amount, nights=estimate.nights, days=estimate.days,
                    trouble_costs=estimate.trouble_costs)
        also = []
        if ledger is not None:
            # named even when nothing is reserved: the desk judges the claim again on this ledger
            item["ledger"] = {"key": ledger.key, "scope": scope.label}
            if held != NOTHING_USED:
                also.append(ledger_repo.reserve(ledger, claim_id, held, scope_label=scope.label, at=at,
                                                trouble=trouble))
        if days is not None:
            item["days_ledger"] = days.key
            paying = paid_units(payable_expenses(check), estimate)
            if paying:
                also.append(ledger_repo.reserve_days(days, claim_id, paying, at=at))
        made = {"claim_id": claim_id, "body_hash": idempotency.body_hash(body_json)}
        try:
            # through the prompt client: an unreachable store is a 503 within the timeout, not a hang
            idempotency.put_new(
                clients.env("CLAIMS_TABLE"), "claim_id", item,
                key=(CLAIM_KIND, key, made) if key is not None else None, now=now, also=also, mark="token_hash",
            )
        except idempotency.AlsoChanged:
            continue  # another claim on this ledger got in first: judge again on what it left
        except idempotency.ItemTaken:
            claim_id = repo.new_claim_id()  # one in 1.8 billion: draw another number
            continue
        except idempotency.KeyTaken:
            # the same key, sent twice at once: the other request stored its claim
            found = idempotency.key_record(CLAIM_KIND, key or "", now)
            if found is None:
                raise idempotency.StoreUnavailable("key record vanished") from None
            return _replay(found, body_json)
        break
    else:
        raise idempotency.StoreUnavailable("the ledger kept changing")
    logger.info(
        "claim filed",
        extra={
            "claim_id": claim_id,
            "product_id": body.product_id,
            "benefit_id": body.benefit_id,
            "payable": check.payable,
            "estimate": estimate.amount,
            "documents": len(documents),
        },
    )
    return filed_view(item)


def _replay(found: dict[str, Any], body_json: dict[str, Any]) -> dict[str, Any]:
    """The answer a key's first request got, for its retry; the same key with another claim is refused."""
    if found["body_hash"] != idempotency.body_hash(body_json):
        raise DomainError.field(
            "idempotency-key-reused",
            "Idempotency-Key が別の請求に使われています",
            "header.Idempotency-Key",
            "内容の違う請求には新しい Idempotency-Key を使ってください。",
        )
    item = repo.get_claim(clients.claims_table(), found["claim_id"])
    if item is None:
        raise idempotency.StoreUnavailable("claim of a key record missing")
    return filed_view(item)


def file_claim(body: ClaimIn, idempotency_key: str | None) -> dict[str, Any]:
    """The answer to a filed claim: its status, the access token (this once) and an upload form per
    document still to come. The same key and body again answer with the same claim."""
    now = datetime.now(TOKYO)
    # Without an Idempotency-Key nothing is replayed, and a one-off random key stands in for it.
    token_key = idempotency_key or secrets.token_urlsafe(32)
    body_json = body.model_dump(mode="json")
    try:
        found = idempotency.key_record(CLAIM_KIND, idempotency_key, now) if idempotency_key else None
        result = _replay(found, body_json) if found else _file(body_json, token_key, idempotency_key, now)
    except idempotency.StoreUnavailable as exc:
        logger.warning("claims store unavailable", extra={"error": str(exc)})
        raise StoreUnavailable(str(exc)) from None
    out = dict(result)
    out["access_token"] = claim_token(token_key, out.pop("token_salt"))
    for doc in out["documents"]:
        if doc["state"] != repo.RECEIVED:
            doc["upload"] = _form(out["claim_id"], doc["doc_id"], doc["content_type"])
    return out


def estimate_claim(body: ClaimEstimateIn) -> dict[str, Any]:
    """What filing this claim now would answer, so that a claim paying nothing is explained before it is
    filed. Nothing is stored."""
    product, benefit = _product_and_benefit(body)
    _refuse(_basis_errors(body, product, benefit))
    scope, book = _scope_and_book(body, product, benefit)
    days_book = _days_book(body, benefit)
    # an outage: 503 (api.outages)
    used = used_by(ledger_repo.read(book).entries, trouble=_trouble(body, benefit)) if book else None
    taken = days_held(ledger_repo.read(days_book).entries) if days_book else frozenset()
    _, _, estimate_json, check_json = _judged_parts(body, product, benefit, scope, used, days_taken=taken)
    return {**check_json, "estimate": estimate_json}


# ---- a filed claim, judged again ------------------------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    """A filed claim judged again on its policy's ledger as it stands now: every other claim in the scope
    counted (reserved or paid), this claim's own reservation left out, the rules on the day it was filed.
    What the desk may pay, and what the claimant is told while the claim waits."""

    product: Product
    benefit: Benefit
    plan_id: str | None
    ledger: ledger_repo.Ledger | None  # as read: a decision is written only if it is still so
    days_ledger: ledger_repo.Ledger | None  # the days the person's claims hold, where a day is paid once
    scope_label: str
    trouble: str | None  # where the benefit runs per trouble
    others: Used | None  # what the other claims hold (None: no limit counted across claims)
    check: BenefitCheck
    estimate: Estimate
    check_json: dict[str, Any]
    estimate_json: dict[str, Any]

    @property
    def payable(self) -> list[Expense]:
        return payable_expenses(self.check)


def standing(item: dict[str, Any]) -> Standing:
    """The claim as stored, judged again now (an outage reading the ledger raises StoreUnavailable)."""
    body = ClaimEstimateIn.model_validate({k: item[k] for k in ClaimEstimateIn.model_fields if k in item})
    product = get_catalog().product(body.product_id)
    benefit = product.benefit(body.benefit_id)
    scope, book = _scope_and_book(body, product, benefit)
    book = item.get("ledger", {}).get("key", book)
    ledger = ledger_repo.read(book) if book else None
    days_book = item.get("days_ledger", _days_book(body, benefit))
    days = ledger_repo.read(days_book) if days_book else None
    taken = days_held(days.entries, leaving_out=item["claim_id"]) if days else frozenset()
    trouble = _trouble(body, benefit)
    others = used_by(ledger.entries, leaving_out=item["claim_id"], trouble=trouble) if ledger else None
    filed_on = datetime.fromisoformat(item["created_at"]).astimezone(TOKYO).date()
    check, estimate, estimate_json, check_json = _judged_parts(
        body, product, benefit, scope, others, filed_on, days_taken=taken
    )
    return Standing(product, benefit, body.plan_id, ledger, days, scope.label, trouble, others, check, estimate,
                    check_json, estimate_json)


def _waiting_view(item: dict[str, Any]) -> dict[str, Any]:
    """The claimant's view of a claim not yet decided: its estimate as the ledger stands now, which moves
    when another claim on the same limit is decided. The figure at filing is kept beside it when they
    differ; should the ledger not answer, the figures at filing are shown."""
    view = claimant_view(item)
    try:
        now = standing(item)
    except idempotency.StoreUnavailable:
        logger.warning("ledger unavailable for a status read", extra={"claim_id": item["claim_id"]})
        return view
    estimate = dict(now.estimate_json)
    filed = int(item["estimate"]["amount"])
    if now.estimate.amount != filed:
        estimate["filed_amount"] = filed
    return {**view, "payable": now.check_json["payable"], "reasons": now.check_json["reasons"], "estimate": estimate}


# ---- status and fresh forms -----------------------------------------------------------------------------


def _claim_or_404(claim_id: str, token: str | None) -> dict[str, Any]:
    item = repo.claim_for_token(clients.claims_table(), claim_id, token)
    if item is None:
        raise DomainError("claim-not-found", "請求が見つかりません", status=404,
                          detail="請求番号かアクセストークンが正しくありません。")
    return item


def read_claim(claim_id: str, token: str | None) -> dict[str, Any]:
    """The claimant's view of the claim the token opens."""
    item = _claim_or_404(claim_id, token)
    return _waiting_view(item) if item["status"] in OPEN_FOR_DOCUMENTS else claimant_view(item)


def new_document_form(claim_id: str, body: DocumentFormIn, token: str | None) -> dict[str, Any]:
    """A fresh upload form for a slot not yet received (`doc_id`), or a new slot of a kind (`kind`)."""
    item = _claim_or_404(claim_id, token)
    claim_id = item["claim_id"]  # as written, however it was typed
    limit = get_catalog().upload_limit_bytes
    if body.size > limit:
        raise field_error("file-too-large", "body.size", f"1ファイル {limit // (1024 * 1024)}MB までです。")
    table = clients.claims_table()
    now = _now()
    if body.doc_id is not None:
        if body.doc_id not in item.get("documents", {}):
            raise field_error("unknown-document", "body.doc_id", "この請求にこの書類はありません。")
        try:
            item = repo.reopen_slot(
                table, claim_id, body.doc_id, content_type=body.content_type, size=body.size,
                file_name=body.file_name, at=now,
            )
        except repo.SlotNotOpen:
            raise field_error("document-received", "body.doc_id", "この書類は受け付け済みです。", status=409) from None
        doc_id = body.doc_id
    elif body.kind is not None:
        doc_id, item = _add_copy(item, body, now)
    else:
        raise field_error("missing-document", "body.doc_id", "送り直す書類を選んでください。")
    logger.info("upload form issued", extra={"claim_id": claim_id, "doc_id": doc_id})
    view = document_view(doc_id, item["documents"][doc_id])
    view["upload"] = _form(claim_id, doc_id, body.content_type)
    return view


def _add_copy(item: dict[str, Any], body: DocumentFormIn, now: str) -> tuple[str, dict[str, Any]]:
    """A new slot for one more document of a kind the benefit asks for (another receipt)."""
    product = get_catalog().product(item["product_id"])
    kinds = {d.kind: d for d in product.benefit(item["benefit_id"]).documents_for(item["trigger"]["type"])}
    if body.kind not in kinds:
        raise field_error("unknown-document", "body.kind", "この給付の請求書類ではありません。")
    copy = next_copy(item.get("documents", {}), body.kind)
    if copy is None:
        raise field_error(
            "too-many-documents", "body.kind",
            f"この種類の書類は{MAX_COPIES_PER_KIND}件までです。ほかにもある場合は、お問い合わせ窓口へご相談ください。",
            status=409,
        )
    slot = {
        "kind": body.kind,
        "label": kinds[body.kind].label,
        "required": False,  # an extra copy; the required one is already a slot
        "file_name": body.file_name,
        "content_type": body.content_type,
        "size": body.size,
        "state": repo.AWAITING_UPLOAD,
        "order": len(item.get("documents", {})),
        "forms_issued": 1,
    }
    try:
        return copy, repo.add_slot(clients.claims_table(), item["claim_id"], copy, slot, at=now)
    except repo.SlotNotOpen:
        raise DomainError("claim-in-progress", "同じ書類を処理中です", status=409) from None
