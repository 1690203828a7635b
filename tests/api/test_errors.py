"""Every error under /api/ is JSON {"error": {"code", "message", "details"?}} with a stable code.

Unknown fields in a request body are REJECTED (422 validation_error naming the field), never
ignored: a typo must not look like a success.
"""

from __future__ import annotations

import pytest

from tests.api.conftest import error_of

SESSION = {
    "title": "Exposé",
    "starts_at": "2026-06-25T10:00:00+02:00",
    "ends_at": "2026-06-25T11:00:00+02:00",
}


def test_event_ending_before_it_starts(api, event):
    response = api.patch("/events/Z26IN001", {"end_date": "2026-06-24"})
    assert response.status_code == 400
    assert error_of(response)["code"] == "invalid_dates"


def test_session_ending_before_it_starts(api, event):
    response = api.post(
        "/events/Z26IN001/sessions", {**SESSION, "ends_at": "2026-06-25T09:00:00+02:00"}
    )
    assert response.status_code == 400
    assert error_of(response)["code"] == "invalid_dates"


def test_session_outside_the_event(api, event):
    response = api.post(
        "/events/Z26IN001/sessions",
        {
            **SESSION,
            "starts_at": "2026-06-26T10:00:00+02:00",
            "ends_at": "2026-06-26T11:00:00+02:00",
        },
    )
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "session_outside_event"
    assert "25/06/2026" in error["message"]


def test_duplicate_code(api, event, make_event, make_user):
    make_event(owner=make_user(), code="Z26IN 002")
    response = api.patch("/events/Z26IN001", {"code": "z26in002"})
    assert response.status_code == 409
    assert error_of(response)["code"] == "duplicate_session_code"
    created = api.post(
        "/events",
        {
            "title": "Copie",
            "start_date": "2026-06-25",
            "end_date": "2026-06-25",
            "code": "Z26IN 001",
        },
    )
    assert created.status_code == 409
    assert error_of(created)["code"] == "duplicate_session_code"


def test_invalid_code(api, event):
    response = api.patch("/events/Z26IN001", {"code": "ZZ"})
    assert response.status_code == 400
    assert error_of(response)["code"] == "invalid_session_code"


def test_code_whose_printed_form_is_too_long(api, event):
    # 13 letters are a valid code, but spaced out they no longer fit the printed form
    response = api.patch("/events/Z26IN001", {"code": "A B C D E F G H I J K L M"})
    assert response.status_code == 422
    assert "code" in error_of(response)["details"]["json"]


def test_unknown_time_zone(api, event):
    response = api.patch("/events/Z26IN001", {"timezone": "Europe/Atlantis"})
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "invalid_value"
    assert error["details"] == {"field": "timezone"}


def test_room_in_use_cannot_be_deleted(api, event, make_room, make_session):
    room = make_room(event, "Salle A")
    make_session(event, title="Ouverture", room=room)
    response = api.delete(f"/events/Z26IN001/rooms/{room.id}")
    assert response.status_code == 409
    error = error_of(response)
    assert error["code"] == "room_in_use"
    assert "Ouverture" in error["message"]


def test_publishing_with_a_double_booked_room(api, event, make_room, make_session):
    room = make_room(event)
    make_session(event, title="A", start="10:00", end="11:00", room=room)
    make_session(event, title="B", start="10:30", end="11:30", room=room)
    response = api.post("/events/Z26IN001/publish")
    assert response.status_code == 409
    assert error_of(response)["code"] == "room_conflict"


def test_room_of_another_event(api, event, make_event, make_room):
    elsewhere = make_room(make_event(code="B26IN 001"), "Salle ailleurs")
    response = api.post("/events/Z26IN001/sessions", {**SESSION, "room_id": elsewhere.id})
    assert response.status_code == 400
    assert error_of(response)["details"] == {"field": "room_id"}
    # and it cannot be reached through this event's URL either
    assert error_of(api.get(f"/events/Z26IN001/rooms/{elsewhere.id}"))["code"] == "not_found"


def test_speaker_of_another_event(api, event, make_event, make_speaker):
    elsewhere = make_speaker(make_event(code="B26IN 001"))
    response = api.post(
        "/events/Z26IN001/sessions", {**SESSION, "speakers": [{"speaker_id": elsewhere.id}]}
    )
    assert response.status_code == 400
    assert error_of(response)["details"] == {"field": "speakers"}


def test_malformed_json(api, event):
    response = api.post(
        "/events/Z26IN001/rooms", data='{"name": "Salle', content_type="application/json"
    )
    assert response.status_code == 400
    assert error_of(response)["code"] == "invalid_json"


def test_json_nested_too_deep_is_malformed_not_a_crash(api, event):
    body = "[" * 100_000 + "]" * 100_000
    response = api.post("/events/Z26IN001/rooms", data=body, content_type="application/json")
    assert response.status_code == 400
    assert error_of(response)["code"] == "invalid_json"


def test_body_that_is_not_an_object(api, event):
    response = api.post("/events/Z26IN001/rooms", json=["Salle A"])
    assert response.status_code == 422
    assert error_of(response)["code"] == "validation_error"


@pytest.mark.parametrize(
    ("content_type", "data"),
    [("application/x-www-form-urlencoded", "name=Salle"), ("text/plain", '{"name": "Salle"}')],
)
def test_body_that_is_not_json(api, event, content_type, data):
    response = api.post("/events/Z26IN001/rooms", data=data, content_type=content_type)
    assert response.status_code == 415
    assert error_of(response)["code"] == "unsupported_media_type"


