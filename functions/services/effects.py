"""What a write causes after it, each once: a message on the insurer's intake queue, an e-mail.

A service that stores something passes the effects it causes (`to_queue`, `to_mail`) to the same transaction
(dal.outbox), then calls `deliver` for them at once; the outbox's stream consumer (outbox.handler) delivers
whatever that could not (the function died, the mail service refused). Both go through the entry's claim, so
however many requests, retries and consumers meet one entry, one of them sends it.

The one window left is a deliverer that sends and dies before its `done` is written: after the lease the
entry is sent again. The intake queue is FIFO with the cause's id as deduplication id, so a second message
inside SQS's five minutes is dropped; an e-mail has no such id, so that rare mail can come twice.
"""

from __future__ import annotations

import contextlib
import json
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from aws_lambda_powertools import Logger
from botocore.exceptions import BotoCoreError, ClientError

from dal import clients
from dal import outbox as repo
from dal.idempotency import StoreUnavailable
from japan_calendar import JST
from services import mail

logger = Logger(service="effects")

__all__ = ["MAIL", "QUEUE", "Delivery", "Effect", "StoreUnavailable", "deliver", "settle", "to_mail", "to_queue",
           "waiting"]

QUEUE, MAIL = "queue", "mail"


@dataclass(frozen=True)
class Effect:
    """One effect of a write: its id (the cause's id and what it is), and the outbox item to write with it."""

    effect_id: str
    item: dict[str, Any]


def to_queue(effect_id: str, *, queue: str, body: dict[str, Any], group: str, marks: dict[str, Any],
             now: datetime) -> Effect:
    """A message to the queue whose URL is in the environment variable `queue`."""
    payload = {"queue": queue, "body": json.dumps(body, ensure_ascii=False), "group": group}
    return Effect(effect_id, repo.entry(effect_id, QUEUE, payload, marks=marks, now=now))


def to_mail(effect_id: str, *, to: str, subject: str, body: str, marks: dict[str, Any] | None,
            now: datetime) -> Effect:
    payload = {"to": to, "subject": subject, "body": body}
    return Effect(effect_id, repo.entry(effect_id, MAIL, payload, marks=marks, now=now))


def _send(held: dict[str, Any]) -> None:
    payload = held["payload"]
    if held["kind"] == QUEUE:
        clients.sqs().send_message(
            QueueUrl=clients.env(payload["queue"]), MessageBody=payload["body"],
            MessageGroupId=payload["group"], MessageDeduplicationId=held["effect_id"],
        )
    elif held["kind"] == MAIL:
        mail.send_text(payload["to"], payload["subject"], payload["body"])
    else:
        raise ValueError(f"unknown effect kind {held['kind']!r}")


@dataclass(frozen=True)
class Delivery:
    sent: frozenset[str]    # sent by this call
    failed: frozenset[str]  # tried and refused: given back for a later try
    elsewhere: frozenset[str]  # done before, or being sent by another deliverer right now


def deliver(effect_ids: Iterable[str], now: datetime | None = None, *, writer: bool = True) -> Delivery:
    """Send each effect not yet sent and not held by another deliverer. `writer`: the request that wrote the
    effects (or retries it); the outbox's consumer is not, and leaves an effect to its writer for a head start.
    A store that does not answer raises StoreUnavailable (nothing was sent that is not recorded as held)."""
    now = (now or datetime.now(JST)).astimezone(JST)
    token = secrets.token_hex(16)
    sent, failed, elsewhere = set(), set(), set()
    for effect_id in effect_ids:
        held = repo.claim(effect_id, token, now, writer=writer)
        if held is None:
            elsewhere.add(effect_id)
            continue
        try:
            _send(held)
        except (BotoCoreError, ClientError, RuntimeError) as exc:
            # the service refused or could not be reached (RuntimeError: this deployment lacks its setting)
            failed.add(effect_id)
            logger.warning("effect not delivered", extra={"effect_id": effect_id, "kind": held["kind"],
                                                          "attempts": held["attempts"], "error": type(exc).__name__})
            with contextlib.suppress(StoreUnavailable):  # else the lease runs out and the entry is taken again
                repo.release(held, type(exc).__name__)
            continue
        sent.add(effect_id)
        repo.done(held, datetime.now(JST))
        logger.info("effect delivered", extra={"effect_id": effect_id, "kind": held["kind"]})
    return Delivery(frozenset(sent), frozenset(failed), frozenset(elsewhere))


def waiting(effect_id: str) -> bool:
    """Whether the effect is still to be sent (not yet taken, or held by a deliverer now)."""
    return repo.exists(effect_id)


def settle(effect_id: str, patience: timedelta = repo.HEAD_START + repo.LEASE + timedelta(seconds=5)) -> bool:
    """The outbox consumer's delivery of one effect: True once it is sent (by this call or another deliverer),
    False when the service refused it. The writer's head start, and an entry another deliverer holds, are
    waited out, so a writer that finishes is not sent after and one that died is taken over."""
    give_up = time.monotonic() + patience.total_seconds()
    while True:
        delivery = deliver([effect_id], writer=False)
        if delivery.failed:
            return False
        if delivery.sent or not waiting(effect_id):
            return True
        if time.monotonic() > give_up:
            return False
        time.sleep(0.5)
