"""Demo data: idempotent, clash-free, published, with the two demo accounts."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import func, select

from eventsys.extensions import db
from eventsys.models import (
    Event,
    EventRole,
    ProgrammeSession,
    Room,
    SessionSpeaker,
    Speaker,
    Track,
    User,
)
from eventsys.security import can_manage, can_staff, check_password, find_user
from eventsys.services import programme
from eventsys.services.demo import load_demo

# Demo events are placed a few weeks after 'today'; this day puts Z26IN 001 on Thursday 25 June 2026.
DEMO_TODAY = date(2026, 5, 28)

COUNTED = (Event, Room, Speaker, Track, ProgrammeSession, SessionSpeaker, User, EventRole)


def _counts() -> dict[str, int]:
    return {model.__name__: db.session.scalar(select(func.count()).select_from(model)) for model in COUNTED}


def test_loading_twice_changes_nothing(app):
    load_demo(today=DEMO_TODAY)
    db.session.commit()
    first = _counts()
    guids = set(db.session.scalars(select(ProgrammeSession.guid)))
    summary = load_demo(today=DEMO_TODAY)
    db.session.commit()
    assert _counts() == first
    assert set(db.session.scalars(select(ProgrammeSession.guid))) == guids
    assert first["Event"] == 2
    assert first["User"] == 2
    assert "already present" in summary


def test_demo_events_are_published_and_clash_free(app):
    load_demo()
    db.session.commit()
    day = programme.find_event("z26in 001")
    conference = programme.find_event("RNIT26")
    for event in (day, conference):
        assert event.status == "published"
        assert programme.event_clashes(event) == []
    assert (day.code_display, day.kind, day.start_date, day.end_date, day.timezone) == (
        "Z26IN 001", "training_day", day.start_date, day.start_date, "Europe/Paris"
    )  # fmt: skip
    assert day.start_date.weekday() == 3  # a Thursday, as on the programme
    assert day.start_date > datetime.now(UTC).date()  # upcoming: registration is open in the demo
    assert conference.kind == "conference"
    assert (conference.end_date - conference.start_date).days == 1
    assert conference.language_list == ["fr", "en", "de"]
    assert conference.localized("title", "de").startswith("Nationale Tagung")
    assert day.language_list == ["fr", "en"]
    assert {t.name for t in conference.tracks} >= {"Climat", "Coopération", "Numérique"}
    assert [r.capacity for r in conference.rooms if r.name.startswith("Amphithéâtre")] == [400]
    workshop_rooms = {s.room.name for s in conference.sessions if s.type == "workshop"}
    assert len(workshop_rooms) == 3
    # The welcome is at 9:30 Paris time whatever the season, stored in UTC.
    welcome = next(s for s in day.sessions if s.type == "welcome")
    assert welcome.starts_at.utcoffset().total_seconds() == 0
    local = welcome.starts_at.astimezone(day.tz)
    assert (local.hour, local.minute) == (9, 30)


def test_training_day_follows_the_cnfpt_model(app):
    load_demo(today=DEMO_TODAY)
    db.session.commit()
    day = programme.find_event("Z26IN001")
    types = [s.type for s in day.sessions]
    for expected in ("welcome", "opening", "talk", "interaction", "sharing", "meal", "speed_networking",
                     "workshop", "closing"):  # fmt: skip
        assert expected in types
    speed = next(s for s in day.sessions if s.type == "speed_networking")
    assert [link.role for link in speed.speakers] == ["facilitator"] * 7
    opening = next(s for s in day.sessions if s.type == "opening")
    assert [link.speaker.or_representative for link in opening.speakers] == [True, True]
    workshops = [s for s in day.sessions if s.type == "workshop"]
    assert len(workshops) == 2
    assert all(w.requires_registration for w in workshops)
    assert len({w.room_id for w in workshops}) == 2
    assert all(w.capacity and w.capacity <= w.room.capacity for w in workshops)
    # Invented contacts only: no real phone numbers or e-mail domains.
    for text in (day.contacts, *(sp.email for sp in day.speakers)):
        assert "@cnfpt" not in text
        assert "06 16" not in text


def test_demo_accounts_can_log_in_with_their_roles(app):
    summary = load_demo(today=DEMO_TODAY)
    db.session.commit()
    organiser = find_user("organisatrice@example.org")
    staff = find_user("accueil@example.org")
    assert check_password(organiser, "demo-organiser-2026")
    assert check_password(staff, "demo-staff-2026")
    for code in ("Z26IN001", "RNIT26"):
        event = programme.find_event(code)
        assert can_manage(organiser, event)
        assert can_staff(staff, event)
        assert not can_manage(staff, event)
    assert "organisatrice@example.org / demo-organiser-2026" in summary
    assert "accueil@example.org / demo-staff-2026" in summary


def test_demo_keeps_an_edited_event_and_an_existing_account_as_they_are(app, make_user):
    make_user(email="organisatrice@example.org", password="changed-password-1")
    load_demo(today=DEMO_TODAY)
    db.session.commit()
    day = programme.find_event("Z26IN001")
    day.title = "Titre modifié par l'organisatrice"
    db.session.commit()
    summary = load_demo(today=DEMO_TODAY)
    db.session.commit()
    assert programme.find_event("Z26IN001").title == "Titre modifié par l'organisatrice"
    assert check_password(find_user("organisatrice@example.org"), "changed-password-1")
    assert "password not changed" in summary


def test_cli_command_prints_the_summary(runner):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "Z26IN 001" in result.output
    assert "RNIT 26" in result.output
    again = runner.invoke(args=["demo"])
    assert again.exit_code == 0
    assert "already present" in again.output


def test_the_conference_greets_each_delegate_in_their_language(app, client):
    """RNIT 26 has a practical paragraph in its e-mails, in French, English and German."""
    from eventsys.services import registration as reg
    from tests.registration.helpers import outbox, person

    load_demo()
    db.session.commit()
    event = programme.find_event("RNIT26")
    assert "Rhône" in reg.load_settings(event).email_message
    for n, language in ((1, "de"), (2, "it")):
        response = client.post(f"/e/{event.code}/register", data=person(n, language=language))
        assert response.status_code == 302
    [german] = outbox(to=person(1)["email"])
    assert "Bitte bringen Sie einen Ausweis mit." in german.body_text
    [italian] = outbox(to=person(2)["email"])  # no Italian text: the main language's
    assert "Pensez à apporter une pièce d'identité." in italian.body_text
