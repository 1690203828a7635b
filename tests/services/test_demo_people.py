"""The demo comes with invented people: registrations on both events, some waiting for a full
workshop, arrivals checked in, enough speed-networking opt-ins to plan a rotation at once, and
tables that show their theme. Loading it again adds nobody."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import func, select

from eventsys.extensions import db
from eventsys.models.checkin import CheckIn
from eventsys.models.registration import Registration, RegistrationChoice
from eventsys.services import checkin, networking, programme
from eventsys.services.demo import load_demo
from tests.conftest import login

DEMO_TODAY = date(2026, 5, 28)


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_both_events_have_people_waiting_arrived_and_opted_in(app):
    load_demo(today=DEMO_TODAY)
    db.session.commit()
    day, conference = programme.find_event("Z26IN 001"), programme.find_event("RNIT 26")
    for event in (day, conference):
        assert _count(Registration, Registration.event_id == event.id) >= 40
        arrived = _count(CheckIn, CheckIn.event_id == event.id, CheckIn.counted_key.is_not(None))
        assert arrived >= 20
        assert all(r.email.endswith("@example.org") for r in db.session.scalars(
            select(Registration).where(Registration.event_id == event.id)))  # fmt: skip
    waiting = _count(RegistrationChoice, RegistrationChoice.status == "waitlisted")
    assert waiting >= 3
    opted_in = _count(Registration, Registration.event_id == day.id, Registration.networking_opt_in.is_(True),
                      Registration.status == "confirmed")  # fmt: skip
    assert opted_in >= 21
    names = {(p["first_name"], p["last_name"]) for p in checkin.search_attendees(day, "helene garcia")}
    assert ("Hélène", "García") in names
    assert checkin.search_attendees(day, "muller")


def test_loading_again_adds_nobody(app):
    load_demo(today=DEMO_TODAY)
    db.session.commit()
    before = (_count(Registration), _count(CheckIn), _count(RegistrationChoice))
    load_demo(today=DEMO_TODAY)
    db.session.commit()
    assert (_count(Registration), _count(CheckIn), _count(RegistrationChoice)) == before


def test_a_rotation_can_be_planned_at_once_with_a_theme_per_table(app):
    load_demo(today=DEMO_TODAY)
    db.session.commit()
    day = programme.find_event("Z26IN 001")
    session = next(s for s in day.sessions if s.type == "speed_networking")
    activity = networking.create_activity(day, session, {"rounds": 3})
    db.session.commit()
    assert len(activity.participants) >= 21
    assert len(activity.stations) == 7
    assert all(station.theme for station in activity.stations)
    assert activity.stations[0].theme == "ODD et AICT"


def test_organiser_and_desk_pages_open_with_content(app, client):
    from eventsys.security import find_user

    load_demo(today=DEMO_TODAY)
    db.session.commit()
    day = programme.find_event("Z26IN 001")
    login(client, find_user("organisatrice@example.org"), "demo-organiser-2026")
    registrations = client.get(f"/manage/events/{day.id}/registrations").get_data(as_text=True)
    assert "García" in registrations
    assert "liste d'attente" in registrations
    attendance = client.get(f"/manage/events/{day.id}/attendance")
    assert attendance.status_code == 200
    search = client.get("/staff/Z26IN001/scan/search?q=lefevre").get_json()
    assert search["items"]


def test_the_demo_desk_counts_the_arrivals_on_the_day_it_is_loaded(app, client):
    from eventsys.security import find_user

    load_demo()
    db.session.commit()
    login(client, find_user("accueil@example.org"), "demo-staff-2026")
    page = client.get("/staff/Z26IN001/scan").get_data(as_text=True)
    present = re.search(r'id="count-in">(\d+)<', page)
    assert present, page[:2000]
    assert int(present.group(1)) >= 20
    assert client.get("/staff/Z26IN001/scan/counters").get_json()["in"] == int(present.group(1))
