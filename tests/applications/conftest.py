"""A local AWS for the application tests: moto's threaded server with the applications and idempotency
tables, the intake queue and the mail identity, created from infra/template.yaml as the local stack does."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

from dal import clients
from devserver.aws import provision
from devserver.motoserver import dynamodb_requests_atomic
from devserver.template import LOCAL_ACCOUNT, LOCAL_REGION, Resolver, function_environment, load_template

FUNCTION = "ApplicationsFunction"


@dataclass
class Aws:
    endpoint: str
    env: dict[str, str]

    def client(self, name: str) -> Any:
        return boto3.client(name, region_name=LOCAL_REGION, endpoint_url=self.endpoint)

    def applications(self) -> list[dict[str, Any]]:
        return self.client("dynamodb").scan(TableName=self.env["APPLICATIONS_TABLE"])["Items"]

    def outbox(self) -> list[dict[str, Any]]:
        """The effects stored and not yet sent."""
        return self.client("dynamodb").scan(TableName=self.env["OUTBOX_TABLE"])["Items"]

    def intake(self) -> list[dict[str, Any]]:
        """Every application the intake queue holds (read and removed)."""
        sqs = self.client("sqs")
        out = []
        while True:
            got = sqs.receive_message(QueueUrl=self.env["INTAKE_QUEUE_URL"], MaxNumberOfMessages=10)
            msgs = got.get("Messages", [])
            if not msgs:
                return out
            for m in msgs:
                out.append(json.loads(m["Body"]))
                sqs.delete_message(QueueUrl=self.env["INTAKE_QUEUE_URL"], ReceiptHandle=m["ReceiptHandle"])

    def mails(self) -> list[Any]:
        """The e-mails moto's SES accepted, in order (moto's own record of sent messages)."""
        from moto.ses.models import ses_backends

        return list(ses_backends[LOCAL_ACCOUNT][LOCAL_REGION].sent_messages)


@pytest.fixture(scope="package")
def aws() -> Iterator[Aws]:
    # DynamoDB applies each request atomically; moto's threaded server does not unless told to
    with dynamodb_requests_atomic():
        yield from _aws()


def _aws() -> Iterator[Aws]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    fixed = {
        "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": LOCAL_REGION,
        "AWS_REGION": LOCAL_REGION, "AWS_ENDPOINT_URL": endpoint,
    }
    saved = {k: os.environ.get(k) for k in fixed}
    os.environ.update(fixed)
    template = load_template()
    resolver = Resolver(template, stack_name="anshin-applications-test")  # apart from any local stack
    provision(resolver, endpoint, ["http://127.0.0.1"], {})
    env = function_environment(template, FUNCTION, resolver)
    env["SITE_URL"] = "http://127.0.0.1:8000"
    saved.update({k: os.environ.get(k) for k in env})
    os.environ.update(env)
    clients.reset()
    try:
        yield Aws(endpoint, env)
    finally:
        server.stop()
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        clients.reset()
