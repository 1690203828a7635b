"""EVENTSYS_HTTPS=true: HSTS on every answer and cookies that never travel in clear."""

from __future__ import annotations

import pytest

from tests.conftest import login


@pytest.fixture
def app_config():
    return {"HTTPS": True}


def test_https_sends_hsts_and_secure_cookies(client, make_user):
    response = login(client, make_user())
    assert response.status_code == 302
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    cookie = response.headers.get("Set-Cookie", "")
    assert "Secure" in cookie
    assert "HttpOnly" in cookie
    assert client.get("/healthz").headers["Strict-Transport-Security"]
