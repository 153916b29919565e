"""The base of every request and response model of the API."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class ApiModel(BaseModel):
    """Its validator and serializer are built on first use rather than at import: a cold start then builds
    only the models of the route it serves, not those of every route the function has."""

    model_config = ConfigDict(defer_build=True)
