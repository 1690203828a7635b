"""Fixtures of the directory tests: an attendee with a private link, profiles, coordinators."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from eventsys.extensions import db as _db
from eventsys.models.registration import OutboxMessage
from tests.conftest import login
from tests.registration.helpers import outbox

__all__ = ["outbox"]

FUTURE = datetime.now(UTC).date() + timedelta(days=60)
LINK = re.compile(r"https?://[^/\s\"<>]+(/directory/[a-z]+/[A-Za-z0-9_.\-]+)")


def link_in(message: OutboxMessage) -> str:
    """The path of the directory link an e-mail carries."""
    match = LINK.search(message.body_text)
    assert match, message.body_text
    return match.group(1)


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.fixture
def request_ctx(app):
    with app.test_request_context("/", base_url="http://eventsys.test"):
        yield


@pytest.fixture
def attendee(app, make_event, make_session) -> Callable[..., Any]:
    """A registration to a published event; returns (registration, private-link token)."""
    from eventsys.services import programme
    from eventsys.services import registration as reg

    def make(
        email: str = "ada.weber@ville-exemple.fr",
        first: str = "Ada",
        last: str = "Weber",
        language: str = "fr",
    ):
        event = make_event(title="Rencontre transfrontalière", start_date=FUTURE, end_date=FUTURE)
        make_session(
            event, "Gestion des eaux pluviales", description="Retour d'expérience de la métropole."
        )
        programme.publish_event(event)
        with app.test_request_context("/", base_url="http://eventsys.test"):
            outcome = reg.register_attendee(event, reg.RegistrationInput(
                first_name=first, last_name=last, email=email, organisation="Ville d'Exemple", language=language,
                consent=True, job_title="Ingénieure réseaux",
            ))  # fmt: skip
            _db.session.commit()
        return outcome.registration, outcome.token

    return make


@pytest.fixture
def make_profile(app) -> Callable[..., Any]:
    """An active profile (as if its owner had saved it from their link)."""
    from eventsys.services.directory import profiles

    counter = {"n": 0}

    def make(
        email: str | None = None,
        languages=(("fr", "native"), ("de", "C1")),
        roles=("translation",),
        **kw: Any,
    ):
        counter["n"] += 1
        data = profiles.ProfileInput(
            first_name=kw.pop("first_name", "Jean"), last_name=kw.pop("last_name", f"Membre{'abcdefghij'[counter['n'] % 10]}"),
            languages=list(languages), roles=list(roles), **kw,
        )  # fmt: skip
        with app.test_request_context("/", base_url="http://eventsys.test"):
            profile = profiles.create_profile(
                email or f"membre{counter['n']}@example.org", data, confirmed=True
            )
            _db.session.commit()
        return profile

    return make


@pytest.fixture
def client_as(app) -> Callable[..., Any]:
    """A client of its own, logged in as `user` (anonymous when None)."""

    def make(user=None):
        client = app.test_client()
        if user is not None:
            assert login(client, user).status_code == 302
        return client

    return make


@pytest.fixture
def coordinator(app, make_user) -> Any:
    from eventsys.services.directory import search

    admin = make_user(is_admin=True)
    user = make_user(name="Claire Coordinatrice")
    search.grant_coordinator(user, admin)
    _db.session.commit()
    return user
