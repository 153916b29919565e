"""The claimant's e-mail when the claims desk asks for a document or decides: the claim number and what
kind of news there is, nothing else (no name, no amounts, no reasons). The details are on the status
page, behind the claim's access key.

Sent after the desk's write: the decision stands whether or not the mail leaves. A mail that could not
be sent is reported to the handler (who then telephones), never retried behind their back.
"""

from __future__ import annotations

import os
from typing import Any

from aws_lambda_powertools import Logger
from botocore.exceptions import BotoCoreError, ClientError

from catalog import get_catalog
from services import mail

logger = Logger(service="desk")

MAIL_TEMPLATE = "claim_notice.txt"
STATUS_PAGE = "/claims/status/"

# What happened, in a sentence that names no amount and no reason.
NEWS = {
    "document_requested": "追加の書類をお願いしています。お手数ですが、請求状況のページからお送りください。",
    "decided": "ご請求の審査が終わりました。結果をご確認ください。",
    "paid": "お支払いの手続きをしました。",
}
SENT, NOT_SENT = "sent", "not_sent"


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


def send_notice(item: dict[str, Any], news: str) -> str:
    """Mail the claimant; SENT, or NOT_SENT when there is no address, no sender (a deployment without a domain of
    its own) or the mail service refused."""
    address = item.get("contact", {}).get("email")
    if not address or not mail.enabled():
        return NOT_SENT
    subject, body = notice_text(item, news)
    try:
        mail.send_text(address, subject, body)
    except (BotoCoreError, ClientError) as exc:
        logger.warning("claim notice not sent", extra={"claim_id": item["claim_id"], "error": type(exc).__name__})
        return NOT_SENT
    return SENT
