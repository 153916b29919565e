"""The SAM template: linted, transformed, scanned, and wired as the product needs it.

Given infra/template.yaml, when each tool reads it, then it passes; and the routes, encryption,
queues and policies it declares are the ones the functions and the local stack rely on.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import boto3
import pytest

from devserver.server import IMMUTABLE, REVALIDATE, cache_control
from devserver.template import TEMPLATE_PATH, Resolver, api_routes, functions, load_template, resources_of_type

ROOT = Path(__file__).resolve().parents[2]
# cfn-lint comes with the SAM CLI's locked environment, checkov has its own (scripts/setup.sh).
CFN_LINT = ROOT / ".sam-venv" / "bin" / "cfn-lint"
CHECKOV = ROOT / ".checkov-venv" / "bin" / "checkov"
# One Python for the tests and the functions: the template's runtime is the version running these tests.
RUNTIME = f"python{sys.version_info.major}.{sys.version_info.minor}"
OPENAPI = ROOT / "functions" / "api" / "openapi.json"

# Routes the template has on purpose that the OpenAPI document does not describe: the document
# itself, and the catch-all that answers unknown /api paths with problem+json.
NOT_IN_OPENAPI = {("GET", "/api/v1/openapi.json"), ("ANY", "/api/{proxy+}")}


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    return load_template()


def _resources(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return resources_of_type(template, kind)


DOMAIN = {"SiteDomainName": "anshin.example.jp",
          "SiteCertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/4f1c2a9e"}
BUCKET_ARN = "arn:${AWS::Partition}:s3:::${AWS::StackName}-claims-${AWS::AccountId}"


def _statements(
    template: dict[str, Any], props: dict[str, Any], parameters: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    """The function's policy statements as deployed with these parameters (the site's own domain by default)."""
    resolver = Resolver(template, parameters=DOMAIN if parameters is None else parameters)
    out = []
    for statement in props.get("Policies", [{}])[0].get("Statement", []):
        if "Fn::If" in statement:
            condition, taken, other = statement["Fn::If"]
            statement = taken if resolver.condition(condition) else other
        if statement != {"Ref": "AWS::NoValue"}:
            out.append(statement)
    return out


# --- the tools ------------------------------------------------------------------------------


def test_given_the_template_when_cfn_lint_runs_then_it_reports_nothing() -> None:
    done = subprocess.run(
        [str(CFN_LINT), str(TEMPLATE_PATH)], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_given_cfn_lints_runtime_lifecycle_then_the_runtime_has_years_ahead_and_a_retired_one_is_reported(
    tmp_path: Path,
) -> None:
    # The rule's own table (W2531 deprecated, E2531 creation blocked, E2533 updates blocked) agrees with
    # the template's reason for its runtime: supported until 2029-06-30.
    lifecycle = subprocess.run(
        [str(CFN_LINT.parent / "python"), "-c", "import json; from cfnlint.data import AdditionalSpecs; "
         "from cfnlint.helpers import load_resource; "
         "print(json.dumps(load_resource(AdditionalSpecs, 'LmbdRuntimeLifecycle.json')))"],
        capture_output=True, text=True, timeout=120, check=True,
    )
    table = json.loads(lifecycle.stdout)
    assert table[RUNTIME]["deprecated"] == "2029-06-30"
    assert "supports it until 2029-06-30" in TEMPLATE_PATH.read_text(encoding="utf-8")
    # The rule is live: the same template on a runtime already retired is reported.
    retired = tmp_path / "template.yaml"
    retired.write_text(TEMPLATE_PATH.read_text(encoding="utf-8").replace(f"Runtime: {RUNTIME}", "Runtime: python3.8"),
                       encoding="utf-8")
    done = subprocess.run([str(CFN_LINT), "--format", "json", str(retired)], capture_output=True, text=True,
                          timeout=300, check=False)
    found = {m["Rule"]["Id"] for m in json.loads(done.stdout)}
    assert found & {"W2531", "E2531", "E2533"}, found


def test_given_the_template_when_sam_translator_transforms_it_offline_then_plain_cloudformation_comes_out(
    template: dict[str, Any],
) -> None:
    from samtranslator.parser.parser import Parser
    from samtranslator.translator.translator import Translator

    # No call to AWS: the managed-policy map is given (the template names no managed policy by
    # name) and the session only supplies the region for pseudo parameters.
    session = boto3.session.Session(region_name="ap-northeast-1")
    packaged = json.loads(json.dumps(template))
    # What `sam package` does before CloudFormation sees it: the local code folder becomes an S3 object.
    packaged["Globals"]["Function"]["CodeUri"] = "s3://artifacts-bucket/functions.zip"
    out = Translator(managed_policy_map={}, sam_parser=Parser(), boto_session=session).translate(
        packaged, parameter_values={}, get_managed_policy_map=lambda: {}
    )
    kinds = [r["Type"] for r in out["Resources"].values()]
    assert not [k for k in kinds if k.startswith("AWS::Serverless::")]
    serverless = [r for r in template["Resources"].values() if r["Type"] == "AWS::Serverless::Function"]
    assert kinds.count("AWS::Lambda::Function") == len(serverless) == 6
    assert "AWS::ApiGateway::RestApi" in kinds and "AWS::ApiGateway::Stage" in kinds
    # the staff routes, and only they, need the staff pool's ID token; its refusal is problem+json
    body = next(r for r in out["Resources"].values() if r["Type"] == "AWS::ApiGateway::RestApi")["Properties"]["Body"]
    authorizer = body["securityDefinitions"]["StaffAuthorizer"]
    assert authorizer["x-amazon-apigateway-authtype"] == "cognito_user_pools"
    assert authorizer["x-amazon-apigateway-authorizer"]["providerARNs"] == [{"Fn::GetAtt": ["StaffUserPool", "Arn"]}]
    guarded = {
        (path, method) for path, ops in body["paths"].items() for method, op in ops.items() if op.get("security")
    }
    assert guarded == {
        ("/api/v1/desk/claims", "get"), ("/api/v1/desk/claims/{claim_id}", "get"),
        ("/api/v1/desk/claims/{claim_id}/decision", "post"), ("/api/v1/desk/claims/{claim_id}/payment", "post"),
        ("/api/v1/desk/claims/{claim_id}/document-requests", "post"),
    }
    refusal = body["x-amazon-apigateway-gateway-responses"]["UNAUTHORIZED"]
    assert refusal["responseParameters"]["gatewayresponse.header.Content-Type"] == "'application/problem+json'"
    assert json.loads(refusal["responseTemplates"]["application/json"].replace("$context.error.messageString", '"x"'))
    # the API's web ACL is attached to the stage SAM makes (so it exists first)
    association = out["Resources"]["ApiWebAclAssociation"]["Properties"]["ResourceArn"]["Fn::Sub"]
    stage_id = next(k for k, r in out["Resources"].items() if r["Type"] == "AWS::ApiGateway::Stage")
    assert association.endswith(f"/stages/${{{stage_id}}}")
    mapping = next(r for r in out["Resources"].values() if r["Type"] == "AWS::Lambda::EventSourceMapping")
    assert mapping["Properties"]["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    for fn in (r for r in out["Resources"].values() if r["Type"] == "AWS::Lambda::Function"):
        props = fn["Properties"]
        assert props["Runtime"] == RUNTIME
        assert props["Architectures"] == ["x86_64"]
        assert props["TracingConfig"] == {"Mode": "Active"}


def test_given_the_template_when_checkov_scans_it_then_no_check_fails_and_every_skip_says_why(
    template: dict[str, Any],
) -> None:
    done = subprocess.run(
        [
            str(CHECKOV),
            "-f",
            str(TEMPLATE_PATH),
            "--framework",
            "cloudformation",
            "--skip-download",
            "--compact",
            "--quiet",
            "-o",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    report = json.loads(done.stdout)
    summary = report["summary"]
    failed = [f"{c['check_id']} {c['resource']}" for c in report["results"]["failed_checks"]]
    assert summary["failed"] == 0, failed
    assert summary["passed"] > 40  # it really scanned the resources
    for logical_id, resource in template["Resources"].items():
        for skip in resource.get("Metadata", {}).get("checkov", {}).get("skip", []):
            assert len(skip.get("comment", "")) > 20, f"{logical_id}: skip {skip['id']} without a reason"


# --- routes ---------------------------------------------------------------------------------


def _openapi_routes() -> set[tuple[str, str]]:
    document = json.loads(OPENAPI.read_text(encoding="utf-8"))
    return {
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    }


def _template_routes(template: dict[str, Any], function: str | None = None) -> set[tuple[str, str]]:
    routes = api_routes(template)
    return {(r.method, r.path) for r in routes if function in (None, r.function)} - NOT_IN_OPENAPI


def test_given_the_generated_openapi_then_every_route_it_documents_is_routed_by_the_template(
    template: dict[str, Any],
) -> None:
    assert _openapi_routes() <= _template_routes(template)


def test_given_the_catalog_function_routes_then_the_openapi_documents_each_of_them(template: dict[str, Any]) -> None:
    assert _template_routes(template, "CatalogApiFunction") <= _openapi_routes()


def test_given_the_generated_openapi_when_compared_with_the_template_then_the_routes_are_the_same(
    template: dict[str, Any],
) -> None:
    assert _template_routes(template) == _openapi_routes()


def test_given_the_api_routes_then_each_job_has_its_function(template: dict[str, Any]) -> None:
    by_route = {(r.method, r.path): r.handler for r in api_routes(template)}
    assert by_route[("POST", "/api/v1/quotes")] == "api.handler.lambda_handler"
    assert by_route[("POST", "/api/v1/eligibility")] == "api.handler.lambda_handler"
    assert by_route[("POST", "/api/v1/claims")] == "api.claims_handler.lambda_handler"
    assert by_route[("GET", "/api/v1/claims/{claim_id}")] == "api.claims_handler.lambda_handler"


def test_given_each_handler_named_in_the_template_then_it_imports_and_is_callable(template: dict[str, Any]) -> None:
    import importlib

    for logical_id, props in functions(template).items():
        module, _, attr = props["Handler"].rpartition(".")
        assert callable(getattr(importlib.import_module(module), attr)), logical_id
        assert (ROOT / "functions" / module.replace(".", "/")).with_suffix(".py").is_file()


# --- storage --------------------------------------------------------------------------------


def test_given_the_claims_bucket_then_it_is_private_encrypted_versioned_and_expires_what_it_should(
    template: dict[str, Any],
) -> None:
    bucket = template["Resources"]["ClaimsBucket"]["Properties"]
    assert all(bucket["PublicAccessBlockConfiguration"].values())
    (rule,) = bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
    assert rule["BucketKeyEnabled"] is True
    assert bucket["VersioningConfiguration"]["Status"] == "Enabled"
    rules = bucket["LifecycleConfiguration"]["Rules"]
    assert any("NoncurrentVersionExpiration" in r for r in rules)
    assert any(r.get("Prefix") == "quarantine/" and "ExpirationInDays" in r for r in rules)
    assert any("AbortIncompleteMultipartUpload" in r for r in rules)
    (cors,) = bucket["CorsConfiguration"]["CorsRules"]
    # the site's own domain, or the distribution's address without one
    assert cors["AllowedOrigins"] == [{"Fn::If": [
        "HasSiteDomain", {"Fn::Sub": "https://${SiteDomainName}"}, {"Fn::Sub": "https://${SiteDistribution.DomainName}"}
    ]}]
    assert cors["AllowedMethods"] == ["POST"]
    key = template["Resources"]["DataKey"]["Properties"]
    assert key["EnableKeyRotation"] is True


def test_given_the_claims_bucket_policy_then_plain_http_is_denied(template: dict[str, Any]) -> None:
    for policy_id in ("ClaimsBucketPolicy", "SiteBucketPolicy", "LogBucketPolicy"):
        statements = template["Resources"][policy_id]["Properties"]["PolicyDocument"]["Statement"]
        assert any(
            s["Effect"] == "Deny" and s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}} for s in statements
        ), policy_id


def test_given_the_claims_bucket_policy_then_only_the_data_key_and_only_the_validator_write_accepted_copies(
    template: dict[str, Any],
) -> None:
    statements = {
        s["Sid"]: s for s in template["Resources"]["ClaimsBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    }
    key_only = statements["DataKeyOnly"]
    assert (key_only["Effect"], key_only["Action"]) == ("Deny", "s3:PutObject")
    assert key_only["Condition"] == {
        "StringNotEquals": {"s3:x-amz-server-side-encryption-aws-kms-key-id": {"Fn::GetAtt": ["DataKey", "Arn"]}},
        # the malware scan's role, whose only write is its validation object (below)
        "ArnNotEquals": {"aws:PrincipalArn": {"Fn::GetAtt": ["UploadScanRole", "Arn"]}},
    }
    scan = template["Resources"]["UploadScanRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
    scan_puts = [st for st in scan if st["Action"] == "s3:PutObject"]
    assert [st["Resource"]["Fn::Sub"].rsplit("/", 1)[1] for st in scan_puts] == [
        "malware-protection-resource-validation-object"]
    accepted = statements["AcceptedCopiesByTheValidatorOnly"]
    assert accepted["Effect"] == "Deny" and accepted["Resource"] == {"Fn::Sub": "${ClaimsBucket.Arn}/accepted/*"}
    assert accepted["Condition"] == {
        "ArnNotEquals": {"aws:PrincipalArn": {"Fn::GetAtt": ["UploadValidatorFunctionRole", "Arn"]}}
    }
    # the role that signs the upload forms cannot write there either
    claims = functions(template)["ClaimsFunction"]["Policies"][0]["Statement"]
    puts = [st for st in claims if "s3:PutObject" in st["Action"]]
    assert [st["Resource"] for st in puts] == [{"Fn::Sub": f"{BUCKET_ARN}/claims/*"}]


def test_given_each_dead_letter_queue_then_a_message_on_it_raises_an_alarm_to_an_encrypted_topic(
    template: dict[str, Any],
) -> None:
    res = template["Resources"]
    dead_letter = {
        props["RedrivePolicy"]["deadLetterTargetArn"]["Fn::GetAtt"][0]
        for props in _resources(template, "AWS::SQS::Queue").values()
        if "RedrivePolicy" in props
    }
    assert dead_letter == {"UploadDLQ", "IntakeDLQ"}
    alarmed = {}
    for alarm in _resources(template, "AWS::CloudWatch::Alarm").values():
        if alarm.get("Namespace") != "AWS/SQS":
            continue
        (dimension,) = alarm["Dimensions"]
        alarmed[dimension["Value"]["Fn::GetAtt"][0]] = alarm
    for queue in dead_letter:
        alarm = alarmed[queue]
        assert (alarm["Namespace"], alarm["MetricName"]) == ("AWS/SQS", "ApproximateNumberOfMessagesVisible")
        assert (alarm["ComparisonOperator"], alarm["Threshold"]) == ("GreaterThanThreshold", 0)
        assert alarm["AlarmActions"] == [{"Ref": "AlarmTopic"}]
    assert res["AlarmTopic"]["Properties"]["KmsMasterKeyId"] == {"Ref": "DataKey"}
    key_statements = res["DataKey"]["Properties"]["KeyPolicy"]["Statement"]
    assert any(st["Principal"] == {"Service": "cloudwatch.amazonaws.com"} for st in key_statements)


def test_given_an_upload_then_the_bucket_notifies_the_queue_which_redrives_to_the_dlq(
    template: dict[str, Any],
) -> None:
    res = template["Resources"]
    (notification,) = res["ClaimsBucket"]["Properties"]["NotificationConfiguration"]["QueueConfigurations"]
    assert notification["Queue"] == {"Fn::GetAtt": ["UploadQueue", "Arn"]}
    assert notification["Event"] == "s3:ObjectCreated:*"
    # Only claim documents: the validator's own moves to quarantine/ must not notify again.
    assert notification["Filter"]["S3Key"]["Rules"] == [{"Name": "prefix", "Value": "claims/"}]
    redrive = res["UploadQueue"]["Properties"]["RedrivePolicy"]
    assert redrive["deadLetterTargetArn"] == {"Fn::GetAtt": ["UploadDLQ", "Arn"]}
    allow = res["UploadQueuePolicy"]["Properties"]["PolicyDocument"]["Statement"][0]
    assert allow["Principal"] == {"Service": "s3.amazonaws.com"} and allow["Action"] == "sqs:SendMessage"
    # The validator's timeout fits six times in the queue's visibility timeout.
    assert int(res["UploadQueue"]["Properties"]["VisibilityTimeout"]) >= 6 * int(
        res["UploadValidatorFunction"]["Properties"]["Timeout"]
    )


def test_given_the_tables_then_they_are_on_demand_recoverable_encrypted_with_the_keys_the_code_uses(
    template: dict[str, Any],
) -> None:
    tables = _resources(template, "AWS::DynamoDB::Table")
    assert tables["ClaimsTable"]["KeySchema"] == [{"AttributeName": "claim_id", "KeyType": "HASH"}]
    assert tables["IdempotencyTable"]["KeySchema"] == [{"AttributeName": "id", "KeyType": "HASH"}]
    assert tables["IdempotencyTable"]["TimeToLiveSpecification"] == {"AttributeName": "expiration", "Enabled": True}
    for name, props in tables.items():
        assert props["BillingMode"] == "PAY_PER_REQUEST", name
        assert props["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}, name
        assert props["SSESpecification"]["SSEEnabled"] is True, name


# --- functions ------------------------------------------------------------------------------


def test_given_globals_then_functions_run_the_python_that_builds_them_traced_with_powertools_settings(
    template: dict[str, Any],
) -> None:
    fn = template["Globals"]["Function"]
    # The build host's Python and machine: `sam build` writes the snapshot and bytecode with them.
    assert fn["Runtime"] == RUNTIME == "python3.13" and fn["Architectures"] == ["x86_64"]
    # Each package is built by functions/Makefile (code, catalog, snapshot, bytecode), not SAM's pip builder.
    for resource in template["Resources"].values():
        if resource["Type"] == "AWS::Serverless::Function":
            assert resource["Metadata"]["BuildMethod"] == "makefile"
    assert fn["Tracing"] == "Active"
    assert fn["CodeUri"] == "../functions/"
    variables = fn["Environment"]["Variables"]
    assert {"POWERTOOLS_SERVICE_NAME", "POWERTOOLS_LOG_LEVEL", "LOG_LEVEL"} <= set(variables)
    assert variables["POWERTOOLS_LOGGER_LOG_EVENT"] == "false"


def test_given_the_functions_then_each_gets_only_the_names_it_needs(template: dict[str, Any]) -> None:
    fns = functions(template)
    claims_env = fns["ClaimsFunction"]["Environment"]["Variables"]
    assert claims_env["CLAIMS_TABLE"] == {"Ref": "ClaimsTable"}
    assert claims_env["IDEMPOTENCY_TABLE"] == {"Ref": "IdempotencyTable"}
    # The functions name the bucket by its built name (a reference would make the API, and so the distribution
    # whose address the bucket's CORS allows, wait for the bucket: a cycle).
    local = Resolver(template)
    bucket = local.resolve(template["Resources"]["ClaimsBucket"]["Properties"]["BucketName"])
    for logical_id in ("ClaimsFunction", "DeskFunction", "UploadValidatorFunction"):
        assert local.resolve(fns[logical_id]["Environment"]["Variables"]["CLAIMS_BUCKET"]) == bucket, logical_id
    assert "CLAIMS_TABLE" not in fns["CatalogApiFunction"]["Environment"]["Variables"]
    assert "Policies" not in fns["CatalogApiFunction"]  # reads nothing from AWS


def test_given_the_function_policies_then_every_statement_names_its_exact_resources(template: dict[str, Any]) -> None:
    for logical_id, props in functions(template).items():
        for policy in props.get("Policies", []):
            assert isinstance(policy, dict) and "Statement" in policy, f"{logical_id}: inline statements only"
            for statement in _statements(template, props):
                resource = statement["Resource"]
                assert resource != "*" and "*" not in str(statement["Action"]), (logical_id, statement["Sid"])


def test_given_the_log_groups_then_each_function_and_the_api_log_with_retention(template: dict[str, Any]) -> None:
    groups = _resources(template, "AWS::Logs::LogGroup")
    for logical_id, props in functions(template).items():
        group = props["LoggingConfig"]["LogGroup"]["Ref"]
        assert groups[group]["RetentionInDays"], logical_id
    api = next(iter(_resources(template, "AWS::Serverless::Api").values()))
    assert api["AccessLogSetting"]["DestinationArn"] == {"Fn::GetAtt": ["ApiAccessLogGroup", "Arn"]}
    throttle = api["MethodSettings"][0]
    assert throttle["ThrottlingRateLimit"] > 0 and throttle["ThrottlingBurstLimit"] > 0


# --- site -----------------------------------------------------------------------------------


def test_given_the_distribution_then_site_and_api_share_one_origin_with_security_headers(
    template: dict[str, Any],
) -> None:
    config = template["Resources"]["SiteDistribution"]["Properties"]["DistributionConfig"]
    origins = {o["Id"]: o for o in config["Origins"]}
    assert origins["site"]["OriginAccessControlId"] == {"Fn::GetAtt": ["SiteOriginAccessControl", "Id"]}
    (api_behaviour,) = [b for b in config["CacheBehaviors"] if b["PathPattern"] == "/api/*"]
    assert api_behaviour["TargetOriginId"] == "api" and "POST" in api_behaviour["AllowedMethods"]
    stage = next(iter(_resources(template, "AWS::Serverless::Api").values()))["StageName"]
    assert origins["api"]["OriginPath"] == f"/{stage}"
    headers = template["Resources"]["SecurityHeadersPolicy"]["Properties"]["ResponseHeadersPolicyConfig"][
        "SecurityHeadersConfig"
    ]
    csp = headers["ContentSecurityPolicy"]["ContentSecurityPolicy"]["Fn::Sub"]
    assert "frame-ancestors 'none'" in csp
    assert headers["StrictTransportSecurity"]["AccessControlMaxAgeSec"] >= 31536000
    assert headers["ContentTypeOptions"]["Override"] is True
    assert headers["ReferrerPolicy"]["ReferrerPolicy"]
    assert template["Resources"]["SiteBucket"]["Properties"]["PublicAccessBlockConfiguration"]["RestrictPublicBuckets"]


def test_given_the_site_domain_and_certificate_then_neither_has_a_placeholder_and_they_come_together(
    template: dict[str, Any],
) -> None:
    params = template["Parameters"]
    assert params["SiteDomainName"]["Default"] == "" and params["SiteCertificateArn"]["Default"] == ""
    cert = DOMAIN["SiteCertificateArn"]
    for given, broken in [
        ({}, 0), (DOMAIN, 0),
        ({"SiteDomainName": "anshin.example.jp"}, 1),  # a domain without its certificate
        ({"SiteCertificateArn": cert}, 1),  # a certificate without its domain
    ]:
        assert len(Resolver(template, parameters=given).broken_rules()) == broken, given
    for name, value in DOMAIN.items():
        assert re.fullmatch(params[name]["AllowedPattern"], value) and re.fullmatch(params[name]["AllowedPattern"], "")
    assert not re.fullmatch(params["SiteDomainName"]["AllowedPattern"], "https://anshin.example.jp")


def test_given_no_site_domain_then_the_distribution_answers_on_its_own_address_and_no_mail_is_sent(
    template: dict[str, Any],
) -> None:
    resolver = Resolver(template, parameters={})
    config = template["Resources"]["SiteDistribution"]["Properties"]["DistributionConfig"]
    seen = resolver.resolve({k: config[k] for k in ("Aliases", "ViewerCertificate")})
    assert seen == {"ViewerCertificate": {"CloudFrontDefaultCertificate": True}}
    assert not resolver.included("MailIdentity")
    for logical_id, props in functions(template).items():
        assert not [s for s in _statements(template, props, {}) if "ses:" in str(s["Action"])], logical_id
        variables = props["Environment"]["Variables"]
        for name in ("MAIL_FROM", "SITE_URL"):
            assert resolver.resolve(variables.get(name, "")) == "", (logical_id, name)
    url = template["Outputs"]["SiteUrl"]["Value"]["Fn::If"]
    assert url[0] == "HasSiteDomain" and url[2] == {"Fn::Sub": "https://${SiteDistribution.DomainName}"}


def test_given_a_site_domain_then_the_distribution_serves_it_with_its_certificate_and_mails_from_it(
    template: dict[str, Any],
) -> None:
    resolver = Resolver(template, parameters=DOMAIN)
    config = template["Resources"]["SiteDistribution"]["Properties"]["DistributionConfig"]
    seen = resolver.resolve({k: config[k] for k in ("Aliases", "ViewerCertificate")})
    assert seen == {"Aliases": ["anshin.example.jp"], "ViewerCertificate": {
        "AcmCertificateArn": DOMAIN["SiteCertificateArn"], "SslSupportMethod": "sni-only",
        "MinimumProtocolVersion": "TLSv1.2_2021"}}
    assert resolver.included("MailIdentity")
    assert resolver.resolve(template["Resources"]["MailIdentity"]["Properties"]["EmailIdentity"]) == "anshin.example.jp"
    for logical_id in ("ApplicationsFunction", "DeskFunction"):
        props = functions(template)[logical_id]
        (mail,) = [s for s in _statements(template, props) if s["Action"] == "ses:SendEmail"]
        sender = resolver.resolve(props["Environment"]["Variables"]["MAIL_FROM"])
        assert sender == "no-reply@anshin.example.jp"
        assert resolver.resolve(mail["Condition"]["StringEquals"]["ses:FromAddress"]) == sender
        assert resolver.resolve(mail["Resource"]).endswith(":identity/anshin.example.jp")
        assert resolver.resolve(props["Environment"]["Variables"]["SITE_URL"]) == "https://anshin.example.jp"


def _run_cloudfront_function(code: str, uris: list[str]) -> list[str]:
    """Each uri's Cache-Control as the viewer-response function sets it, run with Node."""
    script = code + (
        "\nconst uris = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "\nconsole.log(JSON.stringify(uris.map((uri) => handler("
        "{request: {uri: uri}, response: {statusCode: 200, headers: {}}}).headers['cache-control'].value)));"
    )
    done = subprocess.run(
        ["node", "-e", script], input=json.dumps(uris), capture_output=True, text=True, timeout=60, check=True
    )
    return list(json.loads(done.stdout))


def test_given_every_file_of_the_built_site_then_cloudfront_and_the_local_server_let_browsers_keep_it_alike(
    template: dict[str, Any], built_site: Path
) -> None:
    code = template["Resources"]["CacheControlFunction"]["Properties"]["FunctionCode"]
    files = sorted("/" + p.relative_to(built_site).as_posix() for p in built_site.rglob("*") if p.is_file())
    uris = ["/", "/products/and-me/", *files]
    assert dict(zip(uris, _run_cloudfront_function(code, uris), strict=True)) == {u: cache_control(u) for u in uris}
    # Every script and stylesheet a product page links is kept a year; the page itself is asked again.
    page = (built_site / "products" / "and-me" / "index.html").read_text(encoding="utf-8")
    linked = re.findall(r'(?:src|href)="(?:\.\./|/)*(assets/[^"?#]+\.(?:js|css))"', page)
    assert len(linked) >= 5
    assert {cache_control("/" + a) for a in linked} == {IMMUTABLE}, linked
    assert cache_control("/products/and-me/index.html") == REVALIDATE == cache_control("/search/search_index.json")
    assert cache_control("/search.json") == REVALIDATE  # Zensical's search index


def test_given_the_distribution_then_site_files_are_compressed_and_carry_the_cache_control_function(
    template: dict[str, Any],
) -> None:
    config = template["Resources"]["SiteDistribution"]["Properties"]["DistributionConfig"]
    site_behaviours = [
        config["DefaultCacheBehavior"],
        *(b for b in config["CacheBehaviors"] if b["TargetOriginId"] == "site"),
    ]
    assert [b.get("PathPattern") for b in site_behaviours] == [None, "/assets/*"]
    for behaviour in site_behaviours:
        assert behaviour["Compress"] is True
        associations = {a["EventType"]: a["FunctionARN"] for a in behaviour["FunctionAssociations"]}
        function_arn = {"Fn::GetAtt": ["CacheControlFunction", "FunctionMetadata.FunctionARN"]}
        assert associations["viewer-response"] == function_arn
    pages = template["Resources"]["SitePagesCachePolicy"]["Properties"]["CachePolicyConfig"]
    assert config["DefaultCacheBehavior"]["CachePolicyId"] == {"Ref": "SitePagesCachePolicy"}
    assert pages["DefaultTTL"] <= 300
    encodings = pages["ParametersInCacheKeyAndForwardedToOrigin"]
    assert encodings["EnableAcceptEncodingGzip"] and encodings["EnableAcceptEncodingBrotli"]


def test_given_the_applications_function_then_it_writes_only_its_table_key_records_intake_queue_and_mail(
    template: dict[str, Any],
) -> None:
    fn = functions(template)["ApplicationsFunction"]
    env = fn["Environment"]["Variables"]
    assert env["APPLICATIONS_TABLE"] == {"Ref": "ApplicationsTable"}
    assert env["INTAKE_QUEUE_URL"] == {"Ref": "IntakeQueue"}
    assert "CLAIMS_TABLE" not in env and "CLAIMS_BUCKET" not in env
    statements = {s["Sid"]: s for s in _statements(template, fn)}
    assert statements["Intake"]["Action"] == "sqs:SendMessage"
    mail_from = env["MAIL_FROM"]["Fn::If"][1]
    assert statements["ConfirmationMail"]["Condition"]["StringEquals"]["ses:FromAddress"] == mail_from
    assert "dynamodb:DeleteItem" not in statements["ApplicationRecords"]["Action"]  # applications are never removed
    tables = _resources(template, "AWS::DynamoDB::Table")
    applications = tables["ApplicationsTable"]
    assert applications["KeySchema"] == [{"AttributeName": "application_number", "KeyType": "HASH"}]
    assert applications["TimeToLiveSpecification"] == {"AttributeName": "expires_at", "Enabled": True}
    assert applications["SSESpecification"]["KMSMasterKeyId"] == {"Ref": "DataKey"}
    queues = _resources(template, "AWS::SQS::Queue")
    assert queues["IntakeQueue"]["KmsMasterKeyId"] == {"Ref": "DataKey"}
    assert queues["IntakeQueue"]["RedrivePolicy"]["deadLetterTargetArn"] == {"Fn::GetAtt": ["IntakeDLQ", "Arn"]}
    routes = {(e["Properties"]["Path"], e["Properties"]["Method"]) for e in fn["Events"].values()}
    assert routes == {("/api/v1/applications", "POST"), ("/api/v1/applications/{number}", "GET")}


# --- the edge -------------------------------------------------------------------------------

EDGE_PATH = ROOT / "infra" / "edge.yaml"


def test_given_the_edge_template_when_cfn_lint_and_checkov_run_then_they_report_nothing() -> None:
    lint = subprocess.run([str(CFN_LINT), str(EDGE_PATH)], capture_output=True, text=True, timeout=300,
                          check=False)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    scan = subprocess.run(
        [str(CHECKOV), "-f", str(EDGE_PATH), "--framework", "cloudformation", "--skip-download", "--compact",
         "--quiet", "-o", "json"],
        capture_output=True, text=True, timeout=600, check=False,
    )
    report = json.loads(scan.stdout)
    assert report["summary"]["failed"] == 0 and report["summary"]["passed"] >= 1, report["summary"]


def _rules(acl: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["Name"]: r for r in acl["Rules"]}


def _managed(acl: dict[str, Any]) -> set[str]:
    return {r["Statement"]["ManagedRuleGroupStatement"]["Name"] for r in acl["Rules"]
            if "ManagedRuleGroupStatement" in r["Statement"]}


def test_given_the_site_web_acl_then_it_has_aws_managed_rules_and_rates_per_viewer_address() -> None:
    edge = load_template(EDGE_PATH)
    (acl,) = resources_of_type(edge, "AWS::WAFv2::WebACL").values()
    assert acl["Scope"] == "CLOUDFRONT"
    assert {"AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet",
            "AWSManagedRulesAmazonIpReputationList"} <= _managed(acl)
    rates = {name: r["Statement"]["RateBasedStatement"] for name, r in _rules(acl).items()
             if "RateBasedStatement" in r["Statement"]}
    # counted on the viewer's own address (a forwarded header could be forged), writes to the API tightest
    assert {r["AggregateKeyType"] for r in rates.values()} == {"IP"}
    assert rates["api-writes-per-client"]["Limit"] < rates["api-requests-per-client"]["Limit"]
    assert all(_rules(acl)[name]["Action"] == {"Block": {}} for name in rates)
    assert edge["Outputs"]["WebAclArn"]["Value"] == {"Fn::GetAtt": ["SiteWebAcl", "Arn"]}


def test_given_the_distribution_then_it_takes_the_edge_web_acl_with_no_placeholder(template: dict[str, Any]) -> None:
    config = template["Resources"]["SiteDistribution"]["Properties"]["DistributionConfig"]
    assert config["WebACLId"] == {"Ref": "CloudFrontWebAclArn"}
    parameter = template["Parameters"]["CloudFrontWebAclArn"]
    assert "Default" not in parameter and "us-east-1" in parameter["AllowedPattern"]


def test_given_the_execute_api_address_then_only_requests_carrying_cloudfronts_secret_pass(
    template: dict[str, Any],
) -> None:
    res = template["Resources"]
    acl = res["ApiWebAcl"]["Properties"]
    assert acl["Scope"] == "REGIONAL" and acl["DefaultAction"] == {"Allow": {}}
    first = min(acl["Rules"], key=lambda r: r["Priority"])
    assert first["Action"] == {"Block": {}}
    match = first["Statement"]["NotStatement"]["Statement"]["ByteMatchStatement"]
    assert match["FieldToMatch"] == {"SingleHeader": {"Name": "x-origin-verify"}}
    assert match["PositionalConstraint"] == "EXACTLY"
    config = res["SiteDistribution"]["Properties"]["DistributionConfig"]
    (api_origin,) = [o for o in config["Origins"] if o["Id"] == "api"]
    (header,) = api_origin["OriginCustomHeaders"]
    assert header["HeaderName"].lower() == "x-origin-verify"
    # the same generated secret on both sides, never written in the template
    secret = {"Fn::Sub": "{{resolve:secretsmanager:${OriginSecret}:SecretString}}"}
    assert header["HeaderValue"] == match["SearchString"] == secret
    generated = res["OriginSecret"]["Properties"]
    assert generated["GenerateSecretString"]["PasswordLength"] >= 32 and generated["KmsKeyId"] == {"Ref": "DataKey"}
    assert {"AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"} <= _managed(acl)
    association = res["ApiWebAclAssociation"]["Properties"]
    assert association["WebACLArn"] == {"Fn::GetAtt": ["ApiWebAcl", "Arn"]}
    assert "/restapis/${Api}/stages/${Api.Stage}" in association["ResourceArn"]["Fn::Sub"]


def test_given_the_api_then_writes_are_throttled_tighter_per_route_and_claims_reserve_their_concurrency(
    template: dict[str, Any],
) -> None:
    api = next(iter(_resources(template, "AWS::Serverless::Api").values()))
    settings = {(m["ResourcePath"], m["HttpMethod"]): m for m in api["MethodSettings"]}
    stage = settings[("/*", "*")]
    # every write route of the API has its own, tighter limit (paths as API Gateway encodes them)
    writes = {(r.path, r.method) for r in api_routes(template) if r.method == "POST" and "{proxy+}" not in r.path}
    for path, method in writes:
        if path in ("/api/v1/quotes", "/api/v1/refunds", "/api/v1/eligibility", "/api/v1/claims/check"):
            continue  # answers only, nothing written: the stage's limit
        route = settings[("/" + path.replace("/", "~1"), method)]
        assert route["ThrottlingRateLimit"] < stage["ThrottlingRateLimit"], path
        assert route["ThrottlingBurstLimit"] < stage["ThrottlingBurstLimit"], path
    claims = functions(template)["ClaimsFunction"]
    assert claims["ReservedConcurrentExecutions"] == {
        "Fn::If": ["ReservesClaimsConcurrency", {"Ref": "ClaimsReservedConcurrency"}, {"Ref": "AWS::NoValue"}]
    }
    assert template["Parameters"]["ClaimsReservedConcurrency"]["Default"] > 0


def test_given_function_errors_throttles_or_api_5xx_then_an_alarm_goes_to_the_topic(template: dict[str, Any]) -> None:
    alarms = _resources(template, "AWS::CloudWatch::Alarm")
    names = set(functions(template))
    for metric in ("Errors", "Throttles"):
        (alarm,) = [a for a in alarms.values()
                    if any(m.get("MetricStat", {}).get("Metric", {}).get("MetricName") == metric
                           for m in a.get("Metrics", []))]
        stats = [m for m in alarm["Metrics"] if "MetricStat" in m]
        watched = {m["MetricStat"]["Metric"]["Dimensions"][0]["Value"]["Ref"] for m in stats}
        assert watched == names, metric
        (total,) = [m for m in alarm["Metrics"] if "Expression" in m]
        assert sorted(total["Expression"].replace(" ", "").split("+")) == sorted(m["Id"] for m in stats)
        assert alarm["AlarmActions"] == [{"Ref": "AlarmTopic"}] and alarm["Threshold"] == 0
    (api_5xx,) = [a for a in alarms.values() if a.get("MetricName") == "5XXError"]
    assert api_5xx["Namespace"] == "AWS/ApiGateway" and api_5xx["AlarmActions"] == [{"Ref": "AlarmTopic"}]


def test_given_the_data_key_then_only_this_stacks_log_groups_may_use_it(template: dict[str, Any]) -> None:
    res = template["Resources"]
    (logs,) = [st for st in res["DataKey"]["Properties"]["KeyPolicy"]["Statement"]
               if st["Sid"] == "CloudWatchLogsOfThisStack"]
    allowed = logs["Condition"]["ArnLike"]["kms:EncryptionContext:aws:logs:arn"]["Fn::Sub"]
    assert allowed.endswith(":log-group:/${AWS::StackName}/*")
    for logical_id, group in _resources(template, "AWS::Logs::LogGroup").items():
        assert group["LogGroupName"]["Fn::Sub"].startswith("/${AWS::StackName}/"), logical_id
        assert group["KmsKeyId"] == {"Fn::GetAtt": ["DataKey", "Arn"]}, logical_id


# Resources that hold or unlock a customer's data (or the staff's who read it): a deleted or replaced stack
# must leave every one of them, or the retained rest becomes unreadable.
HOLDS_OR_UNLOCKS_DATA = ("AWS::KMS::Key", "AWS::KMS::Alias", "AWS::DynamoDB::Table", "AWS::S3::Bucket",
                         "AWS::Cognito::UserPool", "AWS::SQS::Queue")
# Of those types, the resources that hold none, and why.
HOLDS_NONE = {
    "IdempotencyTable": "hashes of Idempotency-Keys for a day and the ids they made",
    "UploadQueue": "notifications naming a document's key; the documents stay in the claims bucket",
    "UploadDLQ": "the same notifications, once they failed",
    "OutboxDLQ": "notes naming an outbox stream record that failed; the entry itself stays in the outbox table",
    "SiteBucket": "the published site, built again from the sources",
}


def test_given_a_deleted_or_replaced_stack_then_everything_holding_or_unlocking_customer_data_is_retained(
    template: dict[str, Any]
) -> None:
    kept = {}
    for kind in HOLDS_OR_UNLOCKS_DATA:
        for name, _props in _resources(template, kind).items():
            if name in HOLDS_NONE:
                continue
            resource = template["Resources"][name]
            kept[name] = (resource.get("DeletionPolicy"), resource.get("UpdateReplacePolicy"))
    assert {"DataKey", "DataKeyAlias", "ClaimsTable", "LedgerTable", "ApplicationsTable", "ClaimsBucket",
            "IntakeQueue"} <= set(kept)
    assert {name: policy for name, policy in kept.items() if policy != ("Retain", "Retain")} == {}
    # the key's deletion, should anyone schedule it by hand, waits the longest KMS allows
    assert template["Resources"]["DataKey"]["Properties"]["PendingWindowInDays"] == 30


def test_given_every_stateful_resource_then_cfn_lint_finds_its_deletion_and_replacement_said() -> None:
    """cfn-lint's I3011: a stateful resource without an explicit DeletionPolicy and UpdateReplacePolicy."""
    done = subprocess.run(
        [str(CFN_LINT), "--include-checks", "I3011", "--", str(TEMPLATE_PATH)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_given_the_uploads_then_guarddutys_malware_scan_tags_each_under_claims_with_a_role_of_this_bucket_only(
    template: dict[str, Any],
) -> None:
    (plan,) = _resources(template, "AWS::GuardDuty::MalwareProtectionPlan").values()
    assert plan["ProtectedResource"] == {"S3Bucket": {"BucketName": {"Ref": "ClaimsBucket"},
                                                      "ObjectPrefixes": ["claims/"]}}
    assert plan["Actions"] == {"Tagging": {"Status": "ENABLED"}}
    assert plan["Role"] == {"Fn::GetAtt": ["UploadScanRole", "Arn"]}
    role = template["Resources"]["UploadScanRole"]["Properties"]
    (trust,) = role["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"Service": "malware-protection-plan.guardduty.amazonaws.com"}
    statements = role["Policies"][0]["PolicyDocument"]["Statement"]
    for st in statements:
        resource = json.dumps(st["Resource"])
        assert "*" not in resource.replace("claims/*", "").replace("MalwareProtectionS3*", ""), st["Sid"]
    # the validator reads the scan's tag on the very version it judges
    validator = functions(template)["UploadValidatorFunction"]["Policies"][0]["Statement"]
    reads = next(st for st in validator if st["Sid"] == "ReadAndRemoveUploads")
    assert {"s3:GetObjectTagging", "s3:GetObjectVersionTagging"} <= set(reads["Action"])
