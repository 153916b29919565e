"""boto3 clients and tables, made once per process (a Lambda container) and from the environment.

AWS_ENDPOINT_URL (read by boto3 itself) points them at a local moto server; names come from
the environment (CLAIMS_TABLE, APPLICATIONS_TABLE, IDEMPOTENCY_TABLE, CLAIMS_BUCKET ...) as the SAM
template sets them.
"""

from __future__ import annotations

import functools
import os
import threading
from typing import Any, Literal

import boto3
from botocore.config import Config

DEFAULT_REGION = "ap-northeast-1"


def _region() -> str:
    return os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or DEFAULT_REGION


def env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"environment variable {name} is not set")
    return value


@functools.cache
def s3() -> Any:
    # SigV4 is required for SSE-KMS objects; path-style only for a local endpoint (an IP and port).
    style: Literal["path", "virtual"] = "path" if os.environ.get("AWS_ENDPOINT_URL") else "virtual"
    # The claims routes only sign forms (no call); the validator reads and copies documents of up to 10 MB.
    config = Config(signature_version="s3v4", s3={"addressing_style": style}, connect_timeout=2, read_timeout=10,
                    retries={"max_attempts": 3, "mode": "standard"})
    return boto3.client("s3", region_name=_region(), config=config)


_local = threading.local()


# Clients a person waits on: a store or service that does not answer fails in seconds (then 503 with
# Retry-After), well inside the function's 10 s timeout, instead of hanging in botocore's retries.
# The validator uses them too: a failed document goes back to its queue for a later try.
_PROMPT = Config(connect_timeout=2, read_timeout=3, retries={"max_attempts": 2, "mode": "standard"})


def dynamodb() -> Any:
    # boto3 resources are not thread-safe (clients are): one per thread, for local threaded servers.
    resource = getattr(_local, "dynamodb", None)
    if resource is None:
        resource = _local.dynamodb = boto3.resource("dynamodb", region_name=_region(), config=_PROMPT)
    return resource


@functools.cache
def dynamodb_client() -> Any:
    return boto3.client("dynamodb", region_name=_region(), config=_PROMPT)


@functools.cache
def sqs() -> Any:
    return boto3.client("sqs", region_name=_region(), config=_PROMPT)


@functools.cache
def sesv2() -> Any:
    return boto3.client("sesv2", region_name=_region(), config=_PROMPT)


def claims_table() -> Any:
    return dynamodb().Table(env("CLAIMS_TABLE"))


def claims_bucket() -> str:
    return env("CLAIMS_BUCKET")


def data_key_id() -> str:
    """The KMS key every stored document is encrypted with (its ARN, as the template passes it)."""
    return env("DATA_KEY_ARN")


def reset() -> None:
    """Forget the clients (tests point the environment at a fresh endpoint)."""
    s3.cache_clear()
    dynamodb_client.cache_clear()
    sqs.cache_clear()
    sesv2.cache_clear()
    _local.__dict__.clear()
