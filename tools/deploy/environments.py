"""The environments of samconfig.toml, and what one deploy of an environment will run, in order.

`sam` reads samconfig.toml itself (--config-env); this reads the same file only to name the stacks,
regions and parameters in the plan, and to merge the parameters given on the command line into the
environment's own (sam takes --parameter-overrides whole, in place of the file's).
"""

from __future__ import annotations

import shlex
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SAMCONFIG = ROOT / "samconfig.toml"
# aws-sam-cli in a venv of its own (it pins many packages); scripts/setup.sh installs it.
SAM = ROOT / ".sam-venv" / "bin" / "sam"
EDGE_SUFFIX = "-edge"

# Parameters an operator gives (DOMAIN=, CERTIFICATE=, ALARM_EMAIL=): when one is not given, the deployed
# stack's value is kept, since sam deploy would otherwise put back the template's default (an empty domain
# would take the site off its address).
OPERATOR_PARAMETERS = {"domain": "SiteDomainName", "certificate": "SiteCertificateArn", "alarm_email": "AlarmEmail"}


class UnknownEnvironment(ValueError):
    pass


@dataclass(frozen=True)
class Stack:
    config_env: str
    name: str
    region: str
    parameters: dict[str, str] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Environment:
    name: str
    app: Stack
    edge: Stack


def parse_overrides(text: str) -> dict[str, str]:
    """`Key=Value Key2="Value 2"` (sam's parameter_overrides) as a mapping."""
    pairs = (item.split("=", 1) for item in shlex.split(text))
    return {key: value for key, value in pairs}


def override_args(parameters: dict[str, str]) -> list[str]:
    """sam deploy's --parameter-overrides values, one argument each (sam reads an empty value only quoted)."""
    return [f"{key}={value}" if value else f'{key}=""' for key, value in parameters.items()]


def _stack(config: dict[str, Any], config_env: str) -> Stack:
    deploy = config.get(config_env, {}).get("deploy", {}).get("parameters", {})
    if not deploy.get("stack_name") or not deploy.get("region"):
        raise UnknownEnvironment(f"samconfig.toml has no [{config_env}.deploy.parameters] with stack_name and region")
    return Stack(config_env, str(deploy["stack_name"]), str(deploy["region"]),
                 parse_overrides(str(deploy.get("parameter_overrides", ""))),
                 parse_overrides(str(deploy.get("tags", ""))))


def environments(path: Path = SAMCONFIG) -> dict[str, Environment]:
    """Every environment with both its stacks (`name` and `name-edge`) in the file."""
    config = tomllib.loads(path.read_text(encoding="utf-8"))
    names = [n for n in config if isinstance(config[n], dict) and not n.endswith(EDGE_SUFFIX)
             and "deploy" in config[n] and f"{n}{EDGE_SUFFIX}" in config]
    return {n: Environment(n, _stack(config, n), _stack(config, f"{n}{EDGE_SUFFIX}")) for n in names}


def environment(name: str, path: Path = SAMCONFIG) -> Environment:
    known = environments(path)
    if name not in known:
        raise UnknownEnvironment(f"no environment {name!r} in samconfig.toml; known: {', '.join(sorted(known))}")
    return known[name]
