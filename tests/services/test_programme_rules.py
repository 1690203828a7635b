"""Programme rules: codes, dates, rooms in use, clashes, publishing."""

from datetime import date

import pytest
from flask_babel import force_locale

from eventsys.models import Room
from eventsys.services import programme
from eventsys.services.clashes import (
    OUTSIDE_EVENT,
    OVER_CAPACITY,
    ROOM_DOUBLE_BOOKED,
    SPEAKER_DOUBLE_BOOKED,
)
from eventsys.services.codes import canonical_code, display_code
from eventsys.services.errors import (
    DuplicateSessionCode,
    InvalidDates,
    InvalidSessionCode,
    RoomConflict,
    RoomInUse,
    SessionOutsideEvent,
)


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [("Z26IN 001", "Z26IN001"), ("z26in-001", "Z26IN001"), (" z26in  001 ", "Z26IN001"), ("rnit 26", "RNIT26")],
)
def test_codes_are_typed_in_any_case_with_or_without_spaces(typed, canonical):
    assert canonical_code(typed) == canonical


@pytest.mark.parametrize("bad", ["", "ab", "Z26IN<script>", "é26", "A" * 21])
def test_malformed_codes_are_refused(bad):
    assert canonical_code(bad) is None


def test_display_code_splits_the_trailing_number():
    assert display_code("z26in001") == "Z26IN 001"
    assert display_code("RNIT 26") == "RNIT 26"


def test_event_code_is_generated_when_left_empty(make_event):
    first = make_event(code="")
    second = make_event(code="")
    assert first.code == "JA26EV001"
    assert first.code_display == "JA26EV 001"
    assert second.code == "JA26EV002"
    assert programme.find_event("ja26ev 002") == second


def test_duplicate_code_is_refused(make_event):
    make_event(code="Z26IN 001")
    with pytest.raises(DuplicateSessionCode):
        make_event(code="z26in001")


def test_malformed_code_and_reversed_dates_are_refused(make_event):
    with pytest.raises(InvalidSessionCode):
        make_event(code="<b>")
    with pytest.raises(InvalidDates):
        make_event(start_date=date(2026, 6, 26), end_date=date(2026, 6, 25))


def test_session_outside_event_days_is_refused(make_event, make_session):
    event = make_event()
    with pytest.raises(SessionOutsideEvent):
        make_session(event, day=date(2026, 6, 26))


def test_room_used_by_sessions_cannot_be_deleted(make_event, make_room, make_session, db):
    event = make_event()
    room = make_room(event, "Amphithéâtre")
    make_session(event, "Ouverture", room=room)
    with pytest.raises(RoomInUse, match="Ouverture"):
        programme.delete_room(room)
    db.session.rollback()
    assert db.session.get(Room, room.id) is not None


def test_the_refusals_count_in_words_in_each_language(make_event, make_room, make_session, db):
    """One session, two sessions; one room conflict, two: each count agrees with its noun."""
    event = make_event()
    hall = make_room(event, "Salle 1")
    make_session(event, "Atelier 1", "14:30", "16:00", room=hall)
    with pytest.raises(RoomInUse) as one_session:
        programme.delete_room(hall)
    make_session(event, "Atelier 2", "15:00", "16:30", room=hall)
    with pytest.raises(RoomInUse) as two_sessions:
        programme.delete_room(hall)
    with pytest.raises(RoomConflict) as one_clash:
        programme.publish_event(event)
    annex = make_room(event, "Salle 2")
    make_session(event, "Atelier 3", "09:00", "10:00", room=annex)
    make_session(event, "Atelier 4", "09:30", "10:30", room=annex)
    with pytest.raises(RoomConflict) as two_clashes:
        programme.publish_event(event)
    db.session.rollback()

    assert str(one_session.value) == (
        "La salle « Salle 1 » est utilisée par 1 session : Atelier 1. "
        "Déplacez cette session avant de supprimer la salle."
    )
    two = "utilisée par 2 sessions : Atelier 1, Atelier 2. Déplacez ces sessions"
    assert two in str(two_sessions.value)
    assert str(one_clash.value).endswith(". 1 conflit de salle à résoudre.")
    assert str(two_clashes.value).endswith(". 2 conflits de salle à résoudre.")
    with force_locale("en"):  # the messages are lazy: translated when shown
        assert "is used by 1 session: Atelier 1. Move this session" in str(one_session.value)
        two = "is used by 2 sessions: Atelier 1, Atelier 2. Move these sessions"
        assert two in str(two_sessions.value)
        assert str(one_clash.value).endswith(". 1 room conflict to resolve.")
        assert str(two_clashes.value).endswith(". 2 room conflicts to resolve.")


def test_clashes_are_found_and_block_publishing(make_event, make_room, make_session, make_speaker, db):
    event = make_event()
    small = make_room(event, "Salle 1", capacity=10)
    speaker = make_speaker(event)
    first = make_session(event, "Atelier 1", "14:30", "16:00", room=small, speakers=[(speaker, "facilitator")])
    second = make_session(event, "Atelier 2", "15:00", "16:30", room=small, speakers=[(speaker, "speaker")], capacity=30)
    kinds = {c.kind for c in programme.event_clashes(event)}
    assert kinds == {ROOM_DOUBLE_BOOKED, SPEAKER_DOUBLE_BOOKED, OVER_CAPACITY}
    with pytest.raises(RoomConflict, match="Salle 1"):
        programme.publish_event(event)
    db.session.rollback()
    other = make_room(event, "Salle 2", capacity=40)
    programme.save_session(event, second, {"room_id": other.id}, second.starts_at, second.ends_at)
    programme.publish_event(event)
    db.session.commit()
    assert event.status == "published"
    assert first.sequence == 0
    assert second.sequence == 1


def test_moving_event_dates_marks_sessions_outside(make_event, make_session, db):
    event = make_event()
    make_session(event)
    programme.save_event(event, {"start_date": date(2026, 6, 26), "end_date": date(2026, 6, 26)}, "")
    assert [c.kind for c in programme.event_clashes(event)] == [OUTSIDE_EVENT]
