"""Read infra/template.yaml as the local stack needs it: resources, routes, handlers and environment.

The SAM template is the one description of the system; the local stack reads names, keys, queues
and routes from it instead of repeating them. Intrinsics (!Ref, !GetAtt, !Sub, !If and the conditions)
are resolved against the local parameters, the other parameters' defaults and a fixed local account and region.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

TEMPLATE_PATH = Path(__file__).resolve().parents[2] / "infra" / "template.yaml"

LOCAL_STACK_NAME = "anshin-local"
LOCAL_REGION = "ap-northeast-1"
LOCAL_ACCOUNT = "123456789012"  # moto's default account
# The local stack stands for a deployment with a domain of its own, so that it sends e-mail (to moto's SES);
# the links in that e-mail point at the local server instead (devserver.stack).
LOCAL_PARAMETERS = {"SiteDomainName": "anshin.example.jp"}

_SHORT_GETATT = re.compile(r"^([A-Za-z0-9]+)\.(.+)$")
_SUB_VAR = re.compile(r"\$\{([^}!][^}]*)\}")
_NO_VALUE = object()  # what !Ref AWS::NoValue resolves to, before it is left out


class _CfnLoader(yaml.SafeLoader):
    """SafeLoader that turns CloudFormation short tags into their long form ({"Ref": ...}, {"Fn::Sub": ...})."""


def _intrinsic(loader: yaml.SafeLoader, tag_suffix: str, node: yaml.Node) -> dict[str, Any]:
    name = tag_suffix if tag_suffix in ("Ref", "Condition") else f"Fn::{tag_suffix}"
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
        if tag_suffix == "GetAtt":
            match = _SHORT_GETATT.match(str(value))
            value = [match.group(1), match.group(2)] if match else [value]
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    return {name: value}


_CfnLoader.add_multi_constructor("!", _intrinsic)


def load_template(path: Path = TEMPLATE_PATH) -> dict[str, Any]:
    """The template as plain data, intrinsics in their long form."""
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_CfnLoader)  # noqa: S506 - SafeLoader subclass
    if not isinstance(data, dict) or "Resources" not in data:
        raise ValueError(f"{path}: not a CloudFormation template")
    return data


@dataclass
class Resolver:
    """Resolves intrinsics for a local deployment of the template."""

    template: dict[str, Any]
    stack_name: str = LOCAL_STACK_NAME
    region: str = LOCAL_REGION
    account: str = LOCAL_ACCOUNT
    # Values given for the template's parameters (the rest take their defaults).
    parameters: dict[str, str] = field(default_factory=lambda: dict(LOCAL_PARAMETERS))
    # Physical names of resources the local stack created (logical id -> name, URL or ARN).
    refs: dict[str, str] = field(default_factory=dict)
    arns: dict[str, str] = field(default_factory=dict)
    streams: dict[str, str] = field(default_factory=dict)  # table logical id -> its stream's ARN

    def parameter(self, name: str) -> str:
        pseudo = {
            "AWS::StackName": self.stack_name,
            "AWS::Region": self.region,
            "AWS::AccountId": self.account,
            "AWS::Partition": "aws",
            "AWS::URLSuffix": "amazonaws.com",
        }
        if name in pseudo:
            return pseudo[name]
        if name in self.parameters:
            return self.parameters[name]
        params = self.template.get("Parameters", {})
        if name in params and "Default" in params[name]:
            return str(params[name]["Default"])
        if name in self.refs:
            return self.refs[name]
        raise KeyError(f"cannot resolve Ref {name!r} locally")

    def get_att(self, logical_id: str, attribute: str) -> str:
        if attribute == "Arn" and logical_id in self.arns:
            return self.arns[logical_id]
        if attribute == "StreamArn" and logical_id in self.streams:
            return self.streams[logical_id]
        raise KeyError(f"cannot resolve GetAtt {logical_id}.{attribute} locally")

    def condition(self, name: str) -> bool:
        """The value of one of the template's Conditions."""
        return self.truth(self.template.get("Conditions", {})[name])

    def truth(self, value: Any) -> bool:
        """The value of a condition expression (Fn::Equals, Fn::Not, Fn::And, Fn::Or, Condition)."""
        (key, arg), = value.items()
        if key == "Condition":
            return self.condition(str(arg))
        if key == "Fn::Equals":
            return bool(self.resolve(arg[0]) == self.resolve(arg[1]))
        if key == "Fn::Not":
            return not self.truth(arg[0])
        if key == "Fn::And":
            return all(self.truth(a) for a in arg)
        if key == "Fn::Or":
            return any(self.truth(a) for a in arg)
        raise KeyError(f"cannot evaluate condition {key!r} locally")

    def included(self, logical_id: str) -> bool:
        """Whether the resource is made with these parameters (its Condition, if any, holds)."""
        name = self.template["Resources"][logical_id].get("Condition")
        return name is None or self.condition(str(name))

    def broken_rules(self) -> list[str]:
        """The AssertDescription of each of the template's Rules these parameters break (CloudFormation refuses
        such a deployment before it changes anything)."""
        broken = []
        for rule in self.template.get("Rules", {}).values():
            if "RuleCondition" in rule and not self.truth(rule["RuleCondition"]):
                continue
            broken += [str(a.get("AssertDescription", a)) for a in rule["Assertions"] if not self.truth(a["Assert"])]
        return broken

    def resolve(self, value: Any) -> Any:
        """The value with its intrinsics resolved; what resolves to AWS::NoValue is left out of lists and maps."""
        if isinstance(value, list):
            return [v for v in (self.resolve(v) for v in value) if v is not _NO_VALUE]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            (key, arg), = value.items()
            if key == "Ref" and arg == "AWS::NoValue":
                return _NO_VALUE
            if key == "Ref":
                return self.parameter(str(arg))
            if key == "Fn::If":
                return self.resolve(arg[1] if self.condition(str(arg[0])) else arg[2])
            if key == "Fn::GetAtt":
                return self.get_att(str(arg[0]), str(arg[1]))
            if key == "Fn::Sub":
                return self._sub(arg)
            if key == "Fn::Join":
                return str(arg[0]).join(str(self.resolve(v)) for v in arg[1])
        resolved = {k: self.resolve(v) for k, v in value.items()}
        return {k: v for k, v in resolved.items() if v is not _NO_VALUE}

    def _sub(self, arg: Any) -> str:
        text, extra = (arg, {}) if isinstance(arg, str) else (arg[0], arg[1])

        def one(match: re.Match[str]) -> str:
            name = match.group(1)
            if name in extra:
                return str(self.resolve(extra[name]))
            if "." in name and not name.startswith("AWS::"):
                logical_id, attribute = name.split(".", 1)
                return self.get_att(logical_id, attribute)
            return self.parameter(name)

        return _SUB_VAR.sub(one, text)


