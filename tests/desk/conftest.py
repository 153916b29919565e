"""The claims desk on the local stack as `make run` starts it: moto's Cognito signs the staff tokens,
the local API checks them as API Gateway's authorizer would, claims are filed and uploaded through
the claimant's routes and the bucket's forms."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests

from helpers.desk import sign_in
from helpers.devserver import RunningStack, running_devserver


@pytest.fixture(scope="package")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    # The desk's API needs no site pages: a one-page site is enough for the server to start.
    site = tmp_path_factory.mktemp("desk-site")
    (site / "index.html").write_text("<!doctype html><title>desk</title>", encoding="utf-8")
    with running_devserver(site, tmp_path_factory.mktemp("desk-logs")) as running:
        yield running


@pytest.fixture(scope="package")
def cognito(stack: RunningStack) -> Any:
    return stack.client("cognito-idp")


@pytest.fixture(scope="package")
def handler_token(stack: RunningStack) -> str:
    """The ID token of the claims handler `make run` created, signed in with the password it printed."""
    assert stack.desk_user and stack.desk_password
    return sign_in(stack, stack.desk_user, stack.desk_password)


@pytest.fixture(scope="package")
def desk(stack: RunningStack, handler_token: str) -> Callable[..., requests.Response]:
    """`desk("GET", "/claims", params=...)`: a desk route called with the handler's token."""

    def call(method: str, path: str, *, token: str | None = handler_token, **kwargs: Any) -> requests.Response:
        headers = {"Authorization": token} if token is not None else {}
        return requests.request(method, f"{stack.base_url}/api/v1/desk{path}", headers=headers, timeout=15, **kwargs)

    return call
