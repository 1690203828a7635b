"""Who may call the API: the authorisation matrix, and the `api-token` command."""

from __future__ import annotations

from datetime import timedelta

import pytest

from eventsys.extensions import db
from eventsys.models import EventRole
from tests.api.conftest import ApiClient, error_of

# One call of each kind on the event Z26IN001; {room}, {speaker}, {session} are filled in.
EVENT_CALLS = [
    ("GET", "/events/Z26IN001", None),
    ("PATCH", "/events/Z26IN001", {"subtitle": "x"}),
    (
        "PUT",
        "/events/Z26IN001",
        {"title": "T", "start_date": "2026-06-25", "end_date": "2026-06-25"},
    ),
    ("POST", "/events/Z26IN001/publish", None),
    ("GET", "/events/Z26IN001/rooms", None),
    ("POST", "/events/Z26IN001/rooms", {"name": "Salle"}),
    ("GET", "/events/Z26IN001/rooms/{room}", None),
    ("PATCH", "/events/Z26IN001/rooms/{room}", {"capacity": 10}),
    ("PUT", "/events/Z26IN001/rooms/{room}", {"name": "Salle B"}),
    ("GET", "/events/Z26IN001/speakers", None),
    ("POST", "/events/Z26IN001/speakers", {"name": "Camille"}),
    ("GET", "/events/Z26IN001/speakers/{speaker}", None),
    ("PATCH", "/events/Z26IN001/speakers/{speaker}", {"bio": "…"}),
    ("PUT", "/events/Z26IN001/speakers/{speaker}", {"name": "Camille D."}),
    ("GET", "/events/Z26IN001/tracks", None),
    ("POST", "/events/Z26IN001/tracks", {"name": "Voirie"}),
    ("GET", "/events/Z26IN001/tracks/{track}", None),
    ("PATCH", "/events/Z26IN001/tracks/{track}", {"colour": "#000000"}),
    ("PUT", "/events/Z26IN001/tracks/{track}", {"name": "Ponts"}),
    ("GET", "/events/Z26IN001/sessions", None),
    (
        "POST",
        "/events/Z26IN001/sessions",
        {"title": "S", "starts_at": "2026-06-25T14:00", "ends_at": "2026-06-25T15:00"},
    ),
    ("GET", "/events/Z26IN001/sessions/{session}", None),
    ("PATCH", "/events/Z26IN001/sessions/{session}", {"title": "S2"}),
    (
        "PUT",
        "/events/Z26IN001/sessions/{session}",
        {"title": "S3", "starts_at": "2026-06-25T09:00", "ends_at": "2026-06-25T10:00"},
    ),
    ("DELETE", "/events/Z26IN001/sessions/{session}", None),
    ("DELETE", "/events/Z26IN001/speakers/{speaker}", None),
    ("DELETE", "/events/Z26IN001/rooms/{room}", None),
    ("DELETE", "/events/Z26IN001/tracks/{track}", None),
    ("DELETE", "/events/Z26IN001", None),
]
ALL_CALLS = [
    ("GET", "/events", None),
    ("POST", "/events", {"title": "T", "start_date": "2026-06-25", "end_date": "2026-06-25"}),
    *EVENT_CALLS,
]


@pytest.fixture
def programme(event, make_room, make_speaker, make_session):
    """A room, a speaker, a track and a session (in another room, so the room can be deleted)."""
    from eventsys.models import Track

    track = Track(event=event, name="Ouvrages d'art")
    db.session.add(track)
    room = make_room(event, "Salle A")
    other = make_room(event, "Salle B")
    speaker = make_speaker(event)
    session = make_session(event, room=other, speakers=[(speaker, "speaker")])
    return {"room": room.id, "speaker": speaker.id, "session": session.id, "track": track.id}


def _call(api: ApiClient, method: str, path: str, body, ids: dict[str, int]):
    return api.call(method, path.format(**ids), body)


def _label(call) -> str:
    return f"{call[0]} {call[1]}"


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer evs_not-a-real-token", "Basic dXNlcjpwYXNz", "Token evs_x"],
    ids=["none", "empty", "unknown", "basic", "other-scheme"],
)
def test_calls_without_a_valid_token_are_refused(client, programme, header):
    headers = {"Authorization": header} if header else {}
    wrong = {}
    for method, path, body in ALL_CALLS:
        response = client.open(
            "/api/v1" + path.format(**programme), method=method, json=body, headers=headers
        )
        if (
            response.status_code != 401
            or error_of(response)["code"] != "invalid_token"
            or not response.headers.get("WWW-Authenticate", "").startswith("Bearer")
        ):
            wrong[f"{method} {path}"] = response.status_code
    assert wrong == {}


