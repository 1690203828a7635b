"""The folded badge's back: the person's workshops and their speed-networking itinerary (round
times, table, theme, facilitator), read back from the PDF; the QR code still scans."""

from __future__ import annotations

import re
import subprocess

import pytest
from reportlab.lib.pagesizes import A4

from eventsys.render.badges import render_badges
from eventsys.services import checkin as svc
from eventsys.services import networking
from tests.checkin.pdfs import pdf_text, qr_codes
from tests.exports.personal import build, wall_clock


@pytest.fixture
def app_config():
    return {"NETWORKING_TIME_LIMIT_S": 1.0}


@pytest.fixture
def agenda(make_event, make_room, make_speaker, make_session):
    return build(make_event, make_room, make_speaker, make_session)


def _back(pdf: bytes) -> str:
    """The text of the back panel (lower right quarter of the A4 sheet), lines joined."""
    w, h = A4
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-x", str(int(w / 2)), "-y", str(int(h / 2)), "-W", str(int(w / 2)),
         "-H", str(int(h / 2)), "-", "-"],
        input=pdf, capture_output=True, check=True,
    ).stdout.decode()  # fmt: skip
    return re.sub(r"\s+", " ", out)


def _stops(registration):
    [(_activity, _participant, stops)] = networking.registration_itineraries(registration)
    return [s for s in stops if not s.absent]


def test_badge_back_shows_my_workshop_and_my_itinerary(app, agenda):
    person = agenda.people[0]  # chose workshop A
    [badge] = svc.badge_data(agenda.event, [person], with_programme=True)
    pdf = render_badges([badge], "a6-folded", svc.badge_options(agenda.event))
    back = _back(pdf)
    assert "Atelier A : réseaux d'eau" in back
    assert "Atelier B : assainissement" not in back
    assert "Speed-networking des territoires" in back
    stops = _stops(person)
    assert len(stops) == 3
    positions = []
    for stop in stops:
        when = f"{wall_clock(stop.starts_at)}–{wall_clock(stop.ends_at)}"
        assert when in back
        assert f"Tour {stop.number} · {stop.place}" in back
        assert f"Thème : {stop.theme}" in back.replace("\u00a0", " ")
        assert f"Animation : {stop.facilitator}" in back.replace("\u00a0", " ")
        positions.append(back.index(when))
    assert positions == sorted(positions)  # in time order
    assert [wall_clock(s.starts_at) for s in stops] == ["14:00", "14:12", "14:24"]
    # Everything fits on the back: no "continued inside" page turn for a one-day programme.
    assert "Suite du programme" not in pdf_text(pdf)
    assert qr_codes(pdf) == [badge.qr_payload, badge.qr_payload]  # front and back both scan


def test_badge_itineraries_agree_with_registration_itineraries(app, agenda):
    people = agenda.people
    languages = {p.id: "fr" for p in people}
    steps = svc.badge_itineraries(people, languages)
    for person in people:
        expected = [
            (s.number, s.place, s.theme, s.facilitator, s.starts_at, s.sitting_out)
            for s in _stops(person)
        ]
        got = [
            (s.number, s.place, s.theme, s.facilitator, s.start, s.sitting_out)
            for s in steps[person.id]
        ]
        assert got == expected


def test_badge_in_english_prints_english_round_labels(app, agenda):
    person = agenda.people[1]
    person.language = "en"
    [badge] = svc.badge_data(agenda.event, [person], with_programme=True)
    back = _back(render_badges([badge], "a6-folded", svc.badge_options(agenda.event)))
    assert "My programme" in back
    assert "Round 1 · " in back
    assert "Theme: " in back.replace("\u00a0", " ")


def test_person_outside_the_rotation_has_no_itinerary(app, agenda, make_event):
    from tests.exports.personal import register

    late = register(
        agenda.event, "Rose", "Girard", "rose@exemple.fr", [agenda.workshop_b], opt_in=False
    )
    [badge] = svc.badge_data(agenda.event, [late.registration], with_programme=True)
    assert badge.itinerary == ()
    back = _back(render_badges([badge], "a6-folded", svc.badge_options(agenda.event)))
    assert "Atelier B : assainissement" in back
    assert "Tour 1" not in back


def test_whole_event_badges_carry_everyones_itinerary(app, agenda):
    registrations = svc.badge_registrations(agenda.event)
    badges = svc.badge_data(agenda.event, registrations, with_programme=True)
    assert len(badges) == len(agenda.people)
    assert all(len(b.itinerary) == 3 for b in badges)
    # Without the programme side (a6, a4-8 layouts) nothing is looked up.
    assert all(b.itinerary == () for b in svc.badge_data(agenda.event, registrations))
