"""Plain-text e-mail to a customer: a template under services/templates (its first line the subject,
「件名：…」), the product's contact as the mail writes it, and the send through SES."""

from __future__ import annotations

import os
from pathlib import Path
from string import Template
from typing import Any

from catalog.models import Contact
from dal import clients

TEMPLATES = Path(__file__).with_name("templates")


def render(template: str, values: dict[str, Any]) -> tuple[str, str]:
    """(subject, body) of templates/<template> with its ${...} filled in."""
    text = Template((TEMPLATES / template).read_text(encoding="utf-8")).substitute(values)
    subject, _, body = text.partition("\n\n")
    return subject.removeprefix("件名：").strip(), body


def contact_text(contact: Contact | None, fallback: str) -> str:
    """Whom to call: the contact's name and number, and its hours on a line of their own."""
    if contact is None:
        return fallback
    line = f"{contact.label} {contact.phone}"
    return f"{line}\n受付時間 {contact.hours}" if contact.hours else line


def enabled() -> bool:
    """Whether this deployment sends e-mail: only from a domain of its own (MAIL_FROM is empty without one)."""
    return bool(os.environ.get("MAIL_FROM"))


def send_text(to: str, subject: str, body: str) -> None:
    """Send from MAIL_FROM; the mail service's refusal (BotoCoreError, ClientError) reaches the caller."""
    clients.sesv2().send_email(
        FromEmailAddress=clients.env("MAIL_FROM"),
        Destination={"ToAddresses": [to]},
        Content={"Simple": {"Subject": {"Data": subject, "Charset": "UTF-8"},
                            "Body": {"Text": {"Data": body, "Charset": "UTF-8"}}}},
    )
