"""What the applications routes answer: the confirmation step's preview, and the application as taken and
as its status page shows it (no personal data in either)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from schemas.base import ApiModel


class ApplicationPreview(ApiModel):
    """What the confirmation step shows (check_only): nothing is stored."""

    product_id: str
    application_date: str
    coverage_start: str
    payment_method: str
    payment_frequency: str
    payment_label: str
    conditions: list[dict[str, Any]]
    next_steps: list[str]


class ApplicationOut(ApplicationPreview):
    application_number: str
    access_secret: str | None = Field(default=None, description="確認コード（申込みの応答でのみ）")
    status: str
    status_label: str
    received_at: str
    email_sent: bool
