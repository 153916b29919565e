"""`sam build` as it is gives functions that work: built by aws-sam-cli (from PyPI, in its own venv) from
infra/template.yaml, each package is imported and invoked in a clean interpreter that sees only the package
and the boto3 the Lambda runtime provides, with events from `sam local generate-event`, against the
template's tables, bucket and queues on moto. One journey runs through the five built functions:
the catalog quotes, a claim is filed, its documents are uploaded and judged, the claimant reads the
status, the desk lists the claim, and an application is taken.

Every package carries products.yaml and a catalog snapshot its own pydantic wrote: a cold start that
reads the catalog never imports the YAML parser. Every module has bytecode that nothing invalidates.
"""

from __future__ import annotations

import base64
import json
import os
import platform
import shutil
import subprocess
import sys
import uuid
from importlib import metadata
from pathlib import Path
from typing import Any

import boto3
import pytest
import requests
from moto.server import ThreadedMotoServer
from packaging.utils import canonicalize_name

from benchmarks.packages import zipped_size
from deploy.environments import SAM
from deploy.shipped import shipped_versions
from devserver.aws import provision
from devserver.scanner import plan_prefixes, scan_notified
from devserver.template import (
    TEMPLATE_PATH,
    Resolver,
    function_environment,
    functions,
    load_template,
    sqs_consumers,
)
from helpers import claims, documents
from helpers.applications import application
from helpers.packages import (
    RUNTIME_PROVIDED,
    import_closure,
    linked_distributions,
    locked_versions,
    module_source,
)

pytestmark = pytest.mark.slow

ROOT = TEMPLATE_PATH.parents[1]
REGION = "ap-northeast-1"
STAFF = {"cognito:username": "handler", "cognito:groups": "claims-handlers", "token_use": "id"}

# The package alone, then the runtime's boto3, as Lambda orders /var/task before /var/runtime; -I -S
# leaves out site-packages, .pth files (the editable install) and PYTHON* variables.
_INVOKE = """
import importlib, json, sys
package, runtime, handler, event_path = sys.argv[1:5]
sys.path[:0] = [package, runtime]

class Context:
    function_name = "built"
    memory_limit_in_mb = 1024
    aws_request_id = "00000000-0000-4000-8000-000000000000"
    invoked_function_arn = "arn:aws:lambda:ap-northeast-1:123456789012:function:built"
    def get_remaining_time_in_millis(self):
        return 10_000

module_name, _, attr = handler.rpartition(".")
result = getattr(importlib.import_module(module_name), attr)(json.load(open(event_path)), Context())
loader = sys.modules.get("catalog.loader")
print(json.dumps({
    "result": result,
    "catalog_loaded": bool(loader and loader.get_catalog.cache_info().currsize),
    "yaml_imported": "yaml" in sys.modules,
    "modules": sorted(sys.modules),
    "files": sorted({getattr(m, "__file__", None) or "" for m in list(sys.modules.values())} - {""}),
    "bytecode": sorted({getattr(m, "__cached__", None) or "" for m in list(sys.modules.values())} - {""}),
}))
"""


