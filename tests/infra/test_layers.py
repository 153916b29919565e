"""The services never import the resolver. make lint checks the layers themselves (lint-imports, the
contracts in pyproject.toml); an external package is checked whole there, and services may log with
Powertools, so its resolver is checked here, module by module."""

from __future__ import annotations

import ast
from pathlib import Path

SERVICES = Path(__file__).resolve().parents[2] / "functions" / "services"
RESOLVER = "aws_lambda_powertools.event_handler"


def _imported(source: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_given_every_service_module_when_its_imports_are_read_then_none_is_the_resolver() -> None:
    modules = sorted(SERVICES.glob("*.py"))
    assert {m.stem for m in modules} >= {"applications", "claims", "desk", "claim_views"}
    for module in modules:
        resolver = {n for n in _imported(module) if n == RESOLVER or n.startswith(RESOLVER + ".")}
        assert not resolver, f"{module.name} imports {sorted(resolver)}"


def test_given_a_module_importing_the_resolver_when_read_then_it_is_seen(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text("from aws_lambda_powertools.event_handler import Response\n", encoding="utf-8")
    assert f"{RESOLVER}.Response" in _imported(probe)
