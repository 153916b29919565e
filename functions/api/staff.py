"""Who may use the claims desk: the staff user pool's authorizer lets in any signed-in staff member (API
Gateway checks the ID token's signature, issuer and expiry and passes its claims on); this middleware lets
in only the claims-handlers group, which the authorizer does not check, and names the handler in the
context for the route."""

from __future__ import annotations

import os
import re
from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware

from domain.errors import DomainError

# The group whose members may use the desk (the template passes its name as STAFF_GROUP).
DEFAULT_STAFF_GROUP = "claims-handlers"


def _groups(raw: Any) -> set[str]:
    """The groups of the ID token, as API Gateway passes them: every claim is a string, a list of
    groups reads "a,b" or "[a b]"; the local authorizer passes the same."""
    if isinstance(raw, list):
        return {str(g) for g in raw}
    return {g for g in re.split(r"[\s,\[\]]+", str(raw or "")) if g}


def staff_only(app: Any, next_middleware: NextMiddleware) -> Response[str]:
    """Refuse anyone outside the claims-handlers group; otherwise put the staff member's name in context."""
    claims = app.current_event.request_context.authorizer.claims or {}
    group = os.environ.get("STAFF_GROUP", DEFAULT_STAFF_GROUP)
    name = str(claims.get("cognito:username") or "")
    if not name or group not in _groups(claims.get("cognito:groups")):
        raise DomainError(
            "not-claims-staff", "この操作はできません", status=403,
            detail="このアカウントは請求担当のグループに入っていません。管理者に確認してください。",
        )
    app.append_context(staff=name)
    return next_middleware(app)
