"""Finding 4: sessions are revocable on the server. A copy of a session or remember cookie stops
working after "log out everywhere" and after a password change, and "stay logged in" lasts a
configurable, short time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from werkzeug.http import parse_date

from eventsys.extensions import db
from tests.conftest import TEST_PASSWORD, login

NEW_PASSWORD = "une autre phrase de passe"  # noqa: S105 - test value


def _copy(app, source, names=("session", "remember_token")):
    """Another browser holding a copy of `source`'s cookies (a stolen cookie)."""
    thief = app.test_client()
    for name in names:
        cookie = source.get_cookie(name)
        if cookie is not None:
            thief.set_cookie(name, cookie.value)
    return thief


def _signed_in(client) -> bool:
    return client.get("/manage/").status_code == 200


def test_log_out_everywhere_ends_copied_session_and_remember_cookies(app, client, make_user):
    user = make_user()
    response = client.post("/auth/login", data={"email": user.email, "password": TEST_PASSWORD, "remember": "y"})
    assert response.status_code == 302
    session_copy = _copy(app, client, ("session",))
    remember_copy = _copy(app, client, ("remember_token",))
    assert _signed_in(session_copy)
    assert _signed_in(remember_copy)
    assert "Me déconnecter sur tous mes appareils" in client.get("/auth/account").get_data(as_text=True)
    response = client.post("/auth/logout-everywhere")
    assert response.status_code == 302
    assert not _signed_in(client)
    assert not _signed_in(session_copy)
    assert not _signed_in(remember_copy)
    # Logging in again works, with a new session.
    assert login(client, user).status_code == 302
    assert _signed_in(client)
    assert not _signed_in(session_copy)


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(app, client, make_user):
    user = make_user()
    assert login(client, user).status_code == 302
    other_device = app.test_client()
    assert login(other_device, user).status_code == 302
    stolen = _copy(app, client)
    wrong = client.post("/auth/account", data={"current_password": "pas le bon", "new_password": NEW_PASSWORD,
                                               "confirm_password": NEW_PASSWORD})  # fmt: skip
    assert wrong.status_code == 422
    assert "Ce n&#39;est pas votre mot de passe actuel." in wrong.get_data(as_text=True)
    assert _signed_in(other_device)
    response = client.post("/auth/account", data={"current_password": TEST_PASSWORD, "new_password": NEW_PASSWORD,
                                                  "confirm_password": NEW_PASSWORD})  # fmt: skip
    assert response.status_code == 302
    assert _signed_in(client)
    assert not _signed_in(other_device)
    assert not _signed_in(stolen)
    assert login(app.test_client(), user).status_code == 200  # the old password is refused
    assert login(app.test_client(), user, NEW_PASSWORD).status_code == 302


def test_a_password_set_from_the_command_line_ends_the_sessions(app, client, make_user):
    user = make_user(is_admin=True)
    assert login(client, user).status_code == 302
    result = app.test_cli_runner().invoke(args=["create-admin", user.email, "--password", NEW_PASSWORD])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert not _signed_in(client)


class TestRememberLifetime:
    @pytest.fixture
    def app_config(self):
        return {"REMEMBER_DAYS": 3}

    def test_stay_logged_in_lasts_the_configured_days(self, client, make_user):
        user = make_user()
        response = client.post("/auth/login", data={"email": user.email, "password": TEST_PASSWORD, "remember": "y"})
        cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("remember_token="))
        expires = parse_date(cookie.split("Expires=", 1)[1].split(";", 1)[0])
        assert datetime.now(UTC) + timedelta(days=2) < expires <= datetime.now(UTC) + timedelta(days=3, minutes=1)


def test_stay_logged_in_is_two_weeks_by_default(client, make_user):
    user = make_user()
    response = client.post("/auth/login", data={"email": user.email, "password": TEST_PASSWORD, "remember": "y"})
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("remember_token="))
    expires = parse_date(cookie.split("Expires=", 1)[1].split(";", 1)[0])
    assert expires <= datetime.now(UTC) + timedelta(days=14, minutes=1)
