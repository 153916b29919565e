"""`make deploy [CONFIG_ENV=staging] [DOMAIN=… CERTIFICATE=…] [ALARM_EMAIL=…]`: one environment of
samconfig.toml, deployed without a question asked.

It prints what it will do, then stops with a clear message when no AWS credentials are configured;
with them it builds the functions (sam build) and the site, deploys the web ACL in us-east-1 and the
stack with it, tagged with what it ships (the runtime's Python, each package's locked version and the
commit: deploy.shipped), uploads the site to the stack's bucket and invalidates CloudFront's copies.
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
import time
from typing import Any

from deploy.environments import (
    OPERATOR_PARAMETERS,
    ROOT,
    SAM,
    Environment,
    UnknownEnvironment,
    environment,
    override_args,
)
from deploy.shipped import shipped_versions, source_commit, tag_args
from deploy.site_upload import invalidate, upload_site
from devserver.stack import SITE_DIR
from devserver.template import Resolver, load_template

# Where `sam build` (run from the root, as samconfig.toml's environments are) writes the packages.
BUILD_DIR = ROOT / ".aws-sam" / "build"

NO_CREDENTIALS = """
Stopped: no AWS credentials were found, so nothing was built or deployed.
Sign in first, then run the same command again:
  aws sso login --profile NAME   and   AWS_PROFILE=NAME make deploy ...
  or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN) in the environment."""


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="make deploy", description=__doc__.split("\n\n")[0])
    parser.add_argument("config_env", nargs="?", default="staging", help="an environment of samconfig.toml")
    parser.add_argument("--domain", help="the site's own host name (SiteDomainName)")
    parser.add_argument("--certificate", help="its ACM certificate in us-east-1 (SiteCertificateArn)")
    parser.add_argument("--alarm-email", help="where alarms are mailed (AlarmEmail)")
    return parser.parse_args(argv)


def given_parameters(args: argparse.Namespace) -> dict[str, str]:
    return {name: str(getattr(args, key)) for key, name in OPERATOR_PARAMETERS.items()
            if getattr(args, key) is not None}


def stack_parameters(env: Environment, given: dict[str, str], deployed: dict[str, str]) -> dict[str, str]:
    """What the stack is deployed with (but its web ACL): the environment's own parameters, and each operator
    parameter as given, else as the deployed stack has it (none for a new stack)."""
    kept = {name: deployed[name] for name in OPERATOR_PARAMETERS.values() if name in deployed and name not in given}
    return {**env.app.parameters, **kept, **given}


def plan(env: Environment, given: dict[str, str]) -> list[str]:
    """The steps, each with the command it runs, as printed before anything is done."""
    app, edge = env.app, env.edge
    sam = os.path.relpath(SAM, ROOT)
    shown = {**app.parameters, "CloudFrontWebAclArn": f"<WebAclArn of {edge.name}>"}
    for name in OPERATOR_PARAMETERS.values():
        shown[name] = given.get(name, "<as deployed, none for a new stack>")
    domain = given.get("SiteDomainName")
    address = (f"https://{domain}" if domain else
               "the stack's own domain if it has one, else its cloudfront.net address (and then no e-mail is sent)")
    return [
        f"make deploy: environment {env.name!r} (samconfig.toml)",
        f"  1. build the functions:  {sam} build --config-env {app.config_env}",
        f"  2. build the site:       python -m sitegen build  (into {os.path.relpath(SITE_DIR, ROOT)}/)",
        f"  3. web ACL stack {edge.name} in {edge.region}:  {sam} deploy --config-env {edge.config_env}",
        f"  4. stack {app.name} in {app.region}:  {sam} deploy --config-env {app.config_env} --parameter-overrides "
        + shlex.join(override_args(shown)),
        "     tagged " + " ".join(f"{k}={v}" for k, v in app.tags.items())
        + " python=<built> package:<name>=<locked version>… source=<commit>",
        "  5. upload the site to the stack's SiteBucketName (assets first; pages no longer built are removed)",
        "  6. invalidate the stack's DistributionId (/*) and wait for it",
        f"  site address: {address}",
    ]


def _described(cloudformation: Any, stack: str) -> dict[str, Any]:
    """The stack as CloudFormation describes it; empty when it does not exist yet."""
    try:
        (found,) = cloudformation.describe_stacks(StackName=stack)["Stacks"]
    except cloudformation.exceptions.ClientError as exc:
        if "does not exist" in str(exc):
            return {}
        raise
    return dict(found)


def _outputs(cloudformation: Any, stack: str) -> dict[str, str]:
    return {o["OutputKey"]: o["OutputValue"] for o in _described(cloudformation, stack).get("Outputs", [])}


def _deployed_parameters(cloudformation: Any, stack: str) -> dict[str, str]:
    parameters = _described(cloudformation, stack).get("Parameters", [])
    return {p["ParameterKey"]: p.get("ParameterValue", "") for p in parameters}


def _run(step: str, command: list[str]) -> None:
    print(f"\n== {step}: {shlex.join(command)}", flush=True)
    subprocess.run(command, cwd=ROOT, check=True, env={"SAM_CLI_TELEMETRY": "0", **os.environ})  # noqa: S603 - our own commands


def deploy(env: Environment, given: dict[str, str], session: Any) -> int:
    app, edge = env.app, env.edge
    cloudformation = session.client("cloudformation", region_name=app.region)
    parameters = stack_parameters(env, given, _deployed_parameters(cloudformation, app.name))
    broken = Resolver(load_template(), parameters=parameters).broken_rules()
    if broken:
        print("Stopped before any change: " + " ".join(broken), file=sys.stderr)
        return 2
    _run("1. build the functions", [str(SAM), "build", "--config-env", app.config_env])
    _run("2. build the site", [sys.executable, "-m", "sitegen", "build"])
    _run("3. web ACL", [str(SAM), "deploy", "--config-env", edge.config_env])
    web_acl = _outputs(session.client("cloudformation", region_name=edge.region), edge.name)["WebAclArn"]
    parameters["CloudFrontWebAclArn"] = web_acl
    tags = {**app.tags, **shipped_versions(BUILD_DIR), "source": source_commit(ROOT)}
    _run("4. stack", [str(SAM), "deploy", "--config-env", app.config_env,
                      "--parameter-overrides", *override_args(parameters), "--tags", *tag_args(tags)])
    outputs = _outputs(cloudformation, app.name)
    print(f"\n== 5. upload the site to {outputs['SiteBucketName']}", flush=True)
    uploaded = upload_site(session.client("s3", region_name=app.region), outputs["SiteBucketName"], SITE_DIR)
    print(f"   {uploaded.files} files, {uploaded.size / 1e6:.2f} MB; removed {len(uploaded.removed)} old pages")
    cloudfront = session.client("cloudfront")
    print(f"\n== 6. invalidate {outputs['DistributionId']}", flush=True)
    request = invalidate(cloudfront, outputs["DistributionId"], f"make-deploy-{time.time_ns()}")
    cloudfront.get_waiter("invalidation_completed").wait(DistributionId=outputs["DistributionId"], Id=request)
    print(f"\nDeployed {env.name}: {outputs['SiteUrl']}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    try:
        env = environment(args.config_env)
    except UnknownEnvironment as exc:
        print(f"Stopped: {exc}", file=sys.stderr)
        return 2
    given = given_parameters(args)
    print("\n".join(plan(env, given)), flush=True)

    import boto3  # after the plan: printing it needs no AWS library

    session = boto3.session.Session(region_name=env.app.region)
    if session.get_credentials() is None:
        print(NO_CREDENTIALS, file=sys.stderr)
        return 2
    identity = session.client("sts").get_caller_identity()
    print(f"\nAccount {identity['Account']}, signed in as {identity['Arn']}", flush=True)
    try:
        return deploy(env, given, session)
    except subprocess.CalledProcessError as exc:
        print(f"\nStopped: {shlex.join(exc.cmd)} failed (exit {exc.returncode}); the steps before it stand.",
              file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