@dataclass(frozen=True)
class Route:
    """One API event of a function: method and path as API Gateway matches them."""

    method: str  # GET, POST ... or ANY
    path: str  # /api/v1/claims/{claim_id}, /api/{proxy+}
    function: str  # logical id
    handler: str  # module.attr
    authorizer: str | None = None  # the API's authorizer the event names (Auth.Authorizer), if any

    @property
    def pattern(self) -> re.Pattern[str]:
        regex = ""
        for part in re.split(r"(\{[^}]+\})", self.path):
            if part.startswith("{") and part.endswith("+}"):
                regex += rf"(?P<{part[1:-2]}>.+)"
            elif part.startswith("{"):
                regex += rf"(?P<{part[1:-1]}>[^/]+)"
            else:
                regex += re.escape(part)
        return re.compile(f"^{regex}$")

    @property
    def greedy(self) -> bool:
        return "+}" in self.path


def functions(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        logical_id: resource.get("Properties", {})
        for logical_id, resource in template["Resources"].items()
        if resource.get("Type") == "AWS::Serverless::Function"
    }


def api_routes(template: dict[str, Any]) -> list[Route]:
    """Every Api event of every function, exact paths before greedy ones (as API Gateway prefers)."""
    routes = []
    for logical_id, props in functions(template).items():
        for event in props.get("Events", {}).values():
            if event.get("Type") != "Api":
                continue
            p = event["Properties"]
            authorizer = p.get("Auth", {}).get("Authorizer")
            routes.append(
                Route(str(p["Method"]).upper(), str(p["Path"]), logical_id, str(props["Handler"]), authorizer)
            )
    return sorted(routes, key=lambda r: (r.greedy, -r.path.count("/"), r.path.count("{"), r.path))


def event_consumers(template: dict[str, Any], event_type: str) -> list[tuple[str, str, dict[str, Any]]]:
    """(function logical id, handler, event properties) for each function fed by events of this type (SQS, or
    DynamoDB for a table's stream)."""
    out = []
    for logical_id, props in functions(template).items():
        for event in props.get("Events", {}).values():
            if event.get("Type") == event_type:
                out.append((logical_id, str(props["Handler"]), dict(event["Properties"])))
    return out


def sqs_consumers(template: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return event_consumers(template, "SQS")


def function_environment(template: dict[str, Any], logical_id: str, resolver: Resolver) -> dict[str, str]:
    """Globals' variables overlaid with the function's own, resolved."""
    merged: dict[str, Any] = {}
    merged.update(template.get("Globals", {}).get("Function", {}).get("Environment", {}).get("Variables", {}))
    merged.update(functions(template)[logical_id].get("Environment", {}).get("Variables", {}))
    return {k: str(resolver.resolve(v)) for k, v in merged.items()}


def resources_of_type(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {
        logical_id: resource.get("Properties", {})
        for logical_id, resource in template["Resources"].items()
        if resource.get("Type") == kind
    }
