"""Organisers edit by hand what an imported programme brings: the type label shown to attendees,
the links and documents, and whether the speakers agreed to be recorded (issue 15, part 3)."""

from __future__ import annotations

from html import unescape

import lxml.html
from manage_support import client_as
from test_manage_programme import session_form

from eventsys.models import ProgrammeSession

SLIDES = "https://docs.example.org/rnit/slides-eau.pdf"
SITE = "https://www.example.org/atelier-eau"


def _form(**changes) -> dict:
    base = {"title": "Cérémonie d'ouverture", "type": "opening", "start_time": "09:00", "end_time": "10:00",
            "description": ""}  # fmt: skip
    return session_form(**{**base, **changes})


def _imported(event, make_session):
    return make_session(
        event, "Cérémonie d'ouverture", "09:00", "10:00", type="opening", type_label="Cérémonie",
        links=[{"url": SLIDES, "title": "Diapositives", "kind": "attachment"},
               {"url": SITE, "title": "Le site", "kind": "link"}],
        do_not_record=False,
    )  # fmt: skip


def test_the_form_shows_what_the_import_brought(app, db, make_user, make_event, make_session):
    user = make_user()
    event = make_event(owner=user)
    session = _imported(event, make_session)
    page = client_as(app, user).get(f"/manage/events/{event.id}/sessions/{session.id}/edit")
    doc = lxml.html.fromstring(page.get_data(as_text=True))
    assert doc.get_element_by_id("type_label").get("value") == "Cérémonie"
    assert doc.xpath("//label[@for='type_label']")  # labelled
    assert doc.get_element_by_id("links").text_content().strip().splitlines() == [
        f"{SLIDES} Diapositives", f"{SITE} Le site"
    ]
    assert doc.get_element_by_id("recording_allowed").get("checked") is not None


def test_organiser_changes_label_links_and_recording(app, db, make_user, make_event, make_session):
    user = make_user()
    event = make_event(owner=user, status="published")
    session = _imported(event, make_session)
    client = client_as(app, user)
    response = client.post(
        f"/manage/events/{event.id}/sessions/{session.id}/edit",
        data=_form(type_label="Table ronde",
                   links=f"{SLIDES} Diapositives (version finale)\r\n\r\nhttps://replay.example.org/ouverture Replay"),
    )  # fmt: skip
    assert response.status_code == 302
    db.session.expire_all()
    stored = db.session.get(ProgrammeSession, session.id)
    assert stored.type_label == "Table ronde"
    assert stored.links == [
        {"url": SLIDES, "title": "Diapositives (version finale)", "kind": "attachment"},  # still a document
        {"url": "https://replay.example.org/ouverture", "title": "Replay", "kind": "link"},
    ]
    assert stored.do_not_record is True  # the box was left unticked: no consent, no recording
    public = unescape(client.get(f"/e/{event.code}/sessions/{session.id}").get_data(as_text=True))
    assert "Table ronde" in public
    assert "Diapositives (version finale)" in public
    assert "https://replay.example.org/ouverture" in public
    assert SITE not in public


def test_a_line_that_is_not_a_web_address_is_refused_and_nothing_is_lost(
    app, db, make_user, make_event, make_session
):
    user = make_user()
    event = make_event(owner=user)
    session = _imported(event, make_session)
    typed = f"{SLIDES} Diapositives\njavascript:alert(1) Cliquez"
    response = client_as(app, user).post(
        f"/manage/events/{event.id}/sessions/{session.id}/edit",
        data=_form(type_label="Table ronde", links=typed, recording_allowed="y"),
    )
    assert response.status_code == 200
    page = unescape(response.get_data(as_text=True))
    assert "Ligne 2 : une adresse web commençant par https:// ou http:// est attendue." in page
    doc = lxml.html.fromstring(response.get_data(as_text=True))
    assert doc.get_element_by_id("links").text_content().strip() == typed  # as typed
    assert doc.get_element_by_id("type_label").get("value") == "Table ronde"
    db.session.expire_all()
    stored = db.session.get(ProgrammeSession, session.id)
    assert stored.type_label == "Cérémonie"
    assert len(stored.links) == 2


def test_the_error_speaks_the_organisers_language(app, db, make_user, make_event, make_session):
    user = make_user()
    event = make_event(owner=user)
    session = _imported(event, make_session)
    client = client_as(app, user)
    response = client.post(
        f"/manage/events/{event.id}/sessions/{session.id}/edit",
        data=_form(links="ftp://files.example.org/x"), headers={"Accept-Language": "en"},
    )
    assert response.status_code == 200
    assert "Line 1: a web address starting with https:// or http:// is expected." in unescape(
        response.get_data(as_text=True)
    )


def test_a_new_session_is_not_recorded_unless_the_organiser_says_so(app, db, make_user, make_event):
    user = make_user()
    event = make_event(owner=user)
    client = client_as(app, user)
    assert client.post(f"/manage/events/{event.id}/sessions/new", data=_form(title="Sans accord")).status_code == 302
    assert client.post(
        f"/manage/events/{event.id}/sessions/new",
        data=_form(title="Avec accord", start_time="11:00", end_time="12:00", recording_allowed="y"),
    ).status_code == 302
    sessions = {s.title: s for s in db.session.query(ProgrammeSession).filter_by(event_id=event.id)}
    assert sessions["Sans accord"].do_not_record is True
    assert sessions["Avec accord"].do_not_record is False
    assert sessions["Avec accord"].type_label == ""
