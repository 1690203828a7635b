"""Finding 12: a per-account login throttle shared by every server, and a password reset by
e-mail (signed, single-use, expiring link; the same answer whether or not the account exists)."""

from __future__ import annotations

import re

import pytest
from itsdangerous.timed import TimestampSigner

from eventsys.extensions import db
from tests.conftest import TEST_PASSWORD, login
from tests.production.conftest import REDIS_URL, redis_available
from tests.registration.helpers import outbox

NEW_PASSWORD = "une nouvelle phrase secrète"  # noqa: S105 - test value


def _reset_link(to: str) -> str:
    messages = outbox(to=to, kind="password_reset")
    assert messages, f"no reset e-mail to {to}"
    match = re.search(r"http://localhost(/auth/reset/\S+)", messages[-1].body_text)
    assert match, messages[-1].body_text
    return match.group(1)


def _page(response) -> str:
    return response.get_data(as_text=True)


def test_asking_for_a_link_answers_the_same_for_known_and_unknown_addresses(client, make_user):
    user = make_user("agent@ville-exemple.fr")
    known = client.post("/auth/reset", data={"email": "Agent@Ville-Exemple.fr"})
    unknown = client.post("/auth/reset", data={"email": "personne@ville-exemple.fr"})
    assert known.status_code == unknown.status_code == 200
    strip = lambda html: re.sub(r'name="csrf_token"[^>]*', "", html)  # noqa: E731
    assert strip(_page(known)) == strip(_page(unknown))
    assert "Si un compte existe pour cette adresse" in _page(known)
    assert len(outbox(kind="password_reset")) == 1
    assert outbox(kind="password_reset")[0].to_addr == user.email


def test_the_link_sets_a_new_password_once_and_ends_every_session(app, client, make_user):
    user = make_user("agent@ville-exemple.fr")
    other_device = app.test_client()
    assert login(other_device, user).status_code == 302
    client.post("/auth/reset", data={"email": user.email})
    link = _reset_link(user.email)
    assert client.get(link).status_code == 200
    short = client.post(link, data={"new_password": "court", "confirm_password": "court"})
    assert short.status_code == 422
    assert "au moins 8 caractères" in _page(short)
    response = client.post(link, data={"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/auth/login")
    assert other_device.get("/manage/").status_code == 302  # logged out everywhere
    assert login(app.test_client(), user).status_code == 200  # old password refused
    assert login(app.test_client(), user, NEW_PASSWORD).status_code == 302
    used = client.post(link, data={"new_password": "encore autre chose", "confirm_password": "encore autre chose"})
    assert used.status_code == 404
    assert "déjà servi" in _page(used)
    assert login(app.test_client(), user, NEW_PASSWORD).status_code == 302


def test_the_link_expires_and_a_forged_one_is_refused(client, make_user, monkeypatch):
    user = make_user("agent@ville-exemple.fr")
    signed_at = TimestampSigner.get_timestamp(TimestampSigner(b"k"))
    with monkeypatch.context() as patch:  # the link was sent an hour and a half ago
        patch.setattr(TimestampSigner, "get_timestamp", lambda self: signed_at - 5400)
        client.post("/auth/reset", data={"email": user.email})
        link = _reset_link(user.email)
    assert client.get(link).status_code == 404
    assert client.get(link[:-3] + "abc").status_code == 404
    assert client.get("/auth/reset/not-a-token").status_code == 404


def test_the_e_mail_speaks_the_language_of_the_page(client, make_user):
    user = make_user("agent@ville-exemple.fr")
    client.post("/auth/reset?lang=de", data={"email": user.email})
    message = outbox(kind="password_reset")[0]
    assert message.language == "de"
    assert "Passwort" in message.subject
    assert "Neues Passwort" in message.body_text or "neues Passwort" in message.body_text


class TestThrottles:
    @pytest.fixture
    def app_config(self):
        return {"RATELIMIT_ENABLED": True, "LOGIN_ACCOUNT_LIMIT": "3 per 15 minutes",
                "PASSWORD_RESET_LIMIT": "2 per hour"}  # fmt: skip

    def test_failed_passwords_lock_the_account_whatever_the_address(self, app, make_user):
        user = make_user("agent@ville-exemple.fr")
        for n in range(3):  # three different client addresses, one account
            attacker = app.test_client()
            response = attacker.post("/auth/login", data={"email": user.email, "password": f"essai {n}"},
                                     environ_base={"REMOTE_ADDR": f"198.51.100.{n}"})  # fmt: skip
            assert response.status_code == 200
        locked = app.test_client().post("/auth/login", data={"email": user.email, "password": TEST_PASSWORD},
                                        environ_base={"REMOTE_ADDR": "203.0.113.9"})  # fmt: skip
        assert locked.status_code == 429
        assert "Trop de tentatives pour ce compte" in _page(locked)
        # Unknown addresses are counted the same way: the answer does not tell them apart.
        for _n in range(3):
            app.test_client().post("/auth/login", data={"email": "personne@example.org", "password": "x"})
        unknown = app.test_client().post("/auth/login", data={"email": "personne@example.org", "password": "x"})
        assert unknown.status_code == 429
        # Another account is not affected.
        assert login(app.test_client(), make_user()).status_code == 302

    def test_reset_e_mails_are_capped_per_address(self, client, make_user):
        user = make_user("agent@ville-exemple.fr")
        for _n in range(4):
            assert client.post("/auth/reset", data={"email": user.email}).status_code == 200
        assert len(outbox(to=user.email, kind="password_reset")) == 2

    def test_a_reset_unlocks_the_account(self, app, client, make_user):
        user = make_user("agent@ville-exemple.fr")
        for n in range(3):
            app.test_client().post("/auth/login", data={"email": user.email, "password": f"essai {n}"})
        client.post("/auth/reset", data={"email": user.email})
        client.post(_reset_link(user.email), data={"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD})
        assert login(app.test_client(), user, NEW_PASSWORD).status_code == 302


class TestSharedThroughRedis:
    """Two app servers (two apps on one Redis) count failed logins together."""

    @pytest.fixture
    def app_config(self):
        if not redis_available():
            pytest.skip(f"Redis is not reachable at {REDIS_URL} (set EVENTSYS_TEST_REDIS_URL)")
        return {"RATELIMIT_ENABLED": True, "LOGIN_ACCOUNT_LIMIT": "3 per 15 minutes",
                "RATELIMIT_STORAGE_URI": REDIS_URL}  # fmt: skip

    def test_failures_on_two_servers_add_up(self, app, make_user):
        from redis import Redis

        from eventsys.services import throttle

        user = make_user("agent-redis@ville-exemple.fr")
        scope, key = throttle._key("login", user.email)
        Redis.from_url(REDIS_URL).delete(*Redis.from_url(REDIS_URL).keys(f"*{key}*") or ["none"])
        from eventsys.extensions import limiter

        for n in range(3):
            app.test_client().post("/auth/login", data={"email": user.email, "password": f"essai {n}"})
            if n == 1:  # the "other server": a fresh limiter storage object on the same Redis
                limiter.init_app(app)
        assert app.test_client().post("/auth/login", data={"email": user.email, "password": TEST_PASSWORD}).status_code == 429
        db.session.rollback()
