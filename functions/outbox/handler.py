"""Lambda entry point of the outbox consumer: the outbox table's stream (new entries, keys only), in batches.

A new entry is usually delivered already by the request that wrote it; then its claim finds it gone, and
that is success. An entry another deliverer holds is waited for until it is gone or its lease ends (then
taken over). One the service refused is reported back alone, so the stream gives it again (after its retries
the record goes to the dead-letter queue, which alarms; the entry stays in the table). Log lines carry effect ids
and codes only: never an address or a message.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord

from services import effects

logger = Logger(service="outbox")
# every record reported the same way, even when all failed: the stream gives again only those
processor = BatchProcessor(event_type=EventType.DynamoDBStreams, raise_on_entire_batch_failure=False)


class NotYetDelivered(Exception):
    """The service refused the effect, or another deliverer held it past its lease: the stream gives it again."""


def record_handler(record: DynamoDBRecord) -> None:
    effect_id = str(record.dynamodb.keys["effect_id"]) if record.dynamodb else ""
    if not effects.settle(effect_id):
        raise NotYetDelivered(effect_id)


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return process_partial_response(event=event, record_handler=record_handler, processor=processor,
                                    context=context)
