"""`make deploy`: the environments of samconfig.toml as sam reads them, the dry run without credentials,
the parameters a deploy passes, and the site upload and invalidation on moto."""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

import deploy.__main__ as deploy_main
from deploy.environments import ROOT, SAM, environments, override_args
from deploy.shipped import MixedVersions, shipped_versions, source_commit
from deploy.site_upload import invalidate, upload_site
from devserver.template import Resolver, load_template

CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/4f1c2a9e"
WEB_ACL = "arn:aws:wafv2:us-east-1:123456789012:global/webacl/anshin-site/0a1b2c3d"


def _without_credentials(tmp_path: Path) -> dict[str, str]:
    """This environment with every way to AWS credentials closed (no variables, files or instance role)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_CONFIG_FILE=str(tmp_path / "no-config"), AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "no-creds"),
               AWS_EC2_METADATA_DISABLED="true", SAM_CLI_TELEMETRY="0")
    return env


def test_given_samconfig_then_staging_and_production_each_have_their_stack_in_tokyo_and_web_acl_in_us_east_1() -> None:
    known = environments()
    assert set(known) == {"staging", "production"}
    names = [s.name for env in known.values() for s in (env.app, env.edge)]
    assert len(set(names)) == 4  # no two environments share a stack
    template_parameters = set(load_template()["Parameters"])
    for env in known.values():
        assert env.app.region == "ap-northeast-1" and env.edge.region == "us-east-1", env.name
        assert set(env.app.parameters) <= template_parameters, env.name
        # nothing account-specific or placeholder is kept in the file
        assert not {"SiteDomainName", "SiteCertificateArn", "CloudFrontWebAclArn"} & set(env.app.parameters)
    # a new account has 10 concurrent executions in all: staging reserves none for claims
    assert known["staging"].app.parameters["ClaimsReservedConcurrency"] == "0"


def test_given_an_edge_environment_when_sam_reads_samconfig_then_it_deploys_the_edge_template_in_us_east_1(
    tmp_path: Path,
) -> None:
    done = subprocess.run([str(SAM), "deploy", "--config-env", "staging-edge", "--debug"], cwd=ROOT,
                          env=_without_credentials(tmp_path), capture_output=True, text=True, timeout=300, check=False)
    out = done.stdout + done.stderr
    assert done.returncode != 0 and "Unable to locate credentials" in out  # stopped at AWS, not before
    assert f"Using SAM Template at {ROOT / 'infra' / 'edge.yaml'}" in out
    assert "--stack_name=anshin-staging-edge" in out and "Region                       : us-east-1" in out


def test_given_no_aws_credentials_when_make_deploy_runs_then_it_prints_the_plan_and_stops_having_done_nothing(
    tmp_path: Path,
) -> None:
    built = (ROOT / ".aws-sam").exists()
    done = subprocess.run(
        ["make", "-s", "deploy", "CONFIG_ENV=production", "DOMAIN=anshin.example.jp", f"CERTIFICATE={CERTIFICATE}"],
        cwd=ROOT, env=_without_credentials(tmp_path), capture_output=True, text=True, timeout=300, check=False,
    )
    assert done.returncode != 0
    plan = done.stdout
    assert "environment 'production'" in plan
    assert ".sam-venv/bin/sam build --config-env production" in plan
    assert "web ACL stack anshin-production-edge in us-east-1" in plan
    assert "stack anshin-production in ap-northeast-1" in plan
    assert f"SiteDomainName=anshin.example.jp SiteCertificateArn={CERTIFICATE}" in plan
    assert "tagged project=anshin environment=production python=<built> package:<name>=<locked version>" in plan
    assert "'AlarmEmail=<as deployed, none for a new stack>'" in plan
    assert "upload the site" in plan and "invalidate" in plan
    assert "site address: https://anshin.example.jp" in plan
    assert "no AWS credentials were found, so nothing was built or deployed" in done.stderr
    assert "AWS_PROFILE=NAME make deploy" in done.stderr
    assert (ROOT / ".aws-sam").exists() == built


def test_given_an_unknown_environment_when_make_deploy_runs_then_it_names_the_known_ones(tmp_path: Path) -> None:
    done = subprocess.run(["make", "-s", "deploy", "CONFIG_ENV=prod"], cwd=ROOT, env=_without_credentials(tmp_path),
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode != 0
    assert "no environment 'prod' in samconfig.toml; known: production, staging" in done.stderr
    assert "make deploy: environment" not in done.stdout


def test_given_the_operators_parameters_then_those_given_win_and_the_rest_are_kept_from_the_deployed_stack() -> None:
    production = environments()["production"]
    deployed = {"SiteDomainName": "anshin.example.jp", "SiteCertificateArn": CERTIFICATE,
                "AlarmEmail": "alarms@example.jp", "CloudFrontWebAclArn": WEB_ACL, "LogRetentionDays": "400"}
    # nothing given: the site keeps its domain (sam deploy would otherwise put back the empty default)
    kept = deploy_main.stack_parameters(production, {}, deployed)
    assert kept == {"SiteDomainName": "anshin.example.jp", "SiteCertificateArn": CERTIFICATE,
                    "AlarmEmail": "alarms@example.jp"}
    assert Resolver(load_template(), parameters=kept).broken_rules() == []
    moved = deploy_main.stack_parameters(production, {"AlarmEmail": "desk@example.jp"}, deployed)
    assert moved["AlarmEmail"] == "desk@example.jp" and moved["SiteDomainName"] == "anshin.example.jp"
    # a new stack given a domain without its certificate: refused before any change
    new = deploy_main.stack_parameters(production, {"SiteDomainName": "anshin.example.jp"}, {})
    assert Resolver(load_template(), parameters=new).broken_rules() == [
        "SiteDomainName needs SiteCertificateArn, its ACM certificate in us-east-1."
    ]
    staging = deploy_main.stack_parameters(environments()["staging"], {}, {})
    assert staging == {"ClaimsReservedConcurrency": "0"}


def test_given_parameters_with_an_empty_one_when_sam_reads_the_overrides_then_each_comes_through_as_given() -> None:
    parameters = {"ClaimsReservedConcurrency": "0", "SiteDomainName": "", "SiteCertificateArn": "",
                  "CloudFrontWebAclArn": WEB_ACL, "AlarmEmail": "alarms@example.jp"}
    code = ("import json, sys; from samcli.cli.types import CfnParameterOverridesType as T;"
            "print(json.dumps(T().convert(tuple(sys.argv[1:]), None, None)))")
    done = subprocess.run([str(SAM.parent / "python"), "-c", code, *override_args(parameters)],
                          capture_output=True, text=True, timeout=120, check=True)
    assert json.loads(done.stdout) == parameters


# --- the site in its bucket ---------------------------------------------------------------------------


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_DEFAULT_REGION": "ap-northeast-1"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        yield boto3.session.Session(region_name="ap-northeast-1")


HOME = "<!doctype html><title>トップ</title>"


def _site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    for path, text in {"404.html": "<p>見つかりません</p>", "index.html": HOME,
                       "products/and-me/index.html": "<p>と</p>", "assets/app.3f9a1c2e.min.js": "var a;",
                       "assets/site.0b1c2d3e.min.css": "p{}",
                       "sitemap.xml": "<urlset/>", "search/search_index.json": "{}"}.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(text, encoding="utf-8")
    return site


def test_given_a_built_site_when_uploaded_then_assets_go_first_with_their_types_and_only_old_pages_are_removed(
    aws: Any, tmp_path: Path
) -> None:
    s3 = aws.client("s3")
    s3.create_bucket(Bucket="site", CreateBucketConfiguration={"LocationConstraint": "ap-northeast-1"})
    for old in ("faq/old/index.html", "assets/app.11111111.min.js"):
        s3.put_object(Bucket="site", Key=old, Body=b"old")
    order: list[str] = []
    s3.meta.events.register("before-call.s3.PutObject", lambda params, **_: order.append(params["url_path"]))

    uploaded = upload_site(s3, "site", _site(tmp_path))

    assert uploaded.files == 7 and uploaded.removed == ["faq/old/index.html"]
    assert [p.rsplit("/", 1)[-1] for p in order[:2]] == ["app.3f9a1c2e.min.js", "site.0b1c2d3e.min.css"]
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket="site")["Contents"]}
    assert keys == {"404.html", "index.html", "products/and-me/index.html", "assets/app.3f9a1c2e.min.js", "sitemap.xml",
                    "assets/site.0b1c2d3e.min.css", "search/search_index.json", "assets/app.11111111.min.js"}
    types = {k: s3.head_object(Bucket="site", Key=k)["ContentType"] for k in keys}
    assert types["index.html"] == "text/html; charset=utf-8"
    assert types["assets/site.0b1c2d3e.min.css"] == "text/css; charset=utf-8"
    assert types["assets/app.3f9a1c2e.min.js"].endswith("javascript; charset=utf-8")
    assert types["search/search_index.json"] == "application/json; charset=utf-8"
    assert s3.get_object(Bucket="site", Key="index.html")["Body"].read().decode() == HOME


def test_given_no_built_site_when_uploaded_then_nothing_is_put_or_removed(aws: Any, tmp_path: Path) -> None:
    s3 = aws.client("s3")
    s3.create_bucket(Bucket="site", CreateBucketConfiguration={"LocationConstraint": "ap-northeast-1"})
    s3.put_object(Bucket="site", Key="index.html", Body=b"live")
    with pytest.raises(FileNotFoundError):
        upload_site(s3, "site", tmp_path / "empty")
    assert s3.get_object(Bucket="site", Key="index.html")["Body"].read() == b"live"


def _distribution(cloudfront: Any) -> str:
    """A distribution of the site bucket on moto; its id."""
    origin = {"Id": "site", "DomainName": "site-bucket.s3.amazonaws.com",
              "S3OriginConfig": {"OriginAccessIdentity": ""}}
    return str(cloudfront.create_distribution(DistributionConfig={
        "CallerReference": "deploy", "Comment": "", "Enabled": True, "Origins": {"Quantity": 1, "Items": [origin]},
        "DefaultCacheBehavior": {"TargetOriginId": "site", "ViewerProtocolPolicy": "redirect-to-https",
                                 "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6"},
    })["Distribution"]["Id"])


def test_given_a_distribution_when_invalidated_then_every_path_is_asked_for_once(aws: Any) -> None:
    cloudfront = aws.client("cloudfront")
    distribution = _distribution(cloudfront)
    request = invalidate(cloudfront, distribution, "make-deploy-1")
    found = cloudfront.get_invalidation(DistributionId=distribution, Id=request)["Invalidation"]
    assert found["InvalidationBatch"]["Paths"]["Items"] == ["/*"]
    assert found["InvalidationBatch"]["CallerReference"] == "make-deploy-1"


# --- what a deploy ships, as the stack's tags ----------------------------------------------------------

CATALOG_VERSIONS = "# python3.13.0\npydantic==2.13.5\npydantic-core==2.46.5\n"


def _built(tmp_path: Path, packages: dict[str, str]) -> Path:
    """A build folder as `sam build` leaves it, each package with the versions file its Makefile writes."""
    for logical_id, versions in packages.items():
        (tmp_path / "build" / logical_id).mkdir(parents=True)
        (tmp_path / "build" / logical_id / "package-versions.txt").write_text(versions, encoding="utf-8")
    return tmp_path / "build"


def test_given_two_packages_with_one_version_each_then_the_tags_hold_it_and_with_two_versions_nothing_is_deployed(
    tmp_path: Path,
) -> None:
    validator = CATALOG_VERSIONS + "pypdf==7.1.1\n"
    built = _built(tmp_path / "one", {"CatalogApiFunction": CATALOG_VERSIONS, "UploadValidatorFunction": validator})
    assert shipped_versions(built) == {"python": "3.13.0", "package:pydantic": "2.13.5",
                                       "package:pydantic-core": "2.46.5", "package:pypdf": "7.1.1"}
    mixed = _built(tmp_path / "two", {"CatalogApiFunction": CATALOG_VERSIONS,
                                      "UploadValidatorFunction": validator.replace("2.13.5", "2.12.0")})
    with pytest.raises(MixedVersions, match=re.escape("package:pydantic: 2.13.5 and 2.12.0")):
        shipped_versions(mixed)
    with pytest.raises(FileNotFoundError, match="run sam build first"):
        shipped_versions(tmp_path / "none")


def test_given_the_work_tree_then_the_source_tag_is_its_commit_marked_when_changed(tmp_path: Path) -> None:
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.jp"]
    subprocess.run([*git, "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "a.txt").write_text("1", encoding="utf-8")
    subprocess.run([*git, "-C", str(tmp_path), "add", "a.txt"], check=True)
    subprocess.run([*git, "-C", str(tmp_path), "commit", "-q", "-m", "a"], check=True)
    head = subprocess.run(["git", "-C", str(tmp_path), "rev-parse", "HEAD"], capture_output=True, text=True,
                          check=True).stdout.strip()
    assert source_commit(tmp_path) == head
    (tmp_path / "a.txt").write_text("2", encoding="utf-8")
    assert source_commit(tmp_path) == f"{head}+changes"


# --- a whole deploy, sam's own runs recorded (sam build itself is tested in test_sam_build) ----------------

STACK_AS_DEPLOYED = """
Parameters:
  SiteDomainName: {Type: String, Default: anshin.example.jp}
  SiteCertificateArn: {Type: String, Default: %s}
  AlarmEmail: {Type: String, Default: alarms@example.jp}
