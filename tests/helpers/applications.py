"""Bodies and a frozen clock for the application tests."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from catalog import get_catalog
from domain.applications import consent_version


def consents() -> dict[str, str]:
    product = get_catalog().product("and-me")
    assert product.apply.online is not None
    return {c.id: consent_version(product, c) for c in product.apply.online.consents}


def application(**changes: Any) -> dict[str, Any]:
    """A complete and ME application that can be taken; `changes` replace top-level members."""
    body: dict[str, Any] = {
        "product_id": "and-me",
        "applicant": {
            "name": "安堵 花子",
            "name_kana": "アンド ハナコ",
            "birth_date": "1990-04-01",
            "postal_code": "160-0022",
            "address": "東京都新宿区新宿1-2-3",
            "phone": "090-1234-5678",
            "email": "hanako@example.jp",
        },
        "facts": {"police_consultations": [], "harm_is_spousal_dv": False},
        "payment_method": "credit_card",
        "payment_frequency": "monthly",
        "consents": consents(),
        "acknowledged": ["ANY_AGE_ANY_SEX", "NO_ALSOK_CONTRACT_NEEDED", "WARNING_REQUIRED"],
    }
    body.update(changes)
    return body


def applicant(**changes: Any) -> dict[str, Any]:
    return {**application()["applicant"], **changes}


def now_is(monkeypatch: pytest.MonkeyPatch, when: datetime) -> None:
    """Freeze the service's clock (the receipt time decides the application date)."""
    import services.applications as service

    class Clock(datetime):
        @classmethod
        def now(cls, tz: Any = None) -> datetime:  # type: ignore[override]
            return when.astimezone(tz) if tz else when

    monkeypatch.setattr(service, "datetime", Clock)


def handle_at_once(barrier: Any, event: dict[str, Any], answers: Any) -> None:
    """One applications handler in a process of its own (its own interpreter, clients and connections, as a
    Lambda instance has), started with the others at the barrier; puts (status, application number)."""
    import json

    from api.applications_handler import lambda_handler

    barrier.wait(timeout=60)
    out = lambda_handler(event, None)
    answers.put((out["statusCode"], json.loads(out["body"]).get("application_number")))
