"""The claimant's notice as the desk stores and sends it, on moto's SES and DynamoDB: sent once from the
deployment's own domain, kept in the outbox while the mail service refuses it, and not made at all by a
deployment without a domain (the template gives its functions an empty MAIL_FROM) or for a claim without
an address."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import boto3
import pytest
from moto import mock_aws
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends

from dal import clients
from dal.idempotency import write_together
from services.claim_notices import NOT_SENT, QUEUED, SENT, notice, send

REGION = "ap-northeast-1"
CLAIM = {"claim_id": "CL-7K3Q-9XHD", "product_id": "and-me", "contact": {"email": "hanako@example.jp"}}
NOW = datetime(2026, 12, 7, 10, 0)


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_DEFAULT_REGION": REGION, "AWS_REGION": REGION, "OUTBOX_TABLE": "outbox"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        clients.reset()
        boto3.client("sesv2", region_name=REGION).create_email_identity(EmailIdentity="anshin.example.jp")
        boto3.client("dynamodb", region_name=REGION).create_table(
            TableName="outbox", BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": "effect_id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "effect_id", "AttributeType": "S"}],
        )
        yield
    clients.reset()


def _sent() -> int:
    return len(ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages)


def _waiting() -> list[str]:
    items = boto3.client("dynamodb", region_name=REGION).scan(TableName="outbox")["Items"]
    return [i["effect_id"]["S"] for i in items]


def test_given_the_sites_own_domain_then_the_notice_is_stored_with_its_action_and_sent_from_it_once(
    aws: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MAIL_FROM", "no-reply@anshin.example.jp")
    made = notice(CLAIM, "decided", 4, NOW)
    assert made is not None and made.effect_id == "CL-7K3Q-9XHD/4/decided"  # one per action: the revision it made
    write_together([made.item])
    assert send(made) == SENT
    assert send(made) == SENT and _sent() == 1  # sent already: said so, and nothing goes twice
    assert _waiting() == []


def test_given_the_mail_service_refusing_then_the_notice_waits_in_the_outbox_and_the_handler_is_told(
    aws: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MAIL_FROM", "no-reply@not-verified.example")
    made = notice(CLAIM, "paid", 5, NOW)
    assert made is not None
    write_together([made.item])
    assert send(made) == QUEUED and _sent() == 0
    assert _waiting() == [made.effect_id]


@pytest.mark.parametrize(("sender", "claim"), [("", CLAIM), ("no-reply@anshin.example.jp", {**CLAIM, "contact": {}})])
def test_given_no_domain_of_its_own_or_no_address_then_no_notice_is_made_and_the_handler_is_told(
    aws: None, monkeypatch: pytest.MonkeyPatch, sender: str, claim: dict[str, object]
) -> None:
    monkeypatch.setenv("MAIL_FROM", sender)
    assert notice(claim, "decided", 4, NOW) is None
    assert send(None) == NOT_SENT
    assert _sent() == 0
