"""Each effect of an application (the intake message, the e-mail) is sent once per application, whatever the
retries, the replays and their concurrency: handlers in separate processes, as Lambda runs them, and the
outbox's consumer beside them."""

from __future__ import annotations

import multiprocessing
from typing import Any

import pytest

from helpers.applications import application, handle_at_once
from helpers.events import api_event

REPLAYS = 20


def _event(body: dict[str, Any], key: str) -> dict[str, Any]:
    return api_event("POST", "/api/v1/applications", body, {"Idempotency-Key": key})


def _in_processes(events: list[dict[str, Any]]) -> list[tuple[int, str | None]]:
    spawn = multiprocessing.get_context("spawn")
    barrier, answers = spawn.Barrier(len(events)), spawn.Queue()
    processes = [spawn.Process(target=handle_at_once, args=(barrier, e, answers)) for e in events]
    for p in processes:
        p.start()
    out = [answers.get(timeout=120) for _ in processes]
    for p in processes:
        p.join(timeout=30)
    return out


@pytest.mark.slow
def test_given_twenty_concurrent_replays_in_separate_processes_then_one_application_one_message_one_mail(
    aws: Any,
) -> None:
    aws.intake()
    mails, stored = len(aws.mails()), len(aws.applications())
    body = application(applicant={**application()["applicant"], "email": "once@example.jp"})
    answers = _in_processes([_event(body, "key-replayed-twenty-01")] * REPLAYS)

    assert {status for status, _ in answers} <= {201, 409}, answers
    numbers = {number for status, number in answers if status == 201}
    assert len(numbers) == 1, answers
    assert len(aws.applications()) == stored + 1
    queued = [m["application"]["application_number"] for m in aws.intake()]
    assert queued == list(numbers)
    sent = [m for m in aws.mails()[mails:] if m.destinations["ToAddresses"] == ["once@example.jp"]]
    assert len(sent) == 1
    assert aws.outbox() == []  # nothing left to send


# ---- the outbox's consumer -----------------------------------------------------------------------------


def _stream_records(aws: Any, effect_ids: set[str]) -> list[dict[str, Any]]:
    """The outbox stream's new-entry records of these effects, as Lambda hands them to the consumer."""
    ddb, streams = aws.client("dynamodb"), aws.client("dynamodbstreams")
    arn = ddb.describe_table(TableName=aws.env["OUTBOX_TABLE"])["Table"]["LatestStreamArn"]
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")
    records = streams.get_records(ShardIterator=iterator["ShardIterator"], Limit=1000)["Records"]
    return [{**r, "eventSourceARN": arn} for r in records
            if r["eventName"] == "INSERT" and r["dynamodb"]["Keys"]["effect_id"]["S"] in effect_ids]


def _consume(records: list[dict[str, Any]]) -> dict[str, Any]:
    from devserver.lambdas import LambdaContext
    from outbox.handler import lambda_handler

    context = LambdaContext("OutboxFunction", memory_limit_in_mb=512, timeout_s=90)
    return lambda_handler({"Records": records}, context)


def _applied_with_mail_refused(aws: Any, monkeypatch: pytest.MonkeyPatch, key: str, email: str) -> str:
    """An application stored whole whose e-mail the mail service refused: it waits in the outbox, its
    writer's head start already over (as when the consumer is given it again later)."""
    from datetime import timedelta

    from api.applications_handler import lambda_handler
    from dal import outbox
    from helpers.events import call

    monkeypatch.setattr(outbox, "HEAD_START", timedelta(0))
    monkeypatch.setenv("MAIL_FROM", "no-reply@not-verified.example")
    body = application(applicant={**application()["applicant"], "email": email})
    refused = call(lambda_handler, "POST", "/api/v1/applications", body, {"Idempotency-Key": key})
    assert refused.status == 503
    monkeypatch.setenv("MAIL_FROM", aws.env["MAIL_FROM"])
    (number,) = [a["application_number"]["S"] for a in aws.applications()
                 if a["applicant"]["M"]["email"]["S"] == email]
    return number


def test_given_an_effect_its_request_could_not_send_then_the_consumer_sends_it_once_and_marks_the_application(
    aws: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    number = _applied_with_mail_refused(aws, monkeypatch, "key-consumer-mail-0001", "later@example.jp")
    mails = len(aws.mails())
    records = _stream_records(aws, {f"{number}/mail", f"{number}/intake"})
    assert len(records) == 2  # both were written with the application

    assert _consume(records) == {"batchItemFailures": []}
    assert _consume(records) == {"batchItemFailures": []}  # the stream gives records again: nothing more is sent
    sent = [m for m in aws.mails()[mails:] if m.destinations["ToAddresses"] == ["later@example.jp"]]
    assert len(sent) == 1 and number in sent[0].subject
    (stored,) = [a for a in aws.applications() if a["application_number"]["S"] == number]
    assert "mail_sent_at" in stored and "intake_queued_at" in stored
    assert [e for e in aws.outbox() if e["effect_id"]["S"].startswith(number)] == []


def test_given_a_deliverer_that_died_holding_an_effect_then_after_its_lease_the_consumer_sends_it(
    aws: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import datetime

    from dal import outbox

    number = _applied_with_mail_refused(aws, monkeypatch, "key-consumer-dead-0001", "dead@example.jp")
    # a deliverer claimed it long enough ago that its lease has run out, and never came back
    assert outbox.claim(f"{number}/mail", "a-deliverer-that-died", datetime.now() - 2 * outbox.LEASE) is not None
    mails = len(aws.mails())
    assert _consume(_stream_records(aws, {f"{number}/mail"})) == {"batchItemFailures": []}
    assert len([m for m in aws.mails()[mails:] if m.destinations["ToAddresses"] == ["dead@example.jp"]]) == 1


def test_given_the_mail_service_still_refusing_then_the_consumer_reports_the_record_and_the_entry_waits(
    aws: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    number = _applied_with_mail_refused(aws, monkeypatch, "key-consumer-down-0001", "down@example.jp")
    records = _stream_records(aws, {f"{number}/mail"})
    monkeypatch.setenv("MAIL_FROM", "no-reply@not-verified.example")
    failed = _consume(records)
    assert failed == {"batchItemFailures": [{"itemIdentifier": records[0]["dynamodb"]["SequenceNumber"]}]}
    (entry,) = [e for e in aws.outbox() if e["effect_id"]["S"] == f"{number}/mail"]
    assert entry["state"]["S"] == "pending" and int(entry["attempts"]["N"]) == 2
    assert "down@example.jp" not in str({k: v for k, v in entry.items() if k != "payload"})


def test_given_a_new_effect_its_writer_is_still_sending_then_the_consumer_leaves_it_the_head_start(
    aws: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The consumer sees a new entry within a second of its write, while its request is still sending it: it
    does not take it, so the request can tell the customer it was sent."""
    from datetime import datetime, timedelta

    from dal import outbox
    from services import effects

    number = _applied_with_mail_refused(aws, monkeypatch, "key-consumer-head-0001", "head@example.jp")
    monkeypatch.setattr(outbox, "HEAD_START", timedelta(seconds=30))
    fresh = effects.to_mail(f"{number}/again", to="head@example.jp", subject="s", body="b", marks=None,
                            now=datetime.now())
    aws.client("dynamodb").put_item(**fresh.item["Put"])
    assert effects.deliver([fresh.effect_id], writer=False).elsewhere == {fresh.effect_id}
    assert effects.deliver([fresh.effect_id]).sent == {fresh.effect_id}  # its writer