def test_unknown_fields_are_rejected_with_their_names(api, event):
    response = api.post("/events/Z26IN001/rooms", {"name": "Salle A", "capacite": 30, "id": 7})
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "validation_error"
    assert error["details"] == {"json": {"capacite": ["Unknown field."], "id": ["Unknown field."]}}


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/events/Z26IN001/rooms", {"name": "S" * 121}, "name"),
        ("/events/Z26IN001/rooms", {"name": "   "}, "name"),
        ("/events/Z26IN001/rooms", {"name": "Salle", "capacity": -1}, "capacity"),
        ("/events/Z26IN001/rooms", {"name": "Salle", "capacity": 2**40}, "capacity"),
        ("/events/Z26IN001/rooms", {"name": "Salle", "capacity": "30"}, "capacity"),
        ("/events/Z26IN001/rooms", {"name": "Salle\u0000A"}, "name"),
        ("/events/Z26IN001/speakers", {"name": "Camille", "email": "pas-un-email"}, "email"),
        ("/events/Z26IN001/tracks", {"name": "Voirie", "colour": "red"}, "colour"),
        ("/events/Z26IN001/sessions", {**SESSION, "type": "apéro"}, "type"),
        ("/events/Z26IN001/sessions", {**SESSION, "starts_at": "demain"}, "starts_at"),
        (
            "/events/Z26IN001/sessions",
            {**SESSION, "starts_at": "0001-01-01T00:00:00+14:00"},
            "starts_at",
        ),
        ("/events/Z26IN001/sessions", {**SESSION, "room_id": -3}, "room_id"),
        (
            "/events/Z26IN001/sessions",
            {**SESSION, "speakers": [{"speaker_id": 1, "role": "star"}]},
            "speakers",
        ),
        (
            "/events",
            {"title": "X", "start_date": "9999-12-31", "end_date": "9999-12-31"},
            "start_date",
        ),
        (
            "/events",
            {
                "title": "X",
                "start_date": "2026-01-01",
                "end_date": "2026-01-01",
                "languages": ["français"],
            },
            "languages",
        ),
        ("/events", {"title": "X", "start_date": "2026-01-01"}, "end_date"),
    ],
)
def test_invalid_values_name_the_field(api, event, path, body, field):
    response = api.post(path, body)
    assert response.status_code == 422, response.get_json()
    error = error_of(response)
    assert error["code"] == "validation_error"
    assert field in error["details"]["json"]


def test_patch_still_requires_what_nested_objects_need(api, event, make_session):
    session = make_session(event)
    response = api.patch(
        f"/events/Z26IN001/sessions/{session.id}", {"speakers": [{"role": "chair"}]}
    )
    assert response.status_code == 422
    assert error_of(response)["details"] == {
        "json": {"speakers": {"0": {"speaker_id": ["Missing data for required field."]}}}
    }


def test_patch_without_a_body(api, event):
    response = api.patch("/events/Z26IN001")
    assert response.status_code == 422
    assert error_of(response)["details"] == {"json": {"_schema": ["Un corps JSON est requis."]}}


def test_lone_surrogate_in_a_string(api, event):
    response = api.post(
        "/events/Z26IN001/rooms", data='{"name": "Salle \\ud800"}', content_type="application/json"
    )
    assert response.status_code == 422
    assert "name" in error_of(response)["details"]["json"]


def test_unknown_event(api):
    response = api.get("/events/NOPE999/rooms")
    assert response.status_code == 404
    assert error_of(response)["code"] == "event_not_found"


@pytest.mark.parametrize("room_id", ["999", "0", "-1", "99999999999999999999999", "abc"])
def test_unknown_object_ids(api, event, room_id):
    response = api.get(f"/events/Z26IN001/rooms/{room_id}")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_unknown_api_path(api):
    response = api.get("/nothing/here")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_method_not_allowed(api, event):
    response = api.delete("/events")
    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "POST"}


def test_server_error_is_json_too(api, event, monkeypatch):
    from eventsys.services import programme

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(programme, "save_room", broken)
    response = api.post("/events/Z26IN001/rooms", {"name": "Salle"})
    assert response.status_code == 500
    error = error_of(response)
    assert error["code"] == "server_error"
    assert "boom" not in error["message"]


def test_a_value_the_database_refuses_is_a_422_not_a_500(api, event, monkeypatch):
    from sqlalchemy.exc import DataError

    from eventsys.services import programme

    def refused(*args, **kwargs):
        raise DataError("INSERT …", {}, Exception("integer out of range"))

    monkeypatch.setattr(programme, "save_room", refused)
    response = api.post("/events/Z26IN001/rooms", {"name": "Salle"})
    assert response.status_code == 422
    assert error_of(response)["code"] == "invalid_value"


def test_site_pages_still_get_html_errors(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"


class TestSizeLimit:
    @pytest.fixture
    def app_config(self):
        return {"API_MAX_CONTENT_LENGTH": 1000}

    def test_body_over_the_limit(self, api, event):
        response = api.post(
            "/events/Z26IN001/rooms", {"name": "Salle", "location_notes": "x" * 2000}
        )
        assert response.status_code == 413
        assert error_of(response)["code"] == "payload_too_large"


class TestRateLimit:
    @pytest.fixture
    def app_config(self):
        return {"RATELIMIT_ENABLED": True, "API_RATE_LIMIT": "3 per minute"}

    def test_too_many_calls(self, api, event, api_as, make_user):
        statuses = [api.get("/events").status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        response = api.get("/events/Z26IN001")
        assert response.status_code == 429
        error = error_of(response)
        assert error["code"] == "rate_limited"
        assert "3 per 1 minute" in error["message"]
        # the budget is per token: another account is not slowed down
        assert api_as(make_user()).get("/events").status_code == 200


class TestCsrf:
    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_api_needs_no_csrf_token(self, api, event):
        response = api.post("/events/Z26IN001/rooms", {"name": "Salle A"})
        assert response.status_code == 201
