"""Fixtures for the JSON API: tokens, and a client that speaks JSON with a bearer token."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from eventsys.extensions import db as _db


@pytest.fixture
def issue_token(app) -> Callable[..., str]:
    """issue_token(user, expires_in=None, revoked=False) → the raw bearer token."""
    from eventsys.security import issue_api_token, revoke_api_token

    def issue(user, expires_in: timedelta | None = None, revoked: bool = False) -> str:
        token, raw = issue_api_token(user, name="test")
        if expires_in is not None:
            token.expires_at = datetime.now(UTC) + expires_in
        if revoked:
            revoke_api_token(token)
        _db.session.commit()
        return raw

    return issue


class ApiClient:
    """The test client with `Authorization: Bearer …` set; methods return (status, json)."""

    def __init__(self, client, token: str | None) -> None:
        self.client = client
        self.token = token

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        return {**headers, **(extra or {})}

    def call(self, method: str, path: str, json: Any = None, **kwargs: Any):
        if json is not None:
            kwargs["json"] = json
        return self.client.open(
            "/api/v1" + path,
            method=method,
            headers=self.headers(kwargs.pop("headers", None)),
            **kwargs,
        )

    def get(self, path: str, **kw: Any):
        return self.call("GET", path, **kw)

    def post(self, path: str, json: Any = None, **kw: Any):
        return self.call("POST", path, json, **kw)

    def put(self, path: str, json: Any = None, **kw: Any):
        return self.call("PUT", path, json, **kw)

    def patch(self, path: str, json: Any = None, **kw: Any):
        return self.call("PATCH", path, json, **kw)

    def delete(self, path: str, **kw: Any):
        return self.call("DELETE", path, **kw)


@pytest.fixture
def api_as(client, issue_token) -> Callable[..., ApiClient]:
    """api_as(user) → an ApiClient with a fresh token of that user; api_as(None) has no token."""

    def make(user=None, token: str | None = None) -> ApiClient:
        if token is None and user is not None:
            token = issue_token(user)
        return ApiClient(client, token)

    return make


@pytest.fixture
def organiser(make_user):
    return make_user("organiser@example.org", name="Organisatrice", platform_role="organiser")


@pytest.fixture
def event(make_event, organiser):
    """Z26IN 001, a one-day training on 25 June 2026 in Europe/Paris, organised by `organiser`."""
    return make_event(owner=organiser, code="Z26IN 001", title="Journée voirie")


@pytest.fixture
def api(api_as, organiser, event) -> ApiClient:
    """The organiser of `event`, with a token."""
    return api_as(organiser)


def error_of(response) -> dict[str, Any]:
    """The `error` object of a JSON error response, after checking the shape."""
    assert response.mimetype == "application/json", response.get_data(as_text=True)[:200]
    body = response.get_json()
    assert set(body) == {"error"}, body
    assert {"code", "message"} <= set(body["error"]) <= {"code", "message", "details"}, body
    assert isinstance(body["error"]["message"], str)
    assert body["error"]["message"]
    return body["error"]
