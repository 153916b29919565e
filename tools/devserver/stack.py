"""The whole system on loopback: moto as S3/DynamoDB/SQS/KMS, the template's resources, the site and the API.

    with LocalStack(port=0, site_dir=Path("site")) as stack:
        stack.base_url        # http://127.0.0.1:<port>, site and /api/*
        stack.aws_endpoint    # moto, for checking what the functions stored
        stack.names           # logical id -> local name (ClaimsTable -> anshin-local-claims ...)
"""

from __future__ import annotations

import logging
import os
import re
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import boto3

from devserver.authorizer import CognitoAuthorizer
from devserver.aws import create_staff_member, provision
from devserver.lambdas import Function
from devserver.scanner import plan_prefixes, scan_notified
from devserver.server import Api, Server, make_handler
from devserver.template import (
    LOCAL_REGION,
    TEMPLATE_PATH,
    Resolver,
    api_routes,
    event_consumers,
    function_environment,
    functions,
    load_template,
    resources_of_type,
    sqs_consumers,
)
from devserver.worker import QueueWorker, StreamWorker

SITE_DIR = Path(__file__).resolve().parents[2] / "site"

_AWS_URL = re.compile(r"https://[^\s;]*amazonaws\.com")


def security_headers(template: dict[str, Any], resolver: Resolver, aws_endpoint: str) -> dict[str, str]:
    """The response headers policy of the template, pointed at the local bucket endpoint.

    HSTS is left out: browsers ignore it over plain http, and it would pin localhost to https.
    """
    headers: dict[str, str] = {}
    for props in resources_of_type(template, "AWS::CloudFront::ResponseHeadersPolicy").values():
        config = props["ResponseHeadersPolicyConfig"].get("SecurityHeadersConfig", {})
        if "ContentSecurityPolicy" in config:
            csp = str(resolver.resolve(config["ContentSecurityPolicy"]["ContentSecurityPolicy"]))
            csp = _AWS_URL.sub(aws_endpoint, " ".join(csp.split()))
            # Both bucket URL styles map to the one local endpoint: list it once per directive.
            directives = [" ".join(dict.fromkeys(d.split())) for d in csp.split(";")]
            headers["Content-Security-Policy"] = "; ".join(d for d in directives if d)
        if "FrameOptions" in config:
            headers["X-Frame-Options"] = str(config["FrameOptions"]["FrameOption"])
        if "ContentTypeOptions" in config:
            headers["X-Content-Type-Options"] = "nosniff"
        if "ReferrerPolicy" in config:
            headers["Referrer-Policy"] = str(config["ReferrerPolicy"]["ReferrerPolicy"])
    return headers


@dataclass(frozen=True)
class StaffSignIn:
    """The local claims handler: signs in to the user pool with USER_PASSWORD_AUTH through this client."""

    username: str
    password: str
    pool_id: str
    client_id: str


# The one claims handler `make run` creates; its password is new on every start and printed once.
LOCAL_HANDLER = "handler"


def _api_properties(template: dict[str, Any]) -> dict[str, Any]:
    return next(iter(resources_of_type(template, "AWS::Serverless::Api").values()), {})


def authorizers(template: dict[str, Any], resolver: Resolver, endpoint: str) -> dict[str, CognitoAuthorizer]:
    """The API's Cognito authorizers, each over its pool and the pool's app clients, as created locally."""
    out = {}
    for name, spec in _api_properties(template).get("Auth", {}).get("Authorizers", {}).items():
        pool = spec["UserPoolArn"]["Fn::GetAtt"][0]
        client_ids = frozenset(
            resolver.refs[logical_id]
            for logical_id, c in resources_of_type(template, "AWS::Cognito::UserPoolClient").items()
            if c["UserPoolId"] == {"Ref": pool}
        )
        out[name] = CognitoAuthorizer(resolver.refs[pool], resolver.region, endpoint, client_ids)
    return out


def _stage_name(template: dict[str, Any]) -> str:
    return str(_api_properties(template).get("StageName", "live"))