@pytest.mark.parametrize("token_kind", ["revoked", "expired", "inactive-account"])
def test_dead_tokens_are_refused(api_as, organiser, event, issue_token, token_kind):
    if token_kind == "revoked":
        token = issue_token(organiser, revoked=True)
    elif token_kind == "expired":
        token = issue_token(organiser, expires_in=timedelta(minutes=-1))
    else:
        token = issue_token(organiser)
        organiser.active = False
        db.session.commit()
    response = api_as(token=token).get("/events/Z26IN001")
    assert response.status_code == 401
    assert error_of(response)["code"] == "invalid_token"


def test_a_token_not_yet_expired_works(api_as, organiser, event, issue_token):
    token = issue_token(organiser, expires_in=timedelta(days=1))
    assert api_as(token=token).get("/events/Z26IN001").status_code == 200


@pytest.mark.parametrize("who", ["organiser-of-another-event", "staff", "no-role"])
def test_accounts_without_the_organiser_role_get_403(
    api_as, make_user, make_event, event, programme, who
):
    user = make_user()
    if who == "organiser-of-another-event":
        make_event(owner=user, code="B26IN 001")
    elif who == "staff":
        db.session.add(EventRole(event=event, user=user, role="staff"))
        db.session.commit()
    api = api_as(user)
    wrong = {}
    for call in EVENT_CALLS:
        response = _call(api, *call, programme)
        if response.status_code != 403 or error_of(response)["code"] != "forbidden":
            wrong[_label(call)] = response.status_code
    assert wrong == {}
    listed = [e["code"] for e in api.get("/events").get_json()]
    assert listed == (["B26IN001"] if who == "organiser-of-another-event" else [])


@pytest.mark.parametrize("who", ["organiser", "administrator"])
def test_organisers_and_administrators_may(api_as, make_user, organiser, event, programme, who):
    user = organiser if who == "organiser" else make_user(is_admin=True)
    api = api_as(user)
    wrong = {}
    for call in EVENT_CALLS:  # in an order where every call is legitimate (deletions last)
        response = _call(api, *call, programme)
        if response.status_code not in (200, 201, 204):
            wrong[_label(call)] = (response.status_code, response.get_json())
    assert wrong == {}


def test_administrators_list_every_event(api_as, make_user, make_event, event):
    make_event(owner=make_user(), code="B26IN 001")
    codes = {e["code"] for e in api_as(make_user(is_admin=True)).get("/events").get_json()}
    assert codes == {"Z26IN001", "B26IN001"}


def test_a_web_login_is_not_an_api_credential(client, organiser, event):
    from tests.conftest import login

    assert login(client, organiser).status_code == 302
    response = client.get("/api/v1/events/Z26IN001")
    assert response.status_code == 401


# ------------------------------------------------------------------ flask api-token


def test_cli_issues_a_token_that_works_then_revokes_it(runner, client, organiser, event):
    issued = runner.invoke(args=["api-token", "ORGANISER@example.org", "--name", "script"])
    assert issued.exit_code == 0, issued.output
    raw = issued.output.strip()
    assert raw.startswith("evs_")
    api = ApiClient(client, raw)
    assert api.get("/events/Z26IN001").status_code == 200

    revoked = runner.invoke(args=["api-token", "organiser@example.org", "--revoke", raw[:12]])
    assert revoked.exit_code == 0, revoked.output
    assert "revoked" in revoked.output
    db.session.expire_all()
    response = api.get("/events/Z26IN001")
    assert response.status_code == 401
    assert error_of(response)["code"] == "invalid_token"


def test_cli_stores_only_a_hash(runner, organiser):
    from eventsys.models import ApiToken

    raw = runner.invoke(args=["api-token", organiser.email]).output.strip()
    stored = db.session.query(ApiToken).one()
    assert raw not in (stored.token_hash, stored.prefix)
    assert stored.token_hash == ApiToken.hash(raw)


def test_cli_refuses_unknown_accounts_and_prefixes(runner, organiser):
    unknown = runner.invoke(args=["api-token", "nobody@example.org"])
    assert unknown.exit_code != 0
    assert "nobody@example.org" in unknown.output
    bad_prefix = runner.invoke(args=["api-token", organiser.email, "--revoke", "evs_nothing"])
    assert bad_prefix.exit_code != 0
