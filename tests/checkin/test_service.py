"""Check-in rules: every answer the desk can get, idempotent nonces, revocation, counters, tokens."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from eventsys.extensions import db
from eventsys.models.checkin import CheckIn
from eventsys.services import checkin as svc
from eventsys.services import registration as reg
from eventsys.services.errors import (
    InvalidCheckIn,
    NonceReused,
    NotFound,
    StaffTokenExpired,
    StaffTokenInvalid,
    StaffTokenRevoked,
    StaffTokenWrongEvent,
)
from eventsys.services.tokens import make_badge_token


def scan(event, qr, nonce=None, **kw):
    scan.n = getattr(scan, "n", 0) + 1
    answer = svc.check_in(event, qr, nonce or f"nonce-{scan.n}", **kw)
    db.session.commit()
    return answer


def history(event) -> list[CheckIn]:
    return list(
        db.session.scalars(select(CheckIn).where(CheckIn.event_id == event.id).order_by(CheckIn.id))
    )


def test_first_scan_is_ok_then_already_checked_in_since_the_first_time(
    desk_event, register, badge_of
):
    person = register(desk_event, "Zoé", "Lê", organisation="Ville de Lyon")
    qr = badge_of(person)
    first = scan(desk_event, qr)
    assert first["result"] == "ok"
    assert first["attendee"] == {"first_name": "Zoé", "last_name": "Lê", "organisation": "Ville de Lyon",
                                 "role": "participant"}  # fmt: skip
    assert first["checked_in_at"].endswith("Z")
    second = scan(desk_event, qr)
    assert second["result"] == "already_checked_in"
    assert second["checked_in_at"] == first["checked_in_at"]
    assert second["attendee"]["last_name"] == "Lê"
    assert [row.result for row in history(desk_event)] == ["ok", "already_checked_in"]
    assert svc.counters(desk_event)["in"] == 1


def test_the_desk_sees_only_what_it_needs(desk_event, register, badge_of):
    person = register(desk_event, "Zoé", "Lê", job_title="Ingénieure", accessibility="Fauteuil")
    answer = scan(desk_event, badge_of(person))
    assert set(answer) == {"result", "attendee", "checked_in_at"}
    assert set(answer["attendee"]) == {"first_name", "last_name", "organisation", "role"}
    assert "email" not in str(answer)
    assert "Fauteuil" not in str(answer)


def test_same_nonce_twice_counts_once_and_replays_the_first_answer(desk_event, register, badge_of):
    qr = badge_of(register(desk_event))
    first = scan(desk_event, qr, nonce="a1b2c3")
    again = scan(desk_event, qr, nonce="a1b2c3")
    assert first["result"] == again["result"] == "ok"
    assert again["replayed"] is True
    assert "replayed" not in first
    assert len(history(desk_event)) == 1
    assert svc.counters(desk_event)["in"] == 1


def test_a_nonce_reused_for_another_scan_is_refused(desk_event, register, badge_of):
    scan(desk_event, badge_of(register(desk_event)), nonce="same")
    with pytest.raises(NonceReused):
        svc.check_in(desk_event, badge_of(register(desk_event, "Autre", "Personne")), "same")


@pytest.mark.parametrize("nonce", ["", None, "x" * 65, "pas d'espace", 12])
def test_a_missing_or_odd_nonce_is_refused(desk_event, register, badge_of, nonce):
    with pytest.raises(InvalidCheckIn):
        svc.check_in(desk_event, badge_of(register(desk_event)), nonce)


def test_empty_scan_is_refused_not_recorded(desk_event):
    with pytest.raises(InvalidCheckIn):
        svc.check_in(desk_event, "   ", "n1")
    assert history(desk_event) == []


def test_a_badge_of_another_event_is_wrong_event_without_personal_data(
    desk_event, make_event, register, badge_of
):
    other = make_event(code="Z26IN 002", title="Autre journée", start_date=desk_event.start_date,
                       end_date=desk_event.end_date)  # fmt: skip
    answer = scan(desk_event, badge_of(register(other, "Zoé", "Lê")))
    assert answer == {"result": "wrong_event", "checked_in_at": None}
    assert history(desk_event)[0].registration_id is None


def test_bad_inputs_get_distinct_reasons(app, desk_event, register, badge_of):
    person = register(desk_event)
    qr = badge_of(person)
    tampered = qr[:-3] + ("A" if qr[-3] != "A" else "B") + qr[-2:]
    forged = make_badge_token(b"another installation's key", desk_event.id, person.id, 1)
    assert scan(desk_event, qr[: len(qr) // 2]) == {
        "result": "invalid",
        "reason": "malformed",
        "checked_in_at": None,
    }
    assert scan(desk_event, "https://example.org/not-a-badge")["reason"] == "malformed"
    assert scan(desk_event, tampered)["reason"] == "bad_signature"
    assert scan(desk_event, forged)["reason"] == "bad_signature"
    assert scan(desk_event, "E9." + qr[3:])["reason"] == "unsupported_version"
    assert svc.counters(desk_event)["in"] == 0
    assert [row.reason for row in history(desk_event)] == [
        "malformed", "malformed", "bad_signature", "bad_signature", "unsupported_version",
    ]  # fmt: skip


def test_a_token_typed_by_hand_with_spaces_and_lower_case_is_accepted(
    desk_event, register, badge_of
):
    qr = badge_of(register(desk_event))
    typed = " ".join(qr[i : i + 4] for i in range(0, len(qr), 4)).lower()
    assert scan(desk_event, typed)["result"] == "ok"


def test_a_reissued_badge_revokes_the_old_one(desk_event, register, badge_of):
    person = register(desk_event)
    old = badge_of(person)
    svc.reissue_badge(person)
    db.session.commit()
    new = badge_of(person)
    assert new != old
    assert scan(desk_event, old) == {
        "result": "invalid",
        "reason": "revoked",
        "checked_in_at": None,
    }
    assert scan(desk_event, new)["result"] == "ok"


def test_a_cancelled_registration_answers_cancelled_with_its_badge(desk_event, register, badge_of):
    person = register(desk_event, "Zoé", "Lê")
    qr = badge_of(person)
    reg.cancel_registration(person, notify=False)
    db.session.commit()
    answer = scan(desk_event, qr)
    assert answer["result"] == "cancelled"
    assert answer["attendee"]["last_name"] == "Lê"
    assert svc.counters(desk_event)["in"] == 0


def test_registering_again_after_cancelling_kills_the_old_badge(desk_event, register, badge_of):
    person = register(desk_event, "Zoé", "Lê", email="zoe@example.org")
    old = badge_of(person)
    reg.cancel_registration(person, notify=False)
    db.session.commit()
    again = register(desk_event, "Zoé", "Lê", email="zoe@example.org")
    assert again.id == person.id  # the same row comes back to life
    assert scan(desk_event, old)["reason"] == "revoked"
    assert scan(desk_event, badge_of(again))["result"] == "ok"


def test_pending_and_waitlisted_people_are_not_confirmed(desk_event, register, badge_of):
    person = register(desk_event)
    qr = badge_of(person)
    for status in ("pending", "waitlisted", "refused"):
        person.status = status
        db.session.commit()
        assert scan(desk_event, qr)["result"] == "not_confirmed"
    assert svc.counters(desk_event)["in"] == 0


def test_a_deleted_registration_is_invalid_unknown(desk_event, register, badge_of):
    person = register(desk_event)
    qr = badge_of(person)
    db.session.delete(person)
    db.session.commit()
    assert scan(desk_event, qr) == {"result": "invalid", "reason": "unknown", "checked_in_at": None}


def test_session_mode_counts_separately_and_checks_the_seat(desk_event, register, badge_of):
    seated = register(desk_event, "Avec", "Place", sessions=[desk_event.workshop])
    unseated = register(desk_event, "Sans", "Place")
    assert scan(desk_event, badge_of(seated))["result"] == "ok"  # at the entrance
    assert scan(desk_event, badge_of(seated), session_id=desk_event.workshop.id)["result"] == "ok"
    assert (
        scan(desk_event, badge_of(seated), session_id=desk_event.workshop.id)["result"]
        == "already_checked_in"
    )
    refused = scan(desk_event, badge_of(unseated), session_id=desk_event.workshop.id)
    assert refused["result"] == "not_confirmed"
    assert refused["reason"] == "session"
    assert (
        scan(desk_event, badge_of(unseated), session_id=desk_event.talk.id)["result"] == "ok"
    )  # open to all
    assert svc.counters(desk_event) == {"in": 1, "expected": 2}
    assert svc.counters(desk_event, desk_event.workshop) == {"in": 1, "expected": 1}
    assert svc.counters(desk_event, desk_event.talk) == {"in": 1, "expected": 2}


def test_a_session_of_another_event_is_not_found(
    desk_event, make_event, make_session, register, badge_of
):
    other = make_event(code="Z26IN 003")
    foreign = make_session(other, "Ailleurs")
    with pytest.raises(NotFound):
        svc.check_in(desk_event, badge_of(register(desk_event)), "n-x", session_id=foreign.id)


def test_undo_uncounts_but_keeps_the_scan(desk_event, register, badge_of):
    qr = badge_of(register(desk_event))
    scan(desk_event, qr, nonce="first")
    assert svc.undo_check_in(desk_event, "first") == {
        "undone": True,
        "result": "ok",
        "session": None,
    }
    db.session.commit()
    assert svc.counters(desk_event)["in"] == 0
    assert history(desk_event)[0].undone_at is not None
    assert scan(desk_event, qr)["result"] == "ok"  # welcome again
    assert svc.undo_check_in(desk_event, "first")["undone"] is False
    with pytest.raises(NotFound):
        svc.undo_check_in(desk_event, "never-sent")


def test_undo_after_a_duplicate_scan_uncounts_that_person(desk_event, register, badge_of):
    person, other = register(desk_event), register(desk_event, "Paul", "Durand")
    scan(desk_event, badge_of(other), nonce="other")
    qr = badge_of(person)
    scan(desk_event, qr, nonce="first")
    assert scan(desk_event, qr, nonce="again")["result"] == "already_checked_in"
    assert svc.undo_check_in(desk_event, "again") == {
        "undone": True,
        "result": "already_checked_in",
        "session": None,
    }
    db.session.commit()
    assert svc.counters(desk_event)["in"] == 1  # the other person is still in
    assert svc.search_attendees(desk_event, person.last_name)[0]["checked_in"] is False
    assert scan(desk_event, qr, nonce="back")["result"] == "ok"
    # In a session, the duplicate undoes the presence in that session, not at the door.
    scan(desk_event, qr, nonce="talk", session_id=desk_event.talk.id)
    scan(desk_event, qr, nonce="talk-again", session_id=desk_event.talk.id)
    assert svc.undo_check_in(desk_event, "talk-again")["undone"] is True
    db.session.commit()
    assert svc.counters(desk_event, desk_event.talk)["in"] == 0
    assert svc.counters(desk_event)["in"] == 2


def test_manual_check_in_by_registration_after_a_name_search(desk_event, register):
    person = register(desk_event, "Anaïs", "Lefèvre", organisation="Métropole de Lille")
    found = svc.search_attendees(desk_event, "lefè")
    assert [p["id"] for p in found] == [person.id]
    assert set(found[0]) == {
        "id",
        "first_name",
        "last_name",
        "organisation",
        "status",
        "checked_in",
    }
    answer = svc.check_in(desk_event, None, "manual-1", registration_id=person.id)
    db.session.commit()
    assert answer["result"] == "ok"
    assert svc.search_attendees(desk_event, "Métropole")[0]["checked_in"] is True
    assert svc.search_attendees(desk_event, "a") == []
    assert history(desk_event)[0].method == "manual"


def test_every_scan_is_recorded_with_who_and_where(desk_event, register, badge_of, make_user):
    staff = make_user("desk@example.org")
    token, _raw = svc.issue_staff_token(desk_event, "Accueil 2")
    qr = badge_of(register(desk_event))
    svc.check_in(desk_event, qr, "n-1", actor=svc.Actor(user_id=staff.id, device="Téléphone 1"))
    svc.check_in(
        desk_event, "garbage", "n-2", actor=svc.Actor(token_id=token.id, device="Accueil 2")
    )
    db.session.commit()
    rows = history(desk_event)
    assert [(r.result, r.staff_user_id, r.staff_token_id, r.device) for r in rows] == [
        ("ok", staff.id, None, "Téléphone 1"), ("invalid", None, token.id, "Accueil 2"),
    ]  # fmt: skip
    assert all(r.created_at and r.day == desk_event.start_date for r in rows)


def test_the_roles_come_from_the_programme_and_the_team(desk_event, register, badge_of):
    speaker = register(desk_event, "Camille", "Durand", email="camille.durand@example.org")
    organiser = register(desk_event, "Orga", "Nisatrice", email="organiser@example.org")
    assert scan(desk_event, badge_of(speaker))["attendee"]["role"] == "speaker"
    assert scan(desk_event, badge_of(organiser))["attendee"]["role"] == "organiser"
    roles = svc.registration_roles(desk_event)
    assert roles["camille.durand@example.org"] == "speaker"
    assert roles["organiser@example.org"] == "organiser"


# ------------------------------------------------------------------ staff tokens


def test_staff_tokens_expire_are_revocable_and_belong_to_one_event(desk_event, make_event):
    token, raw = svc.issue_staff_token(desk_event, "Accueil")
    db.session.commit()
    assert raw.startswith("evst_")
    assert token.token_hash != raw
    assert token.prefix == raw[:12]
    assert svc.verify_staff_token(raw, desk_event).id == token.id
    assert token.expires_at > datetime.now(UTC)
    with pytest.raises(StaffTokenWrongEvent):
        svc.verify_staff_token(raw, make_event(code="Z26IN 009"))
    with pytest.raises(StaffTokenExpired):
        svc.verify_staff_token(raw, desk_event, now=token.expires_at + timedelta(seconds=1))
    svc.revoke_staff_token(token)
    with pytest.raises(StaffTokenRevoked):
        svc.verify_staff_token(raw, desk_event)
    with pytest.raises(StaffTokenInvalid):
        svc.verify_staff_token("evst_unknown", desk_event)


def test_a_staff_token_cannot_expire_in_the_past(desk_event):
    from eventsys.services.errors import InvalidValue

    with pytest.raises(InvalidValue):
        svc.issue_staff_token(desk_event, "x", expires_at=datetime.now(UTC) - timedelta(hours=1))


def test_default_expiry_is_the_end_of_the_day_after_the_event(desk_event):
    expiry = svc.default_token_expiry(desk_event).astimezone(desk_event.tz)
    assert expiry.date() == desk_event.end_date + timedelta(days=1)
    assert (expiry.hour, expiry.minute) == (23, 59)
