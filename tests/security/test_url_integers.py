"""Finding 7 of the security review: integers taken from the URL are bounded everywhere.

`?page=99999999999999999999` or an id past PostgreSQL's `integer` reached the database and
answered 500 on both databases. Every route of the app is tried here, logged in as the
event's organiser so that the views really run: a huge number in any integer of a path is
"not found", and huge numbers in the query string are refused or ignored, never a 500.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from ..conftest import login

HUGE = ("99999999999999999999", "9223372036854775808", "2147483648")
QUERY_INTEGERS = ("page", "session", "session_id", "round", "limit", "offset", "activity", "station", "registration")


@pytest.fixture
def world(app, make_user, make_event, make_room, make_speaker, make_session, db):
    """An organiser's published event with a room, a speaker, a track, a session and a registration."""
    from eventsys.models import Track
    from eventsys.services import programme
    from eventsys.services import registration as reg

    owner = make_user()
    day = datetime.now(UTC).date() + timedelta(days=30)
    event = make_event(owner=owner, start_date=day, end_date=day)
    room, speaker = make_room(event), make_speaker(event)
    track = Track(event=event, name="Eau")
    db.session.add(track)
    session = make_session(event, "Atelier", "14:00", "15:00", room=room, type="workshop",
                           requires_registration=True, capacity=10)
    programme.publish_event(event)
    db.session.commit()
    with app.test_request_context("/"):
        outcome = reg.register_attendee(event, reg.RegistrationInput(
            first_name="Camille", last_name="Martin", email="camille@ville-exemple.fr", organisation="Ville", consent=True,
            sessions=[session.id]))
        db.session.commit()
    ids = {"event_id": event.id, "room_id": room.id, "speaker_id": speaker.id, "track_id": track.id,
           "session_id": session.id, "registration_id": outcome.registration.id}
    return owner, event, ids


def _routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def _url(rule, event, ids: dict[str, int], huge: tuple[str, str] | None = None) -> str:
    """The rule's path with real values, and `huge` = (argument, digits) put in one integer."""
    values = {}
    for name in rule.arguments:
        converter = type(rule._converters[name]).__name__
        if huge and name == huge[0]:
            values[name] = huge[1]
        elif converter in ("IntegerConverter", "BoundedIntegerConverter"):
            values[name] = str(ids.get(name, event.id))
        elif name == "code":
            values[name] = event.code
        elif name == "action":
            values[name] = "approve"
        else:
            values[name] = "x"
    # Rules spell converters with their arguments (<int(min=1):id>): substitute by pattern.
    return re.sub(r"<(?:[^:>]+:)?(\w+)>", lambda m: values[m[1]], rule.rule)


def _int_arguments(rule) -> list[str]:
    return [name for name, conv in rule._converters.items() if "Integer" in type(conv).__name__]


def test_every_integer_in_every_path_is_bounded(app, client, world):
    owner, event, ids = world
    login(client, owner)
    failures = []
    tried = 0
    for rule, method in _routes(app):
        for name in _int_arguments(rule):
            for digits in HUGE:
                tried += 1
                response = client.open(_url(rule, event, ids, (name, digits)), method=method)
                if response.status_code != 404:
                    failures.append(f"{method} {rule.rule} {name}={digits}: {response.status_code}")
    assert tried > 300  # every route with an integer, not a sample
    assert not failures, "\n".join(failures)


def test_huge_query_integers_never_give_a_500(app, client, world):
    owner, event, ids = world
    login(client, owner)
    failures = []
    for rule, method in _routes(app):
        if method != "GET":
            continue
        for digits in HUGE:
            query = "&".join(f"{name}={digits}" for name in QUERY_INTEGERS)
            response = client.get(_url(rule, event, ids) + "?" + query)
            if response.status_code >= 500:
                failures.append(f"GET {rule.rule}?{query}: {response.status_code}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("query", ["page=99999999999999999999", "session=9223372036854775808",
                                   "page=2147483648", "session=-1", "page=abc"])
def test_the_registrations_page_refuses_out_of_range_numbers(client, world, query):
    owner, event, _ids = world
    login(client, owner)
    response = client.get(f"/manage/events/{event.id}/registrations?{query}")
    assert response.status_code in (400, 404)
    assert "Camille" not in response.text


def test_numbers_in_range_still_work(client, world):
    owner, event, ids = world
    login(client, owner)
    response = client.get(f"/manage/events/{event.id}/registrations?session={ids['session_id']}&page=1")
    assert response.status_code == 200
    assert "Martin" in response.text
    assert client.get(f"/manage/events/{event.id}/registrations?page=7").status_code == 200
    assert client.get(f"/manage/events/{event.id}/sessions/{ids['session_id']}/edit").status_code == 200
    assert client.get(f"/manage/events/{event.id + 1000}/edit").status_code == 404


def test_day_in_a_path_or_query_far_outside_the_calendar(client, world):
    owner, event, _ids = world
    login(client, owner)
    for day in ("99999-01-01", "0000-01-01", date.max.isoformat()):
        assert client.get(f"/manage/events/{event.id}/grid?day={day}").status_code < 500
        assert client.get(f"/manage/events/{event.id}/attendance?day={day}").status_code < 500
