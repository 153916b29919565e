"""The claimant's notice as the desk sends it, on moto's SES: sent from the deployment's own domain, and not
tried at all by a deployment without one (the template gives its functions an empty MAIL_FROM)."""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import pytest
from moto import mock_aws
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends

from dal import clients
from services.claim_notices import NOT_SENT, SENT, send_notice

REGION = "ap-northeast-1"
CLAIM = {"claim_id": "CL-7K3Q-9XHD", "product_id": "and-me", "contact": {"email": "hanako@example.jp"}}


@pytest.fixture
def ses(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_DEFAULT_REGION": REGION, "AWS_REGION": REGION}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        clients.reset()
        boto3.client("sesv2", region_name=REGION).create_email_identity(EmailIdentity="anshin.example.jp")
        yield
    clients.reset()


def _sent() -> int:
    return len(ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages)


def test_given_the_sites_own_domain_then_the_notice_is_sent_from_it(
    ses: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MAIL_FROM", "no-reply@anshin.example.jp")
    assert send_notice(CLAIM, "decided") == SENT
    assert _sent() == 1


def test_given_no_domain_of_its_own_then_no_notice_is_tried_and_the_handler_is_told(
    ses: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MAIL_FROM", "")
    assert send_notice(CLAIM, "decided") == NOT_SENT
    assert _sent() == 0
