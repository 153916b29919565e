"""A request that is well-formed but cannot be answered, as the API will say it (unknown plan, no published
premium, a claim already decided ...): raised by the services and the routes, answered by the API as
application/problem+json (api.problems) with the code, the title and each field to put right."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


class DomainError(Exception):
    """A request that is well-formed but cannot be answered (unknown plan, no published premium ...)."""

    def __init__(
        self,
        code: str,
        title: str,
        *,
        status: int = 422,
        detail: str | None = None,
        errors: Sequence[Mapping[str, str]] = (),
        extensions: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.status = status
        self.code = code
        self.title = title
        self.detail = detail or title
        self.errors: list[dict[str, str]] = [dict(e) for e in errors]
        self.extensions = dict(extensions or {})  # more members of the problem (reasons, conditions ...)
        self.headers = dict(headers or {})  # e.g. Retry-After on a 503
        super().__init__(f"{code}: {self.detail}")

    @classmethod
    def field(cls, code: str, title: str, field: str, message: str, *, status: int = 422) -> DomainError:
        """The common case: one field is wrong and the message says why."""
        return cls(code, title, status=status, detail=message, errors=[{"field": field, "message": message}])


def field_error(code: str, field: str, message: str, status: int = 422) -> DomainError:
    """One field of the request is wrong; the message says how to put it right."""
    return DomainError.field(code, "入力内容に誤りがあります", field, message, status=status)
