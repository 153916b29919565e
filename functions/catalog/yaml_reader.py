"""Reading products.yaml: dates kept as text for the model to check, repeated keys refused."""

from __future__ import annotations

from typing import Any

import yaml

# libyaml's parser is ten times faster than the pure-Python one (cold starts, the tests); same results.
_BASE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _NoDatesLoader(_BASE_LOADER):  # type: ignore[misc]
    """YAML loader that keeps dates as text so the model checks them (and reports 2025-02-30 by path).

    It also refuses a key given twice in one mapping: plain YAML keeps the last one silently, which
    would hide a figure typed twice with two different values.
    """

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        seen: set[str] = set()
        for key_node, _ in node.value:
            # Keys are plain scalars here; comparing their text avoids building every key twice.
            if isinstance(key_node, yaml.ScalarNode):
                if key_node.value in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"duplicate key {key_node.value!r} in one mapping", key_node.start_mark
                    )
                seen.add(key_node.value)
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        return mapping


_NoDatesLoader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in _BASE_LOADER.yaml_implicit_resolvers.items()
}


def read_yaml(text: str) -> Any:
    return yaml.load(text, Loader=_NoDatesLoader)  # noqa: S506 - a SafeLoader subclass