Resources:
  Topic: {Type: AWS::SNS::Topic}
Outputs:
  SiteBucketName: {Value: site-bucket}
  DistributionId: {Value: %s}
  SiteUrl: {Value: https://anshin.example.jp}
"""
EDGE_AS_DEPLOYED = f"""
Resources:
  Topic: {{Type: AWS::SNS::Topic}}
Outputs:
  WebAclArn: {{Value: "{WEB_ACL}"}}
"""


def test_given_credentials_when_production_is_deployed_then_it_builds_deploys_with_the_kept_domain_and_fills_the_site(
    aws: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    s3 = aws.client("s3")
    s3.create_bucket(Bucket="site-bucket", CreateBucketConfiguration={"LocationConstraint": "ap-northeast-1"})
    cloudfront = aws.client("cloudfront")
    distribution = _distribution(cloudfront)
    aws.client("cloudformation").create_stack(StackName="anshin-production",
                                              TemplateBody=STACK_AS_DEPLOYED % (CERTIFICATE, distribution))
    aws.client("cloudformation", region_name="us-east-1").create_stack(StackName="anshin-production-edge",
                                                                       TemplateBody=EDGE_AS_DEPLOYED)
    ran: list[list[str]] = []
    monkeypatch.setattr(deploy_main, "_run", lambda step, command: ran.append(command))
    monkeypatch.setattr(deploy_main, "SITE_DIR", _site(tmp_path))
    monkeypatch.setattr(deploy_main, "BUILD_DIR", _built(tmp_path, {"CatalogApiFunction": CATALOG_VERSIONS}))

    assert deploy_main.deploy(environments()["production"], {"AlarmEmail": "desk@example.jp"}, aws) == 0

    sam = str(SAM)
    assert ran[0] == [sam, "build", "--config-env", "production"]
    assert ran[1][1:] == ["-m", "sitegen", "build"]
    assert ran[2] == [sam, "deploy", "--config-env", "production-edge"]
    assert ran[3] == [sam, "deploy", "--config-env", "production", "--parameter-overrides",
                      "SiteDomainName=anshin.example.jp", f"SiteCertificateArn={CERTIFICATE}",
                      "AlarmEmail=desk@example.jp", f"CloudFrontWebAclArn={WEB_ACL}",
                      "--tags", "project=anshin", "environment=production", "python=3.13.0",
                      "package:pydantic=2.13.5", "package:pydantic-core=2.46.5", f"source={source_commit(ROOT)}"]
    assert len(ran) == 4
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket="site-bucket")["Contents"]}
    assert "index.html" in keys and len(keys) == 7
    (made,) = cloudfront.list_invalidations(DistributionId=distribution)["InvalidationList"]["Items"]
    assert made["Status"] == "Completed"
    assert "Deployed production: https://anshin.example.jp" in capsys.readouterr().out


def test_given_credentials_when_a_domain_comes_without_its_certificate_then_nothing_is_built_or_deployed(
    aws: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    ran: list[list[str]] = []
    monkeypatch.setattr(deploy_main, "_run", lambda step, command: ran.append(command))
    given = {"SiteDomainName": "anshin.example.jp"}
    assert deploy_main.deploy(environments()["staging"], given, aws) == 2  # a new stack: no certificate to keep
    assert ran == []
    assert "SiteDomainName needs SiteCertificateArn" in capsys.readouterr().err