class LocalStack:
    """Start with `with LocalStack(...) as stack:`; everything stops and the environment is restored on exit."""

    def __init__(
        self,
        port: int = 8000,
        site_dir: Path | str = SITE_DIR,
        host: str = "127.0.0.1",
        template_path: Path = TEMPLATE_PATH,
        log: Callable[[str], None] | None = None,
    ) -> None:
        self.host = host
        self.requested_port = port
        self.site_dir = Path(site_dir)
        self.template = load_template(template_path)
        self.log = log
        self.resolver = Resolver(self.template)
        self.base_url = ""
        self.aws_endpoint = ""
        self.functions: dict[str, Function] = {}
        self._server: Server | None = None
        self._moto: Any = None
        self._threads: list[threading.Thread] = []
        self._workers: list[QueueWorker | StreamWorker] = []
        self._saved_env: dict[str, str | None] = {}
        self.staff: StaffSignIn | None = None

    @property
    def names(self) -> dict[str, str]:
        return dict(self.resolver.refs)

    # --- lifecycle ------------------------------------------------------------------------
    def __enter__(self) -> LocalStack:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def start(self) -> str:
        # Bind the site's port first: a taken port fails here, before anything else starts.
        self._server = Server((self.host, self.requested_port), make_handler(self.site_dir, Api([], {}, ""), {}, None))
        port = self._server.server_address[1]
        self.base_url = f"http://{self.host}:{port}"
        try:
            self._start_aws()
            self._start_functions()
        except BaseException:
            self.stop()
            raise
        assert self._server is not None
        stage = _stage_name(self.template)
        api = Api(
            api_routes(self.template), self.functions, stage,
            authorizers=authorizers(self.template, self.resolver, self.aws_endpoint),
            gateway_responses=_api_properties(self.template).get("GatewayResponses", {}),
        )
        headers = security_headers(self.template, self.resolver, self.aws_endpoint)
        self._server.RequestHandlerClass = make_handler(self.site_dir, api, headers, self.log)
        thread = threading.Thread(target=self._server.serve_forever, name="site-and-api", daemon=True)
        thread.start()
        self._threads.append(thread)
        return self.base_url

    def _start_aws(self) -> None:
        from moto.moto_server import werkzeug_app

        from devserver.motoserver import CorsRule, MotoServer

        # Buckets answer CORS with their own rules (from the template), as S3 does, not moto's allow-all.
        werkzeug_app.DISABLE_GLOBAL_CORS = True  # type: ignore[attr-defined]
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        cors_rules: dict[str, list[CorsRule]] = {}
        self._moto = MotoServer(self.host, cors_rules)
        self._moto.start()
        moto_host, moto_port = self._moto.get_host_and_port()
        self.aws_endpoint = f"http://{moto_host}:{moto_port}"
        self._set_env(
            {
                "AWS_ENDPOINT_URL": self.aws_endpoint,
                "AWS_ACCESS_KEY_ID": "testing",
                "AWS_SECRET_ACCESS_KEY": "testing",
                "AWS_SESSION_TOKEN": None,
                "AWS_PROFILE": None,
                "AWS_DEFAULT_REGION": LOCAL_REGION,
                "AWS_REGION": LOCAL_REGION,
                # No X-Ray daemon locally.
                "POWERTOOLS_TRACE_DISABLED": "true",
                # Cognito checks an authenticator app's codes; moto does only when asked to.
                "MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP": "true",
            }
        )
        origins = [self.base_url, self.base_url.replace("127.0.0.1", "localhost")]
        provision(self.resolver, self.aws_endpoint, origins, cors_rules)
        self.staff = self._create_handler()

    def _create_handler(self) -> StaffSignIn | None:
        groups = resources_of_type(self.template, "AWS::Cognito::UserPoolGroup")
        clients = resources_of_type(self.template, "AWS::Cognito::UserPoolClient")
        for group, props in groups.items():
            pool = props["UserPoolId"]["Ref"]
            client = next(c for c, p in clients.items() if p["UserPoolId"] == {"Ref": pool})
            password = create_staff_member(self.resolver, self.aws_endpoint, pool, group, LOCAL_HANDLER)
            return StaffSignIn(LOCAL_HANDLER, password, self.resolver.refs[pool], self.resolver.refs[client])
        return None

    def _start_functions(self) -> None:
        globals_fn = self.template.get("Globals", {}).get("Function", {})
        env: dict[str, str | None] = {}
        for logical_id, props in functions(self.template).items():
            self.functions[logical_id] = Function(
                logical_id,
                str(props["Handler"]),
                memory_mb=int(props.get("MemorySize", globals_fn.get("MemorySize", 512))),
                timeout_s=int(props.get("Timeout", globals_fn.get("Timeout", 10))),
            )
            # All functions share this process; their variables agree except the service name.
            env.update(function_environment(self.template, logical_id, self.resolver))
        env["POWERTOOLS_SERVICE_NAME"] = "anshin-local"
        if "SITE_URL" in env:  # links in e-mails point at this server, not the public domain
            env["SITE_URL"] = self.base_url
        self._set_env(env)
        # Clients made earlier in this process would still point at another endpoint.
        clients = sys.modules.get("dal.clients")
        if clients is not None and hasattr(clients, "reset"):
            clients.reset()
        scanned = plan_prefixes(self.template)
        s3 = boto3.client("s3", endpoint_url=self.aws_endpoint, region_name=LOCAL_REGION)

        def malware_scan(messages: list[Any]) -> None:
            # GuardDuty's scan of each announced upload, done before the validator gets its notification
            scan_notified(s3, [m["Body"] for m in messages], scanned)

        for logical_id, _handler, props in sqs_consumers(self.template):
            queue_arn = str(self.resolver.resolve(props["Queue"]))
            queue_id = next(k for k, v in self.resolver.arns.items() if v == queue_arn)
            worker = QueueWorker(
                self.functions[logical_id],
                queue_url=self.resolver.refs[queue_id],
                queue_arn=queue_arn,
                batch_size=min(10, int(props.get("BatchSize", 10))),
                endpoint=self.aws_endpoint,
                region=LOCAL_REGION,
                log=self.log,
                before=malware_scan if scanned else None,
            )
            worker.start()
            self._workers.append(worker)
        for logical_id, _handler, props in event_consumers(self.template, "DynamoDB"):
            stream_arn = str(self.resolver.resolve(props["Stream"]))
            on_failure = props.get("DestinationConfig", {}).get("OnFailure", {}).get("Destination")
            failure_arn = str(self.resolver.resolve(on_failure)) if on_failure else None
            failure_id = next((k for k, v in self.resolver.arns.items() if v == failure_arn), None)
            stream_worker = StreamWorker(
                self.functions[logical_id],
                stream_arn=stream_arn,
                properties=props,
                failure_queue_url=self.resolver.refs[failure_id] if failure_id else None,
                endpoint=self.aws_endpoint,
                region=LOCAL_REGION,
                log=self.log,
            )
            stream_worker.start()
            self._workers.append(stream_worker)

    def stop(self) -> None:
        if self._server is not None:
            if self._threads:
                self._server.shutdown()
            self._server.server_close()
            self._server = None
        for worker in self._workers:
            worker.stop()
        self._workers.clear()
        for thread in self._threads:
            thread.join(timeout=5)
        self._threads.clear()
        if self._moto is not None:
            self._moto.stop()
            self._moto = None
        for key, value in self._saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        self._saved_env.clear()

    def _set_env(self, values: dict[str, str | None]) -> None:
        for key, value in values.items():
            self._saved_env.setdefault(key, os.environ.get(key))
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value

    def wait_for_uploads(self, timeout: float = 10.0) -> bool:
        """Block until every queue worker has found its queue empty (tests use it after an upload)."""
        return all(worker.wait_idle(timeout) for worker in self._workers)
