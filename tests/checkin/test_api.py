"""Check-in and badges over the JSON API: desk tokens, organiser tokens, stable error codes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from eventsys.extensions import db
from eventsys.models import EventRole
from eventsys.models.checkin import StaffToken
from eventsys.security import issue_api_token
from tests.checkin.pdfs import pdf_text, qr_codes


@pytest.fixture
def bearer(client):
    def call(method, path, token, **kwargs):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return client.open("/api/v1" + path, method=method, headers=headers, **kwargs)

    return call


@pytest.fixture
def organiser_token(desk_event):
    _token, raw = issue_api_token(desk_event.owner)
    db.session.commit()
    return raw


def test_a_desk_token_checks_in_and_retries_count_once(
    bearer, desk_event, register, badge_of, staff_token
):
    raw = staff_token(desk_event, "Accueil API")
    qr = badge_of(register(desk_event, "Zoé", "Lê"))
    body = {"qr": qr, "nonce": "5f0c6a1e-0000-4000-8000-000000000001"}
    first = bearer("POST", "/events/Z26IN001/checkins", raw, json=body)
    assert first.status_code == 200
    assert first.get_json()["result"] == "ok"
    assert first.get_json()["attendee"]["last_name"] == "Lê"
    again = bearer("POST", "/events/Z26IN001/checkins", raw, json=body)
    assert again.get_json()["result"] == "ok"
    assert again.get_json()["replayed"] is True
    other = bearer("POST", "/events/Z26IN001/checkins", raw, json={**body, "nonce": "second"})
    assert other.get_json()["result"] == "already_checked_in"
    summary = bearer("GET", "/events/Z26IN001/checkins/summary", raw)
    assert summary.get_json() == {"in": 1, "expected": 1}
    token = db.session.query(StaffToken).one()
    assert token.last_used_at is not None


def test_an_organiser_api_token_checks_in_too_and_undoes(
    bearer, desk_event, register, badge_of, organiser_token
):
    qr = badge_of(register(desk_event))
    answer = bearer("POST", "/events/Z26IN001/checkins", organiser_token,
                    json={"qr": qr, "nonce": "n1", "session": desk_event.talk.id, "device": "Porte Garonne"})  # fmt: skip
    assert answer.get_json()["result"] == "ok"
    undo = bearer("POST", "/events/Z26IN001/checkins/undo", organiser_token, json={"nonce": "n1"})
    assert undo.get_json() == {"undone": True, "result": "ok", "session": desk_event.talk.id}
    missing = bearer(
        "POST", "/events/Z26IN001/checkins/undo", organiser_token, json={"nonce": "never"}
    )
    assert missing.status_code == 404
    assert missing.get_json()["error"]["code"] == "checkin_not_found"


@pytest.mark.parametrize(
    ("state", "code"),
    [("expired", "staff_token_expired"), ("revoked", "staff_token_revoked"), ("unknown", "invalid_token"),
     ("none", "invalid_token")],
)  # fmt: skip
def test_bad_desk_tokens_get_distinct_codes(bearer, desk_event, staff_token, state, code):
    raw = staff_token(desk_event, revoked=state == "revoked")
    if state == "expired":
        db.session.query(StaffToken).one().expires_at = datetime.now(UTC) - timedelta(seconds=1)
        db.session.commit()
    token = {"unknown": "evst_nope", "none": None}.get(state, raw)
    response = bearer("POST", "/events/Z26IN001/checkins", token, json={"qr": "E1.X", "nonce": "n"})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == code
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_desk_token_of_another_event_or_a_stranger_is_forbidden(
    bearer, desk_event, make_event, make_user, staff_token
):
    other = make_event(code="Z26IN 005")
    raw = staff_token(other)
    response = bearer("POST", "/events/Z26IN001/checkins", raw, json={"qr": "E1.X", "nonce": "n"})
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"
    _t, stranger = issue_api_token(make_user("stranger@example.org"))
    db.session.commit()
    assert (
        bearer(
            "POST", "/events/Z26IN001/checkins", stranger, json={"qr": "x", "nonce": "n"}
        ).status_code
        == 403
    )
    assert (
        bearer("POST", "/events/NOPE999/checkins", raw, json={"qr": "x", "nonce": "n"}).status_code
        == 404
    )


def test_check_in_payload_is_validated(bearer, desk_event, organiser_token, register, badge_of):
    qr = badge_of(register(desk_event))
    for body in ({"qr": qr}, {"nonce": "n"}, {"qr": "", "nonce": "n"}, {"qr": qr, "nonce": "a b"},
                 {"qr": qr, "nonce": "n", "session": "1"}, {"qr": qr, "nonce": "n", "extra": 1}):  # fmt: skip
        response = bearer("POST", "/events/Z26IN001/checkins", organiser_token, json=body)
        assert response.status_code == 422, body
        assert response.get_json()["error"]["code"] == "validation_error"
    unknown = bearer(
        "POST",
        "/events/Z26IN001/checkins",
        organiser_token,
        json={"qr": qr, "nonce": "n", "session": 999999},
    )
    assert unknown.status_code == 404
    reused = bearer(
        "POST", "/events/Z26IN001/checkins", organiser_token, json={"qr": qr, "nonce": "r"}
    )
    assert reused.status_code == 200
    conflict = bearer(
        "POST", "/events/Z26IN001/checkins", organiser_token, json={"qr": "E1.OTHER", "nonce": "r"}
    )
    assert conflict.status_code == 409
    assert conflict.get_json()["error"]["code"] == "nonce_reused"


def test_invalid_scans_answer_200_with_a_reason(bearer, desk_event, organiser_token):
    response = bearer(
        "POST", "/events/Z26IN001/checkins", organiser_token, json={"qr": "hello", "nonce": "n"}
    )
    assert response.status_code == 200
    assert response.get_json() == {
        "result": "invalid",
        "reason": "malformed",
        "checked_in_at": None,
    }


def test_badge_pdfs_for_organiser_tokens_only(
    bearer, desk_event, register, organiser_token, staff_token, make_user
):
    person = register(desk_event, "Nguyễn Thị", "Minh Khai")
    register(desk_event, "Marie", "Dupont")
    one = bearer(
        "GET", f"/events/Z26IN001/registrations/{person.id}/badge.pdf?format=id1", organiser_token
    )
    assert one.status_code == 200
    assert one.mimetype == "application/pdf"
    assert "Nguyễn Thị" in pdf_text(one.data)
    [code] = qr_codes(one.data)
    check = bearer(
        "POST", "/events/Z26IN001/checkins", organiser_token, json={"qr": code, "nonce": "pdf"}
    )
    assert check.get_json()["result"] == "ok"
    every = bearer("GET", "/events/Z26IN001/badges.pdf", organiser_token)
    assert every.status_code == 200
    assert len(qr_codes(every.data)) == 2
    assert (
        bearer("GET", "/events/Z26IN001/badges.pdf?format=poster", organiser_token).status_code
        == 422
    )
    desk = staff_token(desk_event)
    assert bearer("GET", "/events/Z26IN001/badges.pdf", desk).status_code == 403
    staff = make_user("staff@example.org")
    db.session.add(EventRole(event_id=desk_event.id, user_id=staff.id, role="staff"))
    _t, staff_raw = issue_api_token(staff)
    db.session.commit()
    assert bearer("GET", "/events/Z26IN001/badges.pdf", staff_raw).status_code == 403
    assert (
        bearer(
            "GET", "/events/Z26IN001/registrations/999999/badge.pdf", organiser_token
        ).status_code
        == 404
    )
    assert bearer("GET", "/events/Z26IN001/badges.pdf", None).status_code == 401


def test_no_badges_for_an_event_without_confirmed_people(bearer, desk_event, organiser_token):
    response = bearer("GET", "/events/Z26IN001/badges.pdf", organiser_token)
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "no_badges"


def test_the_openapi_document_describes_check_in(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    post = spec["paths"]["/api/v1/events/{code}/checkins"]["post"]
    assert post["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/CheckInIn"
    )
    assert set(spec["components"]["schemas"]["CheckInIn"]["required"]) == {"qr", "nonce"}
    assert {"401", "403", "409", "422"} <= set(post["responses"])
    assert (
        "application/pdf"
        in spec["paths"]["/api/v1/events/{code}/badges.pdf"]["get"]["responses"]["200"]["content"]
    )
