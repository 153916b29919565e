"""What Lambda's SQS event source mapping does, on loopback: poll, invoke in batches, delete successes.

With ReportBatchItemFailures the function names the messages that failed; only the others are
deleted, so failures come back after the visibility timeout and end in the dead-letter queue.
"""

from __future__ import annotations

import sys
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

import boto3

from devserver.lambdas import Function, sqs_event


class QueueWorker:
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
    ) -> None:
        self.function = function
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
        self._stop = threading.Event()
        self._idle = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"sqs-{function.logical_id}", daemon=True)
        self.processed = 0
        self.failed = 0

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def wait_idle(self, timeout: float) -> bool:
        """True once a poll found the queue empty after everything before it was handled."""
        self._idle.clear()
        return self._idle.wait(timeout)

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
