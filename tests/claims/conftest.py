"""A local AWS for the claims tests: moto's threaded server on loopback with the claims table, the
ledger and idempotency tables, the private claims bucket and the upload queue wired as the SAM template wires them."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

from dal import clients
from devserver.motoserver import dynamodb_requests_atomic

REGION = "ap-northeast-1"


@dataclass
class Aws:
    endpoint: str
    bucket: str
    queue_url: str
    claims_table: str
    idempotency_table: str
    ledger_table: str = "LedgerTable"
    data_key_arn: str = ""

    def client(self, name: str) -> Any:
        return boto3.client(name, region_name=REGION, endpoint_url=self.endpoint)

    def scan_claims(self) -> list[dict[str, Any]]:
        return self.client("dynamodb").scan(TableName=self.claims_table)["Items"]

    def objects(self, prefix: str = "") -> list[str]:
        got = self.client("s3").list_objects_v2(Bucket=self.bucket, Prefix=prefix)
        return sorted(o["Key"] for o in got.get("Contents", []))

    def versions(self, prefix: str = "") -> list[tuple[str, str]]:
        """(key, version id) of every version still stored under the prefix, current or not."""
        got = self.client("s3").list_object_versions(Bucket=self.bucket, Prefix=prefix)
        return sorted((v["Key"], v["VersionId"]) for v in got.get("Versions", []))

    def drain_queue(self, *, scan: bool = True) -> list[dict[str, Any]]:
        """Every message the bucket sent to the upload queue so far, as SQS records for the validator; each
        announced object scanned and tagged first, as GuardDuty's malware scan does (unless `scan` is off)."""
        from devserver.scanner import scan_notified

        sqs = self.client("sqs")
        records = []
        while True:
            got = sqs.receive_message(QueueUrl=self.queue_url, MaxNumberOfMessages=10, AttributeNames=["All"])
            msgs = got.get("Messages", [])
            if not msgs:
                return records
            if scan:
                scan_notified(self.client("s3"), [m["Body"] for m in msgs], ("claims/",))
            for m in msgs:
                records.append(sqs_record(m["Body"], message_id=m["MessageId"], receipt=m["ReceiptHandle"]))
                sqs.delete_message(QueueUrl=self.queue_url, ReceiptHandle=m["ReceiptHandle"])


def sqs_record(body: str, *, message_id: str | None = None, receipt: str = "r") -> dict[str, Any]:
    return {
        "messageId": message_id or str(uuid.uuid4()),
        "receiptHandle": receipt,
        "body": body,
        "attributes": {"ApproximateReceiveCount": "1", "SentTimestamp": "0"},
        "messageAttributes": {},
        "md5OfBody": "",
        "eventSource": "aws:sqs",
        "eventSourceARN": f"arn:aws:sqs:{REGION}:123456789012:UploadQueue",
        "awsRegion": REGION,
    }


_ENV_KEYS = (
    "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_ENDPOINT_URL",
    "CLAIMS_TABLE", "LEDGER_TABLE", "IDEMPOTENCY_TABLE", "CLAIMS_BUCKET", "DATA_KEY_ARN", "POWERTOOLS_SERVICE_NAME",
)


@pytest.fixture(scope="package")
def aws() -> Iterator[Aws]:
    # DynamoDB applies each request atomically; moto's threaded server does not unless told to
    with dynamodb_requests_atomic():
        yield from _aws()


def _aws() -> Iterator[Aws]:
    saved = {k: os.environ.get(k) for k in _ENV_KEYS}
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    env = Aws(
        endpoint=f"http://{host}:{port}",
        bucket="claims-bucket",
        queue_url="",
        claims_table="ClaimsTable",
        idempotency_table="IdempotencyTable",
    )
    os.environ.update(
        {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",  # moto's dummy credentials
            "AWS_DEFAULT_REGION": REGION,
            "AWS_REGION": REGION,
            "AWS_ENDPOINT_URL": env.endpoint,
            "CLAIMS_TABLE": env.claims_table,
            "LEDGER_TABLE": env.ledger_table,
            "IDEMPOTENCY_TABLE": env.idempotency_table,
            "CLAIMS_BUCKET": env.bucket,
        }
    )
    clients.reset()
    env.data_key_arn = env.client("kms").create_key(Description="claims data")["KeyMetadata"]["Arn"]
    os.environ["DATA_KEY_ARN"] = env.data_key_arn
    ddb = env.client("dynamodb")
    ddb.create_table(
        TableName=env.claims_table,
        KeySchema=[{"AttributeName": "claim_id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "claim_id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    ddb.create_table(
        TableName=env.ledger_table,
        KeySchema=[{"AttributeName": "ledger_key", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "ledger_key", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    ddb.create_table(
        TableName=env.idempotency_table,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    ddb.update_time_to_live(
        TableName=env.idempotency_table, TimeToLiveSpecification={"Enabled": True, "AttributeName": "expiration"}
    )
    s3 = env.client("s3")
    s3.create_bucket(Bucket=env.bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_bucket_versioning(Bucket=env.bucket, VersioningConfiguration={"Status": "Enabled"})  # as the template
    s3.put_public_access_block(
        Bucket=env.bucket,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True,
        },
    )
    s3.put_bucket_encryption(
        Bucket=env.bucket,
        ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]
        },
    )
    sqs = env.client("sqs")
    env.queue_url = sqs.create_queue(QueueName="UploadQueue")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=env.queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    s3.put_bucket_notification_configuration(
        Bucket=env.bucket,
        NotificationConfiguration={
            "QueueConfigurations": [
                {
                    "QueueArn": arn,
                    "Events": ["s3:ObjectCreated:*"],
                    "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "claims/"}]}},
                }
            ]
        },
    )
    env.drain_queue()  # the s3:TestEvent, if any
    try:
        yield env
    finally:
        server.stop()
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        clients.reset()


def json_body(record: dict[str, Any]) -> dict[str, Any]:
    return json.loads(record["body"])


@pytest.fixture
def store_down(aws: Aws, monkeypatch: pytest.MonkeyPatch) -> Callable[[], AbstractContextManager[None]]:
    """`with store_down():` every AWS call goes to a port nobody listens on, as when the store is unreachable."""

    @contextlib.contextmanager
    def down() -> Iterator[None]:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            closed = f"http://127.0.0.1:{s.getsockname()[1]}"
        monkeypatch.setenv("AWS_ENDPOINT_URL", closed)
        clients.reset()
        try:
            yield
        finally:
            monkeypatch.setenv("AWS_ENDPOINT_URL", aws.endpoint)
            clients.reset()

    return down
