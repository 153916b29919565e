"""What Lambda's event source mappings do, on loopback.

SQS: poll, invoke in batches, delete successes. With ReportBatchItemFailures the function names the
messages that failed; only the others are deleted, so failures come back after the visibility timeout
and end in the dead-letter queue. DynamoDB streams: StreamWorker, below.
"""

from __future__ import annotations

import json
import sys
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

import boto3

from devserver.lambdas import Function, sqs_event


class _Worker:
    """A daemon thread polling for one function until stopped; `wait_idle` tells when a poll found nothing."""

    def __init__(self, function: Function, name: str) -> None:
        self.function = function
        self._stop = threading.Event()
        self._idle = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"{name}-{function.logical_id}", daemon=True)
        self.processed = 0
        self.failed = 0

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def wait_idle(self, timeout: float) -> bool:
        """True once a poll found nothing to do after everything before it was handled."""
        self._idle.clear()
        return self._idle.wait(timeout)

    def _run(self) -> None:
        raise NotImplementedError


class QueueWorker(_Worker):
    def __init__(
        self,
        function: Function,
        *,
        queue_url: str,
        queue_arn: str,
        batch_size: int,
        endpoint: str,
        region: str,
        log: Callable[[str], None] | None = None,
        before: Callable[[list[Any]], None] | None = None,
    ) -> None:
        super().__init__(function, "sqs")
        self.before = before  # what happens to the messages' objects before the function sees them
        self.queue_url = queue_url
        self.queue_arn = queue_arn
        self.batch_size = batch_size
        self.region = region
        self.log = log
        self._sqs = boto3.client(
            "sqs",
            endpoint_url=endpoint,
            region_name=region,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",  # noqa: S106 - moto's fake credentials
        )

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._poll_once()
            except Exception:
                if self._stop.is_set():
                    return
                traceback.print_exc(file=sys.stderr)
                time.sleep(1)

    def _poll_once(self) -> None:
        # A short long-poll keeps Ctrl-C prompt while not spinning.
        messages: list[Any] = self._sqs.receive_message(
            QueueUrl=self.queue_url,
            MaxNumberOfMessages=self.batch_size,
            WaitTimeSeconds=1,
            AttributeNames=["All"],
            MessageAttributeNames=["All"],
        ).get("Messages", [])
        if not messages:
            self._idle.set()
            return
        if self.before is not None:
            self.before(messages)
        failed = self._invoke(messages)
        done = [m for m in messages if m["MessageId"] not in failed]
        if done:
            self._sqs.delete_message_batch(
                QueueUrl=self.queue_url,
                Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(done)],
            )
        self.processed += len(done)
        self.failed += len(failed)
        if self.log is not None:
            self.log(f"{self.function.logical_id}: {len(done)} handled, {len(failed)} left for retry")

    def _invoke(self, messages: list[Any]) -> set[str]:
        """Message ids to keep on the queue: those the function reported, or all when it raised."""
        try:
            result = self.function.invoke(sqs_event(messages, self.queue_arn, self.region))
        except Exception:
            traceback.print_exc(file=sys.stderr)
            return {m["MessageId"] for m in messages}
        failures = (result or {}).get("batchItemFailures", []) if isinstance(result, dict) else []
        return {str(f["itemIdentifier"]) for f in failures}


def matches_filters(record: dict[str, Any], filters: list[dict[str, Any]]) -> bool:
    """Whether a record passes an event source's FilterCriteria: any filter whose pattern's top-level fields
    each list the record's value (the form the template uses, `{"eventName": ["INSERT"]}`)."""
    if not filters:
        return True
    for f in filters:
        pattern = json.loads(f["Pattern"])
        if all(record.get(name) in values for name, values in pattern.items()):
            return True
    return False


class StreamWorker(_Worker):
    """What Lambda's DynamoDB stream event source mapping does, on loopback: read the table's stream from its
    start, pass records that match the filters to the function in batches, give a failed record again (from the
    first one the function names, as Lambda does) up to MaximumRetryAttempts, then send a note of it to the
    OnFailure queue and go on."""

    def __init__(
        self,
        function: Function,
        *,
        stream_arn: str,
        properties: dict[str, Any],
        failure_queue_url: str | None,
        endpoint: str,
        region: str,
        log: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__(function, "stream")
        self.stream_arn = stream_arn
        self.batch_size = min(100, int(properties.get("BatchSize", 100)))
        self.retries = int(properties.get("MaximumRetryAttempts", 3))
        self.filters = properties.get("FilterCriteria", {}).get("Filters", [])
        self.failure_queue_url = failure_queue_url
        self.region = region
        self.log = log
        fake = "testing"  # moto's credentials
        self._streams = boto3.client("dynamodbstreams", endpoint_url=endpoint, region_name=region,
                                     aws_access_key_id=fake, aws_secret_access_key=fake)
        self._sqs = boto3.client("sqs", endpoint_url=endpoint, region_name=region,
                                 aws_access_key_id=fake, aws_secret_access_key=fake)

    def _run(self) -> None:
        shard = self._streams.describe_stream(StreamArn=self.stream_arn)["StreamDescription"]["Shards"][0]
        iterator = self._streams.get_shard_iterator(
            StreamArn=self.stream_arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        while not self._stop.is_set():
            try:
                got = self._streams.get_records(ShardIterator=iterator, Limit=self.batch_size)
                iterator = got["NextShardIterator"]
                # as Lambda gives them: JSON, the record's time in epoch seconds
                records = [json.loads(json.dumps({**r, "eventSourceARN": self.stream_arn, "awsRegion": self.region},
                                                 default=lambda t: int(t.timestamp())))
                           for r in got.get("Records", []) if matches_filters(r, self.filters)]
                if records:
                    self._deliver(records)
                elif not got.get("Records"):
                    self._idle.set()
                    self._stop.wait(0.2)
            except Exception:
                if self._stop.is_set():
                    return
                traceback.print_exc(file=sys.stderr)
                time.sleep(1)

    def _deliver(self, records: list[dict[str, Any]]) -> None:
        for attempt in range(self.retries + 1):
            failed_from = self._invoke(records)
            if failed_from is None:
                self.processed += len(records)
                return
            done = records[:failed_from]
            self.processed += len(done)
            records = records[failed_from:]
            if attempt < self.retries:
                time.sleep(min(2.0, 0.2 * 2**attempt))
        self.failed += len(records)
        if self.failure_queue_url is not None:
            note = {"failed": [r["dynamodb"]["SequenceNumber"] for r in records], "stream": self.stream_arn}
            self._sqs.send_message(QueueUrl=self.failure_queue_url, MessageBody=json.dumps(note))
        if self.log is not None:
            self.log(f"{self.function.logical_id}: {len(records)} stream records failed after every retry")

    def _invoke(self, records: list[dict[str, Any]]) -> int | None:
        """None when the whole batch succeeded, else the index of the first record to give again."""
        try:
            result = self.function.invoke({"Records": records})
        except Exception:
            traceback.print_exc(file=sys.stderr)
            return 0
        failures = (result or {}).get("batchItemFailures", []) if isinstance(result, dict) else []
        if not failures:
            return None
        named = {str(f["itemIdentifier"]) for f in failures}
        return next((i for i, r in enumerate(records) if r["dynamodb"]["SequenceNumber"] in named), 0)
