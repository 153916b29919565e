"""Catalog entries as plain read-only objects, validated by pydantic models built from them on demand.

Each class of catalog/models.py is written once, as a `Record` with pydantic annotations, `Field(...)`
defaults and `@model_validator`s. Defining it costs what a plain class costs: a function serving the
catalog from its snapshot never builds a pydantic model. Validating products.yaml builds, once per process,
a pydantic model of each class (a subclass of it, so its methods, properties and isinstance checks hold
inside validators), validates, and turns the result into the records themselves.
"""

from __future__ import annotations

import types
import typing
import warnings
from collections.abc import Callable
from typing import Any, Self, dataclass_transform

from pydantic import BaseModel, ConfigDict, Field, create_model

# Unknown keys are refused; entries are read-only once loaded.
_CONFIG = ConfigDict(extra="forbid", frozen=True)
_MODELS: dict[type[Record], type[BaseModel]] = {}


@dataclass_transform(kw_only_default=True, frozen_default=True, field_specifiers=(Field,))
class Record:
    """A catalog entry: fields as attributes, read-only, equal by value. `Cls(**fields)` validates."""

    def __init__(self, **fields: Any) -> None:
        self.__dict__.update(validate(type(self), fields).__dict__)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only: {name} cannot be set")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only: {name} cannot be deleted")

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.__dict__ == self.__dict__

    def __hash__(self) -> int:
        return hash((type(self), *self.__dict__.values()))

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={value!r}" for name, value in self.__dict__.items())
        return f"{type(self).__name__}({fields})"

    def replace(self, **changes: Any) -> Self:
        """A copy with some fields changed, not validated (as pydantic's model_copy)."""
        return typing.cast(Self, _record(type(self), {**self.__dict__, **changes}))

    def to_dict(self) -> dict[str, Any]:
        """The fields as plain data, records nested inside included (as pydantic's model_dump)."""
        return typing.cast(dict[str, Any], _to_data(self))

    @classmethod
    def field_names(cls) -> list[str]:
        return list(typing.get_type_hints(cls))


def validate[R: Record](cls: type[R], data: Any) -> R:
    """`data` (a mapping, as read from YAML) checked by the pydantic model of `cls`, as records.

    Raises pydantic's ValidationError with the same locations and messages as a model written directly."""
    return typing.cast(R, _to_record(model_of(cls).model_validate(data)))


def model_of(cls: type[Record]) -> type[BaseModel]:
    """The pydantic model that validates `cls`: the same fields, defaults, constraints and validators,
    with each record type in an annotation replaced by its own model."""
    model = _MODELS.get(cls)
    if model is not None:
        return model
    hints = typing.get_type_hints(cls, include_extras=True)
    fields: dict[str, Any] = {
        name: (_validating(hint), getattr(cls, name, ...)) for name, hint in hints.items()
    }
    validators = {
        name: value
        for klass in reversed(cls.__mro__)
        for name, value in vars(klass).items()
        if type(value).__name__ == "PydanticDescriptorProxy"
    }
    with warnings.catch_warnings():
        # each field "shadows" the record's own class attribute holding its default: by design
        warnings.simplefilter("ignore", UserWarning)
        bases = (_Validating, cls)  # the record's methods and isinstance checks hold inside its validators
        model = create_model(
            cls.__name__, __base__=bases, __module__=cls.__module__, __doc__=cls.__doc__,  # type: ignore[arg-type]
            __validators__=validators, **fields,
        )
    model.__record__ = cls  # type: ignore[attr-defined]
    _MODELS[cls] = model
    return model


class _Validating(BaseModel):
    model_config = _CONFIG


def _validating(hint: Any) -> Any:
    """`hint` with every Record class in it replaced by its pydantic model."""
    if isinstance(hint, type) and issubclass(hint, Record):
        return model_of(hint)
    origin = typing.get_origin(hint)
    if origin is None:
        return hint
    args = typing.get_args(hint)
    if origin is typing.Annotated:
        return typing.Annotated[(_validating(args[0]), *hint.__metadata__)]  # type: ignore[misc]
    if origin is typing.Literal:
        return hint
    mapped = tuple(_validating(a) for a in args)
    if origin is typing.Union or origin is types.UnionType:
        return typing.Union[mapped]
    return types.GenericAlias(origin, mapped) if isinstance(hint, types.GenericAlias) else hint.copy_with(mapped)


def _to_record(value: Any) -> Any:
    """A validated model tree as records: each model becomes the record its model was built from."""
    return _rebuild(value, BaseModel, lambda model, fields: _record(model.__record__, fields))


def _to_data(value: Any) -> Any:
    """A record tree as plain data: each record becomes the mapping of its fields."""
    return _rebuild(value, Record, lambda _, fields: fields)


def _record(cls: type[Record], fields: dict[str, Any]) -> Record:
    record = object.__new__(cls)
    record.__dict__.update(fields)
    return record


def _rebuild(value: Any, node: type, make: Callable[[Any, dict[str, Any]], Any]) -> Any:
    """`value` with every `node` in it, in lists and mappings too, replaced by make(node, its rebuilt fields)."""
    if isinstance(value, node):
        return make(value, {name: _rebuild(item, node, make) for name, item in value.__dict__.items()})
    if isinstance(value, list):
        return [_rebuild(item, node, make) for item in value]
    if isinstance(value, dict):
        return {key: _rebuild(item, node, make) for key, item in value.items()}
    return value
