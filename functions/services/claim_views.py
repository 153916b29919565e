"""What a person sees of a claim, built from the stored claim as plain data: the claimant's view (status,
history without who acted, decision, payment, whom to call) and the claims handler's (the whole claim, its
ledger as it stands now, and a short-lived link to each accepted document).

The models in schemas.claims describe these answers for the OpenAPI document.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from catalog import get_catalog
from dal import claims as repo
from dal import clients
from dal import ledger as ledger_repo
from dal.uploads import TOKYO, document_link
from domain.claim_decisions import DECLINED, history_label
from domain.ledger import Used, used_by
from domain.payouts import allowance, yen
from domain.periods import jdate
from domain.upload_refusals import REASONS

# ---- the claimant's ---------------------------------------------------------------------------------


def document_view(doc_id: str, slot: dict[str, Any]) -> dict[str, Any]:
    """A document slot as the claimant (and, with more, the desk) sees it."""
    code = slot.get("reason_code")
    return {
        "doc_id": doc_id,
        "kind": slot["kind"],
        "label": slot["label"],
        "required": bool(slot.get("required", True)),
        "content_type": slot["content_type"],
        "state": slot["state"],
        "state_label": repo.DOCUMENT_STATE_LABELS.get(slot["state"], slot["state"]),
        "reason_code": code,
        "reason": REASONS.get(code) if code else None,
        "updated_at": slot.get("updated_at"),
        "request": {"message": slot["requested"]["message"], "at": slot["requested"]["at"]}
        if "requested" in slot else None,
    }


def _contact_view(product_id: str) -> dict[str, Any] | None:
    contact = get_catalog().product(product_id).claims_contact()
    if contact is None:
        return None
    return {"label": contact.label, "phone": contact.phone, "hours": contact.hours}


def claimant_view(item: dict[str, Any]) -> dict[str, Any]:
    """The claim's status page."""
    docs = item.get("documents", {})
    return {
        "claim_id": item["claim_id"],
        "product_id": item["product_id"],
        "benefit_id": item["benefit_id"],
        "status": item["status"],
        "status_label": repo.STATUS_LABELS.get(item["status"], item["status"]),
        # who at the desk acted is the insurer's business, not the claimant's
        "history": [
            {**{k: v for k, v in step.items() if k != "by"}, "label": history_label(step, first=i == 0)}
            for i, step in enumerate(item.get("history", []))
        ],
        "created_at": item["created_at"],
        "payable": item["check"]["payable"],
        "reasons": item["check"]["reasons"],
        "estimate": item["estimate"],
        "documents": [document_view(d, docs[d]) for d in sorted(docs, key=lambda d: docs[d].get("order", 0))],
        "contact": _contact_view(item["product_id"]),
        "decision": _decision_view(item.get("decision")),
        "payment": {"paid_on": item["payment"]["paid_on"], "amount": item["payment"]["amount"]}
        if "payment" in item else None,
    }


def _decision_view(decision: dict[str, Any] | None) -> dict[str, Any] | None:
    if decision is None:
        return None
    return {
        "status": decision["status"],
        "status_label": repo.STATUS_LABELS[decision["status"]],
        "amount": decision["amount"],
        "reason": decision.get("reason"),
        "message": decision.get("message"),
        "paid_for": paid_for(decision),
        "at": decision["at"],
    }


def paid_for(decision: dict[str, Any]) -> str | None:
    """The nights or days a decision pays, in the claimant's words, runs of days as ranges
    (「3泊分（2026年3月10日〜2026年3月11日・2026年3月14日）」)."""
    dates = decision.get("paid_dates")
    if not dates or decision.get("status") == DECLINED:
        return None
    runs: list[list[date]] = []
    for day in sorted(date.fromisoformat(d) for d in dates):
        if runs and (day - runs[-1][-1]).days == 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    spans = "・".join(jdate(r[0]) if len(r) == 1 else f"{jdate(r[0])}〜{jdate(r[-1])}" for r in runs)
    return f"{len(dates)}{decision.get('unit', '')}分（{spans}）"


def _others(used: dict[str, int]) -> str:
    if not used.get("claims"):
        return "ほかの請求は0件"
    parts = [f"{used['nights']}泊"] if used.get("nights") else []
    parts += [f"{used['days']}日"] if used.get("days") else []
    return f"ほかの請求が{used['claims']}件（{'・'.join([*parts, yen(used.get('yen', 0))])}、審査中を含む）"


