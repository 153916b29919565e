"""The claimant's e-mail when the claims desk asks for a document or decides: the claim number and what
kind of news there is, nothing else (no name, no amounts, no reasons). The details are on the status
page, behind the claim's access key.

The notice is stored in the outbox with the desk's write (services.effects) and sent once per action: at
once when the mail service answers; else the outbox's consumer sends it later, and the handler is told so
(QUEUED: telephone if it cannot wait). A claim without an e-mail address, or a deployment without a domain
of its own to send from, gets no notice (NOT_SENT: the handler telephones).
"""

from __future__ import annotations

import os
from datetime import datetime
from typing import Any

from catalog import get_catalog
from services import effects, mail

MAIL_TEMPLATE = "claim_notice.txt"
STATUS_PAGE = "/claims/status/"

# What happened, in a sentence that names no amount and no reason.
NEWS = {
    "document_requested": "追加の書類をお願いしています。お手数ですが、請求状況のページからお送りください。",
    "decided": "ご請求の審査が終わりました。結果をご確認ください。",
    "paid": "お支払いの手続きをしました。",
}
SENT, QUEUED, NOT_SENT = "sent", "queued", "not_sent"


def notice_text(item: dict[str, Any], news: str) -> tuple[str, str]:
    product = get_catalog().product(item["product_id"])
    site = os.environ.get("SITE_URL", "").rstrip("/")
    values = {
        "product": product.short_name,
        "number": item["claim_id"],
        "news": NEWS[news],
        # the number only: the access key never travels by mail
        "status_url": f"{site}{STATUS_PAGE}#id={item['claim_id']}",
        "contact": mail.contact_text(product.claims_contact(), product.insurer or ""),
    }
    return mail.render(MAIL_TEMPLATE, values)


def notice(item: dict[str, Any], news: str, revision: int, now: datetime) -> effects.Effect | None:
    """The notice of the desk's action that raises the claim to `revision`, to write with it; None when no
    e-mail can be sent (no address, or no sender: a deployment without a domain of its own)."""
    address = item.get("contact", {}).get("email")
    if not address or not mail.enabled():
        return None
    subject, body = notice_text(item, news)
    return effects.to_mail(f"{item['claim_id']}/{revision}/{news}", to=address, subject=subject, body=body,
                           marks=None, now=now)


def send(notice_effect: effects.Effect | None) -> str:
    """Send the stored notice now: SENT, QUEUED (the mail service did not take it: the outbox's consumer
    sends it later) or NOT_SENT (there is none)."""
    if notice_effect is None:
        return NOT_SENT
    try:
        delivery = effects.deliver([notice_effect.effect_id])
        done = bool(delivery.sent) or (not delivery.failed and not effects.waiting(notice_effect.effect_id))
    except effects.StoreUnavailable:
        return QUEUED
    return SENT if done else QUEUED
