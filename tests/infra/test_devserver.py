"""The local stack behind `make run`: resources from the template, site and API on one origin, uploads
validated through the queue, a clear refusal when the port is taken.

These run `python -m devserver` in its own process, as `make run` does, and talk to it over HTTP.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from devserver.template import Resolver, load_template
from helpers.claims import HTML, PDF, lodging_claim
from helpers.devserver import ROOT, RunningStack, devserver_command, devserver_env, running_devserver

LONG_TEXT = "<p>補償の内容と保険料のご案内です。</p>" * 100  # long enough to be worth compressing


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("site")
    (site / "index.html").write_text("<!doctype html><title>あんしん</title><h1>あんしん商品</h1>", encoding="utf-8")
    (site / "404.html").write_text("<!doctype html><title>404</title><h1>ページが見つかりません</h1>", encoding="utf-8")
    (site / "products" / "and-me").mkdir(parents=True)
    (site / "products" / "and-me" / "index.html").write_text("<h1>and ME</h1>" + LONG_TEXT, encoding="utf-8")
    (site / "assets" / "js").mkdir(parents=True)
    (site / "assets" / "js" / "site.0123abcd.js").write_text(f"// {LONG_TEXT}\n", encoding="utf-8")
    return site


@pytest.fixture(scope="module")
def stack(site_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    with running_devserver(site_dir, tmp_path_factory.mktemp("logs")) as running:
        yield running


def _wait_for(predicate: Any, timeout: float = 20.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    return predicate()


def test_given_the_template_when_the_stack_starts_then_its_tables_queues_and_bucket_exist_as_declared(
    stack: RunningStack,
) -> None:
    template = load_template()
    expected = Resolver(template)
    table_names = stack.client("dynamodb").list_tables()["TableNames"]
    assert expected.resolve(template["Resources"]["ClaimsTable"]["Properties"]["TableName"]) in table_names
    claims_table = stack.client("dynamodb").describe_table(TableName=stack.names["ClaimsTable"])["Table"]
    assert claims_table["KeySchema"] == [{"AttributeName": "claim_id", "KeyType": "HASH"}]
    ttl = stack.client("dynamodb").describe_time_to_live(TableName=stack.names["IdempotencyTable"])
    assert ttl["TimeToLiveDescription"]["AttributeName"] == "expiration"

    s3 = stack.client("s3")
    bucket = stack.names["ClaimsBucket"]
    rule = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
    notification = s3.get_bucket_notification_configuration(Bucket=bucket)["QueueConfigurations"][0]
    assert notification["QueueArn"].endswith(":" + stack.names["UploadQueue"].rsplit("/", 1)[-1])
    assert s3.get_bucket_cors(Bucket=bucket)["CORSRules"][0]["AllowedOrigins"][0] == stack.base_url

    sqs = stack.client("sqs")
    attributes = sqs.get_queue_attributes(QueueUrl=stack.names["UploadQueue"], AttributeNames=["All"])["Attributes"]
    assert '"maxReceiveCount": 5' in attributes["RedrivePolicy"]
    assert stack.names["UploadDLQ"] in attributes["RedrivePolicy"]


def test_given_the_site_when_pages_are_asked_then_they_come_with_the_templates_security_headers(
    stack: RunningStack,
) -> None:
    page = requests.get(f"{stack.base_url}/products/and-me/", timeout=10)
    assert page.status_code == 200 and "and ME" in page.text
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert stack.aws_endpoint in page.headers["Content-Security-Policy"]  # uploads go to the local bucket
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    missing = requests.get(f"{stack.base_url}/no/such/page/", timeout=10)
    assert missing.status_code == 404 and "ページが見つかりません" in missing.text


def test_given_site_files_when_asked_then_they_come_compressed_with_how_long_browsers_may_keep_them(
    stack: RunningStack, site_dir: Path
) -> None:
    page = requests.get(f"{stack.base_url}/products/and-me/", headers={"Accept-Encoding": "gzip"}, timeout=10)
    assert page.headers["Content-Encoding"] == "gzip" and page.headers["Vary"] == "Accept-Encoding"
    assert int(page.headers["Content-Length"]) < len(LONG_TEXT.encode()) / 5
    assert page.text == (site_dir / "products" / "and-me" / "index.html").read_text(encoding="utf-8")
    assert page.headers["Cache-Control"] == "no-cache"
    # Asked again with its entity tag: 304 and no body.
    again = requests.get(
        f"{stack.base_url}/products/and-me/",
        headers={"Accept-Encoding": "gzip", "If-None-Match": page.headers["ETag"]},
        timeout=10,
    )
    assert again.status_code == 304 and again.content == b""
    # A client that does not take gzip gets the file as it is.
    plain = requests.get(f"{stack.base_url}/products/and-me/", headers={"Accept-Encoding": "identity"}, timeout=10)
    assert "Content-Encoding" not in plain.headers and plain.headers["ETag"] != page.headers["ETag"]
    assert plain.content == (site_dir / "products" / "and-me" / "index.html").read_bytes()
    asset = requests.get(f"{stack.base_url}/assets/js/site.0123abcd.js", timeout=10)
    assert asset.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert asset.headers["Content-Encoding"] == "gzip"


def test_given_api_paths_when_called_then_the_functions_named_in_the_template_answer(stack: RunningStack) -> None:
    products = requests.get(f"{stack.base_url}/api/v1/products", timeout=10)
    assert products.status_code == 200
    assert "and-me" in {p["id"] for p in products.json()["products"]}
    unknown = requests.get(f"{stack.base_url}/api/v1/no-such-thing", timeout=10)
    assert unknown.status_code == 404
    assert unknown.headers["Content-Type"].startswith("application/problem+json")
    bad = requests.post(
        f"{stack.base_url}/api/v1/claims", data=b"{not json", timeout=10, headers={"Content-Type": "application/json"}
    )
    assert bad.status_code in (400, 422) and bad.headers["Content-Type"].startswith("application/problem+json")


def _file_claim(stack: RunningStack) -> dict[str, Any]:
    created = requests.post(f"{stack.base_url}/api/v1/claims", json=lodging_claim(), timeout=20)
    assert created.status_code == 201, created.text
    return created.json()


def _status(stack: RunningStack, claim: dict[str, Any]) -> dict[str, Any]:
    got = requests.get(
        f"{stack.base_url}/api/v1/claims/{claim['claim_id']}",
        headers={"X-Claim-Token": claim["access_token"]},
        timeout=10,
    )
    assert got.status_code == 200, got.text
    return got.json()


def test_given_a_claim_when_the_browser_uploads_then_cors_allows_only_the_site_and_the_queue_feeds_the_validator(
    stack: RunningStack,
) -> None:
    claim = _file_claim(stack)
    warning, receipt = claim["documents"]
    url = warning["upload"]["url"]
    assert url.startswith(stack.aws_endpoint)  # reachable from the browser on this machine

    # The browser's preflight (an upload with progress events) is answered for the site's origin only.
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}
    allowed = requests.options(url, headers={"Origin": stack.base_url, **preflight}, timeout=10)
    assert allowed.headers.get("Access-Control-Allow-Origin") == stack.base_url
    refused = requests.options(url, headers={"Origin": "https://evil.example", **preflight}, timeout=10)
    assert refused.headers.get("Access-Control-Allow-Origin") is None

    for doc, content in ((warning, PDF), (receipt, HTML)):
        sent = requests.post(
            doc["upload"]["url"],
            data=doc["upload"]["fields"],
            files={"file": ("scan.pdf", content)},
            headers={"Origin": stack.base_url},
            timeout=10,
        )
        assert sent.status_code in (200, 201, 204), sent.text
        assert sent.headers.get("Access-Control-Allow-Origin") == stack.base_url

    def judged() -> dict[str, Any] | None:
        status = _status(stack, claim)
        states = [d["state"] for d in status["documents"]]
        return status if "awaiting_upload" not in states else None

    status = _wait_for(judged)
    assert status is not None, stack.log()[-3000:]
    assert [d["state"] for d in status["documents"]] == ["received", "rejected"]
    # The refused file left the claim's prefix for quarantine/.
    listing = stack.client("s3").list_objects_v2(Bucket=stack.names["ClaimsBucket"])
    keys = [o["Key"] for o in listing.get("Contents", [])]
    assert any(k.startswith("quarantine/claims/" + claim["claim_id"]) for k in keys)


def test_given_the_port_is_taken_when_the_devserver_starts_then_it_refuses_with_exit_code_2(
    site_dir: Path,
) -> None:
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        done = subprocess.run(
            devserver_command(site_dir, port),
            cwd=ROOT,
            env=devserver_env(),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert done.returncode == 2
    assert f"port {port}" in done.stderr and "already in use" in done.stderr


def test_given_the_in_process_stack_when_used_as_a_context_manager_then_it_serves_and_restores_the_environment(
    site_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from devserver.stack import LocalStack

    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    # Given a stack on any free port
    with LocalStack(port=0, site_dir=site_dir) as local:
        # When the site and a catalog route are asked
        page = requests.get(f"{local.base_url}/", timeout=10)
        products = requests.get(f"{local.base_url}/api/v1/products", timeout=10)
        endpoint = os.environ["AWS_ENDPOINT_URL"]
        names = local.names
        timeouts = {logical_id: fn.timeout_s for logical_id, fn in local.functions.items()}
    # Then both answer, the functions saw the local AWS, and leaving puts the environment back
    assert page.status_code == 200 and products.status_code == 200
    assert endpoint == local.aws_endpoint
    assert names["ClaimsTable"] == "anshin-local-claims"
    # each function runs with the Timeout the template gives it (10 s for the API, 30 s for the validator)
    assert timeouts["UploadValidatorFunction"] == 30 and timeouts["ClaimsFunction"] == 10
    assert "AWS_ENDPOINT_URL" not in os.environ
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{local.base_url}/", timeout=2)


_IMPORT_ALL_AT_ONCE = """
import sys, threading
from devserver.lambdas import Function
from devserver.template import functions, load_template
fns = [Function(logical_id, str(props["Handler"])) for logical_id, props in functions(load_template()).items()]
start = threading.Barrier(len(fns))
failures = []
def load(fn):
    start.wait()
    try:
        fn._load()
    except Exception as exc:
        failures.append(f"{fn.logical_id}: {exc!r}")