def why_differs(filed_estimate: dict[str, Any], amount_now: int, others: Used | None) -> str | None:
    """Why the most payable now is not the estimate at filing: the other claims on the same limit then
    and now (one was declined or paid less, or another took what was left)."""
    filed = int(filed_estimate["amount"])
    if filed == amount_now or others is None:
        return None
    limits = filed_estimate.get("limits") or {}
    then = {"claims": limits.get("used_claims", 0), "yen": limits.get("used_yen", 0),
            "nights": limits.get("used_nights", 0), "days": limits.get("used_days", 0)}
    now = {"claims": others.claims, "yen": others.yen, "nights": others.nights, "days": others.days}
    return (f"{limits.get('scope', '同じ範囲')}について、請求時は{_others(then)}で、見込み額は{yen(filed)}でした。"
            f"いまは{_others(now)}のため、お支払いできるのは{yen(amount_now)}です。")


def filed_view(item: dict[str, Any]) -> dict[str, Any]:
    """The status page as filing answers it, with each expense's result and the token's salt."""
    view = claimant_view(item)
    view["token_salt"] = item["token_salt"]
    view["expenses"] = item["check"]["expenses"]
    return view


# ---- the claims handler's ---------------------------------------------------------------------------


def _age_days(created_at: str, today: date) -> int:
    return (today - datetime.fromisoformat(created_at).astimezone(TOKYO).date()).days


def _names(product_id: str, benefit_id: str) -> tuple[str, str]:
    try:
        product = get_catalog().product(product_id)
        return product.name, product.benefit(benefit_id).name
    except KeyError:  # a claim on a product or benefit the catalog no longer lists
        return product_id, benefit_id


def desk_row(item: dict[str, Any], today: date) -> dict[str, Any]:
    """A claim as a row of the desk's list."""
    product_name, benefit_name = _names(item["product_id"], item["benefit_id"])
    return {
        "claim_id": item["claim_id"],
        "product_id": item["product_id"],
        "product_name": product_name,
        "benefit_id": item["benefit_id"],
        "benefit_name": benefit_name,
        "status": item["status"],
        "status_label": repo.STATUS_LABELS.get(item["status"], item["status"]),
        "created_at": item["created_at"],
        "age_days": _age_days(item["created_at"], today),
        "estimate": int(item.get("estimate", {}).get("amount", 0)),
        "revision": int(item.get("revision", 0)),
    }


def ledger_view(item: dict[str, Any]) -> dict[str, Any] | None:
    """The claim's scope in the ledger now: what other claims hold, what this one holds, what is left."""
    booked = item.get("ledger")
    if not booked:
        return None
    ledger = ledger_repo.read(booked["key"])
    benefit = get_catalog().product(item["product_id"]).benefit(item["benefit_id"])
    others = used_by(ledger.entries, leaving_out=item["claim_id"])
    left = allowance(benefit, item.get("plan_id"), others)
    own = ledger.entries.get(item["claim_id"])
    return {
        "scope": booked["scope"],
        "others": {"claims": others.claims, "yen": others.yen, "nights": others.nights, "days": others.days},
        "remaining_before_this": {"yen": left.yen, "nights": left.nights, "days": left.days},
        "this_claim": None if own is None else {
            "state": own.get("state"), "yen": int(own.get("yen", 0)),
            "nights": int(own.get("nights", 0)), "days": int(own.get("days", 0)),
        },
    }


def _desk_document_view(doc_id: str, slot: dict[str, Any], now: datetime) -> dict[str, Any]:
    stored = slot.get("stored_key")
    received = slot.get("state") == repo.RECEIVED and stored
    return {
        **document_view(doc_id, slot),
        "size": slot.get("received_size"),
        # only the accepted copy is ever opened: an upload as sent, or a quarantined one, never
        "open": document_link(clients.s3(), clients.claims_bucket(), str(stored), now=now) if received else None,
    }


def _trigger_label(trigger_type: str) -> str:
    try:
        return get_catalog().trigger_label(trigger_type)
    except StopIteration:  # a kind of trigger the catalog no longer lists
        return trigger_type


def handler_view(item: dict[str, Any], now: datetime) -> dict[str, Any]:
    """The whole claim as the desk reads it."""
    docs = item.get("documents", {})
    return {
        **desk_row(item, now.date()),
        "plan_id": item.get("plan_id"),
        "policy_number": item["policy_number"],
        "coverage_start": item["coverage_start"],
        "trigger": {**item["trigger"], "label": _trigger_label(item["trigger"]["type"])},
        "expenses": item.get("expenses", []),
        "facts": item.get("facts", {}),
        "contact": item.get("contact", {}),
        "check": item["check"],
        "estimate": item["estimate"],
        "ledger": ledger_view(item),
        "history": [{**step, "label": history_label(step, first=i == 0)}
                    for i, step in enumerate(item.get("history", []))],
        "documents": [
            _desk_document_view(d, docs[d], now) for d in sorted(docs, key=lambda d: docs[d].get("order", 0))
        ],
        "decision": item.get("decision"),
        "payment": item.get("payment"),
    }