def _sam(*args: str, cwd: Path) -> str:
    env = {**os.environ, "SAM_CLI_TELEMETRY": "0"}
    done = subprocess.run([str(SAM), *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=900,
                          check=False)
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    return done.stdout


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    return load_template()


@pytest.fixture(scope="module")
def build_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    assert SAM.exists(), "scripts/setup.sh installs aws-sam-cli in .sam-venv"
    out = tmp_path_factory.mktemp("sam") / "build"
    # as make deploy runs it: samconfig.toml names the template
    _sam("build", "--config-env", "staging", "--build-dir", str(out), cwd=ROOT)
    return out


@pytest.fixture(scope="module")
def runtime_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What the Lambda Python runtime adds to a package: boto3 and what it needs."""
    return linked_distributions(list(RUNTIME_PROVIDED), tmp_path_factory.mktemp("runtime"))


class Stack:
    """The template's resources on a moto server, and the built functions invoked against them."""

    def __init__(self, template: dict[str, Any], build_dir: Path, runtime_dir: Path, work: Path) -> None:
        self.template, self.build_dir, self.runtime_dir, self.work = template, build_dir, runtime_dir, work
        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self.server.start()
        host, port = self.server.get_host_and_port()
        self.endpoint = f"http://{host}:{port}"
        # moto's state is per process: start from none of what earlier tests made.
        requests.post(f"{self.endpoint}/moto-api/reset", timeout=10).raise_for_status()
        self.resolver = Resolver(template)
        provision(self.resolver, self.endpoint, ["https://anshin.example.jp"], {})

    def client(self, service: str) -> Any:
        make: Any = boto3.client
        return make(service, endpoint_url=self.endpoint, region_name=REGION,
                    aws_access_key_id="testing", aws_secret_access_key="testing")

    def invoke(self, logical_id: str, event: dict[str, Any], package: Path | None = None) -> dict[str, Any]:
        """Invoke the function's built package (or `package`, a copy of it) with the event."""
        props = functions(self.template)[logical_id]
        event_path = self.work / f"{uuid.uuid4().hex}.json"
        event_path.write_text(json.dumps(event, ensure_ascii=False), encoding="utf-8")
        env = {
            "PATH": os.environ.get("PATH", ""),
            **function_environment(self.template, logical_id, self.resolver),
            "AWS_ENDPOINT_URL": self.endpoint, "AWS_REGION": REGION, "AWS_DEFAULT_REGION": REGION,
            "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_LAMBDA_FUNCTION_NAME": logical_id,
        }
        package = package or self.build_dir / logical_id
        args = [str(package), str(self.runtime_dir), str(props["Handler"]), str(event_path)]
        done = subprocess.run([sys.executable, "-I", "-S", "-c", _INVOKE, *args], capture_output=True, text=True,
                              env=env, cwd=self.work, timeout=120, check=False)
        assert done.returncode == 0, done.stderr[-4000:]
        return json.loads(done.stdout.strip().splitlines()[-1])

    def stop(self) -> None:
        self.server.stop()


@pytest.fixture(scope="module")
def stack(template: dict[str, Any], build_dir: Path, runtime_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    running = Stack(template, build_dir, runtime_dir, tmp_path_factory.mktemp("events"))
    yield running
    running.stop()


def api_event(method: str, path: str, *, resource: str | None = None, body: Any = None,
              headers: dict[str, str] | None = None, query: dict[str, str] | None = None,
              path_parameters: dict[str, str] | None = None, authorizer: dict[str, str] | None = None,
              cwd: Path = ROOT) -> dict[str, Any]:
    """`sam local generate-event apigateway aws-proxy`, with what API Gateway fills in for this request."""
    args = ["local", "generate-event", "apigateway", "aws-proxy", "--method", method,
            "--path", path.lstrip("/"), "--resource", resource or path]
    if body is not None:
        args += ["--body", json.dumps(body, ensure_ascii=False)]
    event = json.loads(_sam(*args, cwd=cwd))
    assert event["path"] == path and event["httpMethod"] == method
    if body is None:
        event["body"], event["isBase64Encoded"] = None, False
    else:  # the generated body is the text we gave, base64-encoded
        assert json.loads(base64.b64decode(event["body"])) == body
    sent = {"Content-Type": "application/json", "Accept": "application/json", **(headers or {})}
    event["headers"] = {**event["headers"], **sent}
    event["multiValueHeaders"] = {**event["multiValueHeaders"], **{k: [v] for k, v in sent.items()}}
    event["queryStringParameters"] = query or None
    event["multiValueQueryStringParameters"] = {k: [v] for k, v in query.items()} if query else None
    event["pathParameters"] = path_parameters
    if authorizer is not None:
        event["requestContext"]["authorizer"] = {"claims": authorizer}
    return event


def answer(invoked: dict[str, Any]) -> tuple[int, Any]:
    result = invoked["result"]
    body = result.get("body") or ""
    if result.get("isBase64Encoded"):
        body = base64.b64decode(body).decode("utf-8")
    return result["statusCode"], json.loads(body) if body else None


def sqs_event_from_queue(stack: Stack, queue_logical_id: str) -> dict[str, Any]:
    """`sam local generate-event sqs receive-message`, one record per message waiting on the queue."""
    sqs = stack.client("sqs")
    url = stack.resolver.refs[queue_logical_id]
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=2).get("Messages", [])
    # GuardDuty's malware scan tags each upload before the validator may accept it (devserver.scanner)
    scan_notified(stack.client("s3"), [m["Body"] for m in messages], plan_prefixes(stack.resolver.template))
    generated = json.loads(_sam("local", "generate-event", "sqs", "receive-message", "--region", REGION,
                                "--queue-name", url.rsplit("/", 1)[-1], cwd=ROOT))
    record = generated["Records"][0]
    assert record["eventSourceARN"].endswith(f":{url.rsplit('/', 1)[-1]}")
    # The body goes in afterwards: the generator pastes --body into its JSON unescaped, and S3's is JSON.
    records = [
        {**record, "body": m["Body"], "messageId": m["MessageId"], "receiptHandle": m["ReceiptHandle"]}
        for m in messages
    ]
    return {"Records": records}


def test_given_sam_build_then_each_package_holds_its_code_the_catalog_its_snapshot_and_bytecode(
    template: dict[str, Any], build_dir: Path
) -> None:
    for logical_id in functions(template):
        package = build_dir / logical_id
        handler_module = str(functions(template)[logical_id]["Handler"]).rsplit(".", 1)[0]
        assert (package / (handler_module.replace(".", "/") + ".py")).is_file()
        assert (package / "products.yaml").read_bytes() == (ROOT / "products.yaml").read_bytes()
        assert (package / "products.catalog.pickle").is_file()
        # Only what runs: no tests, site generator, local stack, benchmarks or build recipe.
        assert not {"sitegen", "devserver", "benchmarks", "tests", "Makefile", "bin"} & {
            p.name for p in package.iterdir()
        }
        sources = [p for p in package.rglob("*.py")]
        assert len(sources) > 100
        for source in sources:
            tag = sys.implementation.cache_tag
            compiled = source.parent / "__pycache__" / f"{source.stem}.{tag}.pyc"
            assert compiled.is_file(), f"{logical_id}: no bytecode for {source.relative_to(package)}"
            # PEP 552 flags: hash-based (bit 0) and unchecked (bit 1 clear): the zip's times cannot stale it.
            assert int.from_bytes(compiled.read_bytes()[4:8], "little") == 0b01, compiled


def test_given_sam_build_then_each_package_lists_the_runtime_and_the_locked_versions_it_ships(
    template: dict[str, Any], build_dir: Path
) -> None:
    for logical_id in functions(template):
        package = build_dir / logical_id
        listed = (package / "package-versions.txt").read_text(encoding="utf-8").splitlines()
        assert listed[0] == f"# python{platform.python_version()}"
        lock = "requirements-validator.txt" if logical_id == "UploadValidatorFunction" else "requirements.txt"
        locked = sorted(f"{name}=={version}" for name, version in locked_versions(ROOT / "functions" / lock).items())
        assert listed[1:] == locked, logical_id
        shipped = metadata.distributions(path=[str(package)])
        installed = sorted(f"{canonicalize_name(d.name)}=={d.version}" for d in shipped)
        assert installed == locked, logical_id
    # make deploy tags the stack with them: one version of each, all from the lock.
    tags = shipped_versions(build_dir)
    assert tags.pop("python") == platform.python_version()
    locked_anywhere = locked_versions(ROOT / "functions" / "requirements-validator.txt")
    assert tags == {f"package:{name}": version for name, version in locked_anywhere.items()}


def test_given_the_built_template_then_each_function_points_at_its_package_on_the_runtime_that_built_it(
    template: dict[str, Any], build_dir: Path
) -> None:
    built = load_template(build_dir / "template.yaml")
    runtime = template["Globals"]["Function"]["Runtime"]
    # The interpreter that wrote the bytecode and the snapshot is the runtime's version.
    assert runtime == f"python{sys.version_info.major}.{sys.version_info.minor}"
    makefile = (ROOT / "functions" / "Makefile").read_text(encoding="utf-8")
    assert f"LAMBDA_PYTHON := {runtime.removeprefix('python')}\n" in makefile
    for logical_id in functions(template):
        assert functions(built)[logical_id]["CodeUri"] == logical_id


@pytest.fixture(scope="module")
def journey(template: dict[str, Any], stack: Stack) -> dict[str, list[dict[str, Any]]]:
    """A claim and an application through the six built functions; what each invocation loaded, per function."""
    runs: dict[str, list[dict[str, Any]]] = {lid: [] for lid in functions(template)}

    def run(logical_id: str, event: dict[str, Any]) -> tuple[int, Any]:
        invoked = stack.invoke(logical_id, event)
        runs[logical_id].append(invoked)
        return answer(invoked) if "statusCode" in invoked["result"] else (0, invoked["result"])

    # The catalog function: products and a quote.
    status, listed = run("CatalogApiFunction", api_event("GET", "/api/v1/products"))
    assert status == 200 and "and-me" in {p["id"] for p in listed["products"]}
    quote = {"product_id": "and-me", "application_date": "2026-12-05", "payment_method": "credit_card",
             "payment_frequency": "monthly"}
    status, quoted = run("CatalogApiFunction", api_event("POST", "/api/v1/quotes", body=quote))
    assert status == 200 and quoted["total"] > 0 and quoted["currency"] == "JPY", quoted

    # The claims function files a lodging claim and hands out upload forms.
    body = claims.lodging_claim(policy_number=claims.fresh_policy())
    status, filed = run("ClaimsFunction", api_event(
        "POST", "/api/v1/claims", body=body, headers={"Idempotency-Key": str(uuid.uuid4())}))
    assert status == 201, filed
    claim_id, token = filed["claim_id"], filed["access_token"]
    for document in filed["documents"]:
        posted = claims.upload(document["upload"], documents.pdf())
        assert posted.status_code in (200, 204), posted.text

    # The validator judges what S3 announced on the upload queue.
    ((validator_id, _, sqs_props),) = sqs_consumers(template)
    queue_id = sqs_props["Queue"]["Fn::GetAtt"][0]
    event = sqs_event_from_queue(stack, queue_id)
    # One notice per upload, and S3's test event from when the notification was configured.
    announced = [r for r in event["Records"] if "Records" in json.loads(r["body"])]
    assert len(announced) == len(filed["documents"])
    _, verdict = run(validator_id, event)
    assert verdict == {"batchItemFailures": []}

    # The claimant reads the status: every document accepted.
    status, read = run("ClaimsFunction", api_event(
        "GET", f"/api/v1/claims/{claim_id}", resource="/api/v1/claims/{claim_id}",
        path_parameters={"claim_id": claim_id}, headers={"X-Claim-Token": token}))
    assert status == 200 and read["status"] == "documents_received", read
    assert {d["state"] for d in read["documents"]} == {"received"}

    # The desk lists it among the claims to review, and tells the page where to sign in.
    status, queue = run("DeskFunction", api_event(
        "GET", "/api/v1/desk/claims", query={"status": read["status"]}, authorizer=STAFF))
    assert status == 200 and claim_id in {c["claim_id"] for c in queue["claims"]}, queue
    status, sign_in = run("DeskFunction", api_event("GET", "/api/v1/desk/sign-in"))
    assert status == 200 and sign_in["client_id"] == stack.resolver.refs["StaffUserPoolClient"]

    # The applications function takes an application, queues it and confirms it by mail.
    status, taken = run("ApplicationsFunction", api_event(
        "POST", "/api/v1/applications", body=application(), headers={"Idempotency-Key": str(uuid.uuid4())}))
    assert status == 201, taken
    intake = stack.client("sqs").receive_message(QueueUrl=stack.resolver.refs["IntakeQueue"], WaitTimeSeconds=1)
    assert taken["application_number"] in intake["Messages"][0]["Body"]

    # The outbox's consumer gets the stream's records of what the application caused: already sent, so
    # each is found done and nothing is sent again.
    stream_arn = stack.resolver.streams["OutboxTable"]
    streams = stack.client("dynamodbstreams")
    shard = streams.describe_stream(StreamArn=stream_arn)["StreamDescription"]["Shards"][0]["ShardId"]
    iterator = streams.get_shard_iterator(StreamArn=stream_arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")
    got = streams.get_records(ShardIterator=iterator["ShardIterator"])["Records"]
    # as Lambda gives them: the record's time in epoch seconds
    records = [json.loads(json.dumps({**r, "eventSourceARN": stream_arn}, default=lambda t: int(t.timestamp())))
               for r in got if r["eventName"] == "INSERT"]
    assert {r["dynamodb"]["Keys"]["effect_id"]["S"].split("/")[0] for r in records} == {taken["application_number"]}
    _, delivered = run("OutboxFunction", {"Records": records})
    assert delivered == {"batchItemFailures": []}

    return runs


def test_given_the_built_functions_when_a_claim_goes_through_all_of_them_then_each_answers_from_its_package(
    template: dict[str, Any], journey: dict[str, list[dict[str, Any]]], runtime_dir: Path, build_dir: Path
) -> None:
    runs = journey
    built_ns = (build_dir / "template.yaml").stat().st_mtime_ns  # SAM writes it after every package
    for logical_id, invocations in runs.items():
        assert invocations, f"{logical_id} was not invoked"
        for invoked in invocations:
            package = build_dir / logical_id
            # Every module came from the package, the runtime's boto3 or the standard library.
            allowed = (package, runtime_dir, Path(sys.base_prefix))
            outside = [f for f in invoked["files"] if not any(Path(f).is_relative_to(r) for r in allowed)]
            assert not outside, f"{logical_id} loaded {outside[:3]}"
            # Its own modules ran from the bytecode the build wrote.
            ours = [f for f in invoked["bytecode"] if Path(f).is_relative_to(package)]
            assert ours and all(Path(f).is_file() for f in ours)
            # A function that reads the catalog read the snapshot: the YAML parser was never imported.
            if invoked["catalog_loaded"]:
                assert not invoked["yaml_imported"], f"{logical_id} validated the catalog instead of its snapshot"
        # Nothing rewrote the snapshot (Lambda's /var/task is read-only; here it could have been).
        assert (build_dir / logical_id / "products.catalog.pickle").stat().st_mtime_ns < built_ns
    assert any(i["catalog_loaded"] for i in runs["CatalogApiFunction"])
    assert any(i["catalog_loaded"] for i in runs["ClaimsFunction"])


def test_given_a_package_without_its_snapshot_when_invoked_then_it_cannot_fall_back_to_parsing_yaml(
    stack: Stack, build_dir: Path, tmp_path: Path
) -> None:
    # The snapshot is the only way a package reads the catalog: it ships no YAML parser, so a package
    # built without one fails its cold start loudly instead of validating the catalog on every one.
    copy = tmp_path / "CatalogApiFunction"
    shutil.copytree(build_dir / "CatalogApiFunction", copy, symlinks=True)
    (copy / "products.catalog.pickle").unlink()
    with pytest.raises(AssertionError, match="No module named 'yaml'"):
        stack.invoke("CatalogApiFunction", api_event("GET", "/api/v1/products"), package=copy)


OURS = {p.name for p in (ROOT / "functions").iterdir() if (p / "__init__.py").is_file()}
# Imported only when a package has no matching catalog snapshot, which the build rules out.
ONLY_WITHOUT_SNAPSHOT = {"yaml"}


def test_given_each_built_package_then_it_ships_exactly_the_modules_its_handler_reaches(
    template: dict[str, Any], journey: dict[str, list[dict[str, Any]]], runtime_dir: Path, build_dir: Path
) -> None:
    for logical_id, invocations in journey.items():
        package = build_dir / logical_id
        loaded = {m for invoked in invocations for m in invoked["modules"] if m.split(".")[0] in OURS}
        # What ran, and every module its import statements name, lazy ones included.
        reached, others = import_closure(ROOT / "functions", loaded, OURS)
        missing = sorted(m for m in reached if module_source(package, m) is None)
        assert not missing, f"{logical_id} lacks {missing}"
        shipped = {p.name for p in package.iterdir() if p.name in OURS}
        assert shipped == {m.split(".")[0] for m in reached}, f"{logical_id} ships packages it never imports"
        # Every other module they import is in the package, the runtime or the standard library.
        found = {p.name.split(".")[0] for root in (package, runtime_dir) for p in root.iterdir()}
        unresolved = others - found - set(sys.stdlib_module_names) - ONLY_WITHOUT_SNAPSHOT
        assert not unresolved, f"{logical_id} imports what it does not ship: {sorted(unresolved)}"
        assert not ONLY_WITHOUT_SNAPSHOT & {p.name for p in package.iterdir()}


def test_given_each_built_package_then_its_zip_is_at_most_8_mb(template: dict[str, Any], build_dir: Path) -> None:
    for logical_id in functions(template):
        size = zipped_size([build_dir / logical_id], build_dir / logical_id)
        assert size <= 8_000_000, f"{logical_id}: {size / 1e6:.1f} MB zipped"
