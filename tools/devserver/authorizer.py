"""The staff routes' Cognito authorizer, as API Gateway runs it, against the local user pool on moto.

A route whose event names an authorizer (`Auth: {Authorizer: StaffAuthorizer}`) gets here first.
The ID token in the Authorization header must be signed by a key the pool publishes (moto's JWKS
endpoint, fetched once), issued by the pool, meant for one of its app clients, an ID token (the
authorizer names no scopes) and unexpired. Then its claims reach the function under
`requestContext.authorizer.claims`, every value a string as API Gateway passes them. Otherwise the
request never reaches the function: the template's UNAUTHORIZED gateway response answers, with
API Gateway's own message ("Unauthorized", or "The incoming token has expired").

Stricter than API Gateway in one point: it also checks the audience against the pool's app
clients, which API Gateway's REST authorizer leaves to the pool (one client here).
"""

from __future__ import annotations

import json
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from joserfc import jwt
from joserfc.errors import ExpiredTokenError, JoseError
from joserfc.jwk import KeySet

UNAUTHORIZED = "Unauthorized"
EXPIRED = "The incoming token has expired"
MAX_TOKEN = 8192  # a Cognito ID token is 1-2 KB; anything far larger is not one


class Refused(Exception):
    """The request is refused before the function runs; `message` is API Gateway's."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class CognitoAuthorizer:
    pool_id: str
    region: str
    endpoint: str  # moto's, which serves the pool's JWKS as Cognito does
    client_ids: frozenset[str]
    _keys: KeySet | None = field(default=None, repr=False)

    @property
    def issuer(self) -> str:
        return f"https://cognito-idp.{self.region}.amazonaws.com/{self.pool_id}"

    def keys(self) -> KeySet:
        if self._keys is None:
            url = f"{self.endpoint}/{self.pool_id}/.well-known/jwks.json"
            with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310 - the local moto endpoint
                self._keys = KeySet.import_key_set(json.load(answer))
        return self._keys

    def claims(self, header: str | None, now: float | None = None) -> dict[str, str]:
        """The token's claims as API Gateway hands them to the function; Refused when it would refuse."""
        token = (header or "").strip()
        if not token or len(token) > MAX_TOKEN:
            raise Refused(UNAUTHORIZED)
        try:
            decoded = jwt.decode(token, self.keys(), algorithms=["RS256"])
            jwt.JWTClaimsRegistry(
                now=int(now if now is not None else time.time()),
                iss={"essential": True, "value": self.issuer},
                aud={"essential": True, "values": sorted(self.client_ids)},
                token_use={"essential": True, "value": "id"},
                exp={"essential": True},
            ).validate(decoded.claims)
        except ExpiredTokenError:
            raise Refused(EXPIRED) from None
        except (JoseError, ValueError, TypeError):
            raise Refused(UNAUTHORIZED) from None
        return {name: _as_string(name, value) for name, value in decoded.claims.items()}


def _as_string(name: str, value: Any) -> str:
    if name in ("exp", "iat", "auth_time") and isinstance(value, int):
        return datetime.fromtimestamp(value, UTC).strftime("%a %b %d %H:%M:%S UTC %Y")
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def gateway_response(
    responses: dict[str, Any], response_type: str, message: str
) -> tuple[int, dict[str, str], bytes]:
    """The API's gateway response of this type (its GatewayResponses in the template), with
    $context.error.messageString filled in."""
    spec = responses.get(response_type)
    if spec is None:  # API Gateway's default
        return 401, {"Content-Type": "application/json"}, json.dumps({"message": message}).encode()
    parameters = spec.get("ResponseParameters", {}).get("Headers", {})
    headers = {name: str(value).strip("'") for name, value in parameters.items()}
    body = str(spec.get("ResponseTemplates", {}).get("application/json", ""))
    body = body.replace("$context.error.messageString", json.dumps(message))
    return int(spec.get("StatusCode", 401)), headers, body.encode("utf-8")