threads = [threading.Thread(target=load, args=(fn,)) for fn in fns]
for t in threads: t.start()
for t in threads: t.join()
print("\\n".join(failures))
sys.exit(1 if failures else 0)
"""


def test_given_every_function_loaded_at_once_from_its_own_thread_then_each_handler_imports() -> None:
    # Given a fresh process each time (imports are cached), When the API and the queue worker threads
    # import their handlers at the same moment, Then none meets a half-initialised shared module.
    # Without the import lock this failed in 9 of 12 runs, so five clean runs are not luck.
    names = {"CLAIMS_TABLE": "claims", "IDEMPOTENCY_TABLE": "idempotency", "CLAIMS_BUCKET": "claims-bucket"}
    env = {**devserver_env(), "AWS_DEFAULT_REGION": "ap-northeast-1", **names}
    for _ in range(5):
        done = subprocess.run(
            [sys.executable, "-c", _IMPORT_ALL_AT_ONCE],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr[-2000:]


def test_given_a_function_that_runs_past_its_timeout_when_invoked_locally_then_it_is_ended_at_the_timeout() -> None:
    from devserver.lambdas import Function, FunctionTimedOut

    fn = Function("Sleepy", "helpers.lambdas.sleepy_handler", timeout_s=1)
    # within the timeout: the answer, and the context counts down from the template's Timeout
    assert 900 <= fn.invoke({"seconds": 0.1})["left_ms"] <= 1000
    started = time.monotonic()
    with pytest.raises(FunctionTimedOut, match=r"Task timed out after 1\.00 seconds"):
        fn.invoke({"seconds": 3})
    assert 1.0 <= time.monotonic() - started < 2.0
    # the late invocation keeps the function busy until it ends; the next one then runs whole
    assert fn.invoke({"seconds": 0})["left_ms"] > 900



@pytest.mark.parametrize("method", ["TRACE", "QUERY", "PROPFIND"])
def test_given_a_method_no_route_takes_when_sent_to_the_api_then_a_405_naming_the_paths_methods_not_a_bare_501(
    stack: RunningStack, method: str
) -> None:
    answer = requests.request(method, f"{stack.base_url}/api/v1/claims", timeout=10)
    assert answer.status_code == 405, answer.text[:300]
    assert answer.headers["Content-Type"] == "application/problem+json"
    assert answer.headers["Allow"] == "POST"
    assert answer.json()["title"] == "このメソッドは使えません"


def test_given_an_effect_left_in_the_outbox_then_the_local_stream_consumer_sends_it_once_and_marks_its_cause(
    stack: RunningStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What Lambda's stream event source does for OutboxFunction: a new entry no request delivered (its
    request died after the write) is sent by the consumer, the entry removed and the application marked."""
    import json
    from datetime import datetime

    from dal import outbox

    template = load_template()
    names = {logical_id: str(Resolver(template).resolve(template["Resources"][logical_id]["Properties"][key]))
             for logical_id, key in (("OutboxTable", "TableName"), ("ApplicationsTable", "TableName"),
                                     ("IntakeQueue", "QueueName"))}
    ddb, sqs = stack.client("dynamodb"), stack.client("sqs")
    intake = sqs.get_queue_url(QueueName=names["IntakeQueue"])["QueueUrl"]
    monkeypatch.setenv("OUTBOX_TABLE", names["OutboxTable"])
    number = "AM-TEST-0UTB"
    ddb.put_item(TableName=names["ApplicationsTable"], Item={"application_number": {"S": number}})
    entry = outbox.entry(
        f"{number}/intake", "queue", {"queue": "INTAKE_QUEUE_URL", "body": json.dumps({"n": number}), "group": number},
        marks={"table": "APPLICATIONS_TABLE", "key": {"application_number": number}, "attribute": "intake_queued_at"},
        now=datetime.now() - outbox.HEAD_START,  # its writer's head start over: the writer died
    )
    ddb.put_item(**entry["Put"])

    def marked() -> bool:
        got = ddb.get_item(TableName=names["ApplicationsTable"], Key={"application_number": {"S": number}})
        return "intake_queued_at" in got["Item"]

    assert _wait_for(marked)
    assert ddb.scan(TableName=names["OutboxTable"])["Items"] == []
    got = sqs.receive_message(QueueUrl=intake, MaxNumberOfMessages=10, WaitTimeSeconds=1)
    assert [json.loads(m["Body"]) for m in got.get("Messages", [])] == [{"n": number}]
