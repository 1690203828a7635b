"""A visitor of a large conference programme, as a person does it: JavaScript off, keyboard only,
filters by theme and words, goes to another day, opens a session (issue 15, part 7)."""

from __future__ import annotations

import re
from datetime import date, time, timedelta

from eventsys.extensions import db
from eventsys.models import ProgrammeSession, Room, Track
from eventsys.models.events import STATUS_PUBLISHED
from eventsys.security import create_user
from eventsys.services import programme
from tests.browser.conftest import axe_violations

FIRST = date(2027, 3, 15)


def _conference(live_server) -> str:
    """Three days of 30 sessions in three rooms and two themes; returns the event's code."""
    with live_server.app.app_context():
        owner = create_user("orga@example.org", "browser-organiser-pw", name="Orga")
        event = programme.create_event(owner, {
            "title": "Rencontres nationales", "kind": "conference", "start_date": FIRST,
            "end_date": FIRST + timedelta(days=2), "timezone": "Europe/Paris", "languages": "fr", "code": "C27RN 001",
        }, "{kind}{yy}RN {seq:03d}")  # fmt: skip
        rooms = [programme.save_room(event, Room(), {"name": name, "capacity": 50})
                 for name in ("Amphithéâtre Nord", "Salle Érable", "Salle Chêne")]  # fmt: skip
        themes = [Track(event=event, name="Énergie"), Track(event=event, name="Voirie")]
        db.session.add_all(themes)
        db.session.flush()
        for day_index in range(3):
            day = FIRST + timedelta(days=day_index)
            for n in range(30):
                hour, room = divmod(n, 3)
                starts = programme.local_to_utc(event, day, time(8 + hour, 0))
                data = {"title": f"Jour {day_index + 1} séance {n:02d}", "type": "talk", "room_id": rooms[room].id,
                        "track_id": themes[n % 2].id,
                        "description": "<p>Résumé <em>détaillé</em> de la séance. " + "Suite du texte. " * 30 + "</p>"}
                programme.save_session(event, ProgrammeSession(), data, starts, starts + timedelta(minutes=50))
        event.status = STATUS_PUBLISHED
        db.session.commit()
        return event.code


def _titles(page) -> list[str]:
    return [" ".join(t.split()) for t in page.locator("li.session-card h3").all_inner_texts()]


def test_visitor_filters_without_javascript_using_the_keyboard(live_server, browser):
    code = _conference(live_server)
    context = browser.new_context(locale="fr-FR", java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(live_server(f"/e/{code}/programme"))
        assert len(_titles(page)) == 30
        assert all(title.startswith("Jour 1 ") for title in _titles(page))

        # Keyboard only: the labelled controls, then Enter submits the form.
        page.get_by_label("Thème", exact=True).focus()
        page.keyboard.press("ArrowDown")  # "Tous les thèmes" -> the first theme (alphabetical: Voirie)
        page.get_by_label("Mots-clés").focus()
        page.keyboard.type("ERABLE")  # the room "Salle Érable": accents and case do not matter
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"theme=\d+"))
        assert "q=ERABLE" in page.url
        theme = page.get_by_label("Thème", exact=True)
        assert theme.locator("option:checked").inner_text() == "Voirie"  # the choice stays shown
        assert _titles(page) == [f"Jour 1 séance {n:02d}" for n in (1, 7, 13, 19, 25)]
        assert page.get_by_role("status").inner_text() == "5 sessions correspondent à votre recherche."
        assert page.get_by_label("Mots-clés").input_value() == "ERABLE"

        # The same search over every day.
        page.get_by_label("Jour", exact=True).select_option("all")
        page.get_by_role("button", name="Filtrer").click()
        page.wait_for_url(re.compile(r"day=all"))
        assert len(_titles(page)) == 15
        page.get_by_role("link", name="Effacer les filtres").click()
        page.wait_for_load_state()
        assert len(_titles(page)) == 30

        # Another day, then one session read whole.
        page.get_by_role("link", name=re.compile(r"mardi 16 mars 2027")).click()
        page.wait_for_url(re.compile(r"/programme/2027-03-16$"))
        assert all(title.startswith("Jour 2 ") for title in _titles(page))
        page.get_by_role("link", name="Lire la suite : Jour 2 séance 05").click()
        page.wait_for_url(re.compile(r"/sessions/\d+$"))
        assert page.get_by_role("heading", level=1).inner_text() == "Jour 2 séance 05"
        assert page.locator(".session-description em").inner_text() == "détaillé"
        assert page.content().count("Suite du texte.") == 30
        page.get_by_role("link", name=re.compile("Retour au programme du mardi 16 mars 2027")).click()
        page.wait_for_url(re.compile(r"/programme/2027-03-16#session-\d+$"))
    finally:
        context.close()


def test_day_page_and_session_page_pass_the_accessibility_audit(live_server, page):
    code = _conference(live_server)
    page.goto(live_server(f"/e/{code}/programme/2027-03-17?theme=1&q=s%C3%A9ance"))
    assert axe_violations(page, "programme") == []
    page.get_by_role("link", name=re.compile("^Lire la suite")).first.click()
    page.wait_for_url(re.compile(r"/sessions/\d+$"))
    assert axe_violations(page, "session") == []
