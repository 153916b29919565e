"""Staff sign-in: the desk's routes open to an ID token of the staff pool's claims-handlers group only.

Tokens are signed by moto's Cognito; the local API checks them as API Gateway's Cognito authorizer
does (signature against the pool's published keys, issuer, audience, expiry) and the function
checks the group. Each refusal is problem+json naming its reason.
"""

from __future__ import annotations

import base64
import gzip
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import moto.cognitoidp
import requests
from joserfc import jwt
from joserfc.jwk import RSAKey

from helpers.desk import file_claim, problem, sign_in
from helpers.devserver import RunningStack

# The key moto's Cognito signs every pool's tokens with (the private half of the JWKS it publishes).
MOTO_SIGNING_KEY = Path(moto.cognitoidp.__file__).with_name("resources") / "jwks-private.json.gz"


def _claims_of(token: str) -> dict[str, Any]:
    return dict(jwt.decode(token, _moto_key()).claims)


def _moto_key() -> RSAKey:
    return RSAKey.import_key(json.loads(gzip.decompress(MOTO_SIGNING_KEY.read_bytes())))


def _signed(claims: dict[str, Any], key: RSAKey | None = None) -> str:
    """A token signed as the pool signs its own (moto's key, its key id): only the claims differ."""
    return jwt.encode({"alg": "RS256", "kid": "dummy"}, claims, key or _moto_key())


def test_given_the_printed_password_when_the_handler_signs_in_then_the_desk_lists_claims(
    desk: Callable[..., requests.Response],
) -> None:
    listed = desk("GET", "/claims")
    assert listed.status_code == 200, listed.text[:300]
    assert listed.headers["Cache-Control"] == "no-store"
    assert listed.json()["status"] == "documents_received"


def test_given_no_token_or_a_malformed_one_then_the_gateway_refuses_with_problem_json(
    desk: Callable[..., requests.Response],
) -> None:
    for token in (None, "", "Bearer", "not.a.jwt", "a" * 10000):
        refused = desk("GET", "/claims", token=token)
        assert refused.status_code == 401, token
        body = problem(refused)
        assert body["type"].endswith("/sign-in-required") and body["reason"] == "Unauthorized"
        assert "サインイン" in body["title"]


def test_given_a_tampered_token_then_its_signature_fails_and_it_is_refused(
    desk: Callable[..., requests.Response], handler_token: str
) -> None:
    # the payload changed (another user name), the signature kept
    header, payload, signature = handler_token.split(".")
    claims = _claims_of(handler_token) | {"cognito:username": "someone-else"}
    forged_payload = jwt.encode({"alg": "RS256", "kid": "dummy"}, claims, _moto_key()).split(".")[1]
    assert desk("GET", "/claims", token=f"{header}.{forged_payload}.{signature}").status_code == 401
    # signed by a key the pool never published
    other_key = RSAKey.generate_key(2048, {"kid": "dummy"})
    refused = desk("GET", "/claims", token=_signed(_claims_of(handler_token), other_key))
    assert refused.status_code == 401 and problem(refused)["reason"] == "Unauthorized"
    # "none" algorithm: no signature at all
    none_header = base64.urlsafe_b64encode(b'{"alg":"none","kid":"dummy"}').decode().rstrip("=")
    assert desk("GET", "/claims", token=f"{none_header}.{payload}.").status_code == 401


def test_given_an_expired_token_then_it_is_refused_naming_the_expiry(
    desk: Callable[..., requests.Response], handler_token: str
) -> None:
    claims = _claims_of(handler_token)
    now = int(time.time())
    expired = _signed(claims | {"iat": now - 7200, "auth_time": now - 7200, "exp": now - 3600})
    refused = desk("GET", "/claims", token=expired)
    assert refused.status_code == 401
    assert problem(refused)["reason"] == "The incoming token has expired"
    # the same claims with a live expiry pass: only the expiry was refused
    assert desk("GET", "/claims", token=_signed(claims | {"exp": now + 600})).status_code == 200


