"""The organiser is told which entries hold characters no font can print (issue 15, part 6)."""

from __future__ import annotations

import lxml.html
from manage_support import client_as

from eventsys.render import fonts

UNASSIGNED = "\U0001fae8"  # no installed font has it: it would print as a replacement mark


def test_dashboard_names_the_entries_that_cannot_print(app, db, make_user, make_event, make_session,
                                                        make_speaker):  # fmt: skip
    organiser = make_user()
    event = make_event(owner=organiser)
    session = make_session(event, f"Atelier {UNASSIGNED} créatif")
    make_session(event, "Café ☕ et Ωμέγα")  # DejaVu prints these: no warning
    make_speaker(event, f"Jean {UNASSIGNED}")
    html = client_as(app, organiser).get(f"/manage/events/{event.id}").get_data(as_text=True)
    section = lxml.html.fromstring(html).xpath("//section[contains(@class,'print-problems')]")[0]
    text = " ".join(section.text_content().split())
    assert "2 entrées contiennent des caractères qu'aucune police installée ne sait imprimer" in text
    assert f"Session : Atelier {UNASSIGNED} créatif (U+1FAE8)" in text
    assert f"Intervenant·e : Jean {UNASSIGNED} (U+1FAE8)" in text
    assert "Café" not in text
    link = section.xpath(".//a")[0].get("href")
    assert link == f"/manage/events/{event.id}/sessions/{session.id}/edit"
    assert fonts.REPLACEMENT == "\ufffd"


def test_no_warning_when_everything_prints(app, make_user, make_event, make_session):
    organiser = make_user()
    event = make_event(owner=organiser)
    make_session(event, "Łódź, Ελληνικά, Кириллица")
    html = client_as(app, organiser).get(f"/manage/events/{event.id}").get_data(as_text=True)
    assert "print-problems" not in html
