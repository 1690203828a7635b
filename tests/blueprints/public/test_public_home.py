"""Home page: the session-code box and the list of published events."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from public_support import get_page

from eventsys.services import programme
from tests.conftest import login


def _future(days: int):
    return datetime.now(UTC).date() + timedelta(days=days)


@pytest.fixture
def published(make_event, db):
    def make(**data):
        event = make_event(**data)
        programme.publish_event(event)
        db.session.commit()
        return event

    return make


def test_home_shows_the_code_box_and_upcoming_published_events_only(client, make_event, published, db):
    soon = published(title="Journée climat", code="Z26IN 001", start_date=_future(10), end_date=_future(10),
                     venue_name="Hôtel de ville de Nulle-Part")
    later = published(title="Rencontres du numérique", code="RNIT 26", start_date=_future(40), end_date=_future(41))
    make_event(title="Brouillon secret", start_date=_future(5), end_date=_future(5))
    cancelled = published(title="Journée annulée", start_date=_future(6), end_date=_future(6))
    programme.unpublish_event(cancelled, "cancelled")
    db.session.commit()

    page = get_page(client, "/?lang=fr")
    assert page.status == 200
    assert '<label for="code">Code de session</label>' in page.raw
    assert "par exemple Z26IN 001" in page.text
    assert 'action="/e"' in page.raw
    assert 'method="get"' in page.raw
    assert "Brouillon secret" not in page.text
    assert "Journée annulée" not in page.text
    assert page.text.index("Journée climat") < page.text.index("Rencontres du numérique"), "soonest first"
    assert "Hôtel de ville de Nulle-Part" in page.text
    assert f'href="/e/{soon.code}"' in page.raw
    assert f'href="/e/{later.code}"' in page.raw
    assert 'style="' not in page.raw  # the CSP forbids inline styles


def test_event_dates_follow_the_viewer_language(client, published):
    published(title="Journée d'été", start_date=_future(30), end_date=_future(30))
    day = _future(30)
    months_fr = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
                 "septembre", "octobre", "novembre", "décembre"]  # fmt: skip
    french = get_page(client, "/?lang=fr")
    assert f"{day.day} {months_fr[day.month - 1]} {day.year}" in french.text
    english = get_page(client, "/?lang=en")
    assert '<html lang="en">' in english.raw
    assert f"{day.day} {day.strftime('%B')} {day.year}" in english.text


def test_past_events_are_listed_apart(client, published):
    published(title="Journée de l'an dernier", start_date=_future(-300), end_date=_future(-300))
    page = get_page(client, "/")
    assert "Aucun événement à venir" in page.text
    assert page.text.index("Événements passés") < page.text.index("Journée de l'an dernier")


@pytest.mark.parametrize("typed", ["z26in 001", "Z26IN001", "  z26in-001 ", "Z26in 0 0 1"])
def test_code_box_finds_the_event_typed_in_any_case_and_spacing(client, published, typed):
    published(code="Z26IN 001")
    page = get_page(client, "/e", query_string={"code": typed})
    assert page.status == 302
    assert page.location == "/e/Z26IN001/programme"


def test_unknown_code_is_a_friendly_404_on_the_home_page(client, published):
    published(title="Journée existante", code="Z26IN 001", start_date=_future(3), end_date=_future(3))
    page = get_page(client, "/e", query_string={"code": "Z26IN 999"})
    assert page.status == 404
    assert "Aucun événement ne porte le code « Z26IN 999 »" in page.text
    assert 'aria-invalid="true"' in page.raw
    assert 'value="Z26IN 999"' in page.raw, "the typed code stays in the box to be corrected"
    assert "Journée existante" in page.text, "still the home page, with the list"


@pytest.mark.parametrize("typed", ["<script>alert(1)</script>", "ab", "é26", "Z" * 300])
def test_malformed_code_is_a_friendly_400(client, typed):
    page = get_page(client, "/e", query_string={"code": typed})
    assert page.status == 400
    assert "n'a pas la forme d'un code de session" in page.text
    assert "<script>alert(1)" not in page.raw
    assert 'aria-invalid="true"' in page.raw


def test_empty_code_asks_for_one(client):
    page = get_page(client, "/e?code=+")
    assert page.status == 400
    assert "Saisissez le code de session" in page.text


def test_code_box_does_not_reveal_drafts_but_takes_their_organiser_there(client, make_user, make_event):
    owner = make_user()
    make_event(owner=owner, code="D26IN 001")
    assert get_page(client, "/e", query_string={"code": "d26in001"}).status == 404
    login(client, owner)
    page = get_page(client, "/e", query_string={"code": "d26in001"})
    assert page.status == 302
    assert page.location == "/e/D26IN001/programme"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(typed=st.text(max_size=60))
def test_code_box_never_fails_whatever_is_typed(client, typed):
    assert get_page(client, "/e", query_string={"code": typed}).status in (302, 400, 404)


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert json.loads(response.data) == {"status": "ok", "database": "ok"}