def test_given_a_token_of_another_pool_another_client_or_an_access_token_then_it_is_refused(
    stack: RunningStack, desk: Callable[..., requests.Response], handler_token: str, cognito: Any
) -> None:
    claims = _claims_of(handler_token)
    other_issuer = claims["iss"].rsplit("/", 1)[0] + "/ap-northeast-1_other"
    assert desk("GET", "/claims", token=_signed(claims | {"iss": other_issuer})).status_code == 401
    assert desk("GET", "/claims", token=_signed(claims | {"aud": "another-app-client"})).status_code == 401
    # a real token of a second pool on the same Cognito, its own user in a group of the same name
    pool = cognito.create_user_pool(PoolName="elsewhere")["UserPool"]["Id"]
    client = cognito.create_user_pool_client(
        UserPoolId=pool, ClientName="x", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    cognito.create_group(UserPoolId=pool, GroupName="claims-handlers")
    cognito.admin_create_user(UserPoolId=pool, Username="intruder", MessageAction="SUPPRESS")
    cognito.admin_set_user_password(UserPoolId=pool, Username="intruder", Password="Other-pool-1!x", Permanent=True)
    cognito.admin_add_user_to_group(UserPoolId=pool, Username="intruder", GroupName="claims-handlers")
    elsewhere = cognito.initiate_auth(
        ClientId=client, AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "intruder", "PASSWORD": "Other-pool-1!x"},
    )["AuthenticationResult"]
    assert desk("GET", "/claims", token=elsewhere["IdToken"]).status_code == 401
    # the handler's own access token: the authorizer takes ID tokens (it asks for no scopes)
    access = sign_in(stack, stack.desk_user, stack.desk_password, token="AccessToken")
    assert desk("GET", "/claims", token=access).status_code == 401


def test_given_a_staff_member_outside_the_claims_handlers_group_then_the_desk_refuses_with_403(
    stack: RunningStack, desk: Callable[..., requests.Response], cognito: Any
) -> None:
    pool = stack.names["StaffUserPool"]
    cognito.admin_create_user(UserPoolId=pool, Username="reception", MessageAction="SUPPRESS")
    cognito.admin_set_user_password(UserPoolId=pool, Username="reception", Password="Reception-desk-1!", Permanent=True)
    token = sign_in(stack, "reception", "Reception-desk-1!")
    for path in ("/claims", "/claims/CL-4WXA-7P3C"):
        refused = desk("GET", path, token=token)
        assert refused.status_code == 403, path
        body = problem(refused)
        assert body["type"].endswith("/not-claims-staff") and "グループ" in body["detail"]


def test_given_claimant_and_staff_tokens_then_neither_opens_the_others_routes(
    stack: RunningStack, desk: Callable[..., requests.Response], handler_token: str
) -> None:
    filed = file_claim(stack)
    # the claim's access token is no staff sign-in
    assert desk("GET", "/claims", token=filed["access_token"]).status_code == 401
    assert desk("GET", f"/claims/{filed['claim_id']}", token=filed["access_token"]).status_code == 401
    # a staff token opens no claim on the claimant's side: that needs the claim's own token
    claim_url = f"{stack.base_url}/api/v1/claims/{filed['claim_id']}"
    assert requests.get(claim_url, headers={"Authorization": handler_token}, timeout=10).status_code == 404
    # sent as the claim's token, it is no claim token either (far longer than one)
    as_claim_token = requests.get(claim_url, headers={"X-Claim-Token": handler_token}, timeout=10)
    assert as_claim_token.status_code == 422 and "policy_number" not in as_claim_token.text
    upload_form = requests.post(
        f"{stack.base_url}/api/v1/claims/{filed['claim_id']}/documents",
        json={"doc_id": filed["documents"][0]["doc_id"], "file_name": "a.pdf", "content_type": "application/pdf",
              "size": 100},
        headers={"Authorization": handler_token}, timeout=10,
    )
    assert upload_form.status_code == 404


def test_given_refusals_then_the_logs_hold_no_token(stack: RunningStack, handler_token: str) -> None:
    assert handler_token not in stack.log()
    assert handler_token.split(".")[2] not in stack.log()
