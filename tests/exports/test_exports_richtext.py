"""Rich descriptions as people meet them: formatted on the public programme, plain text in the
calendar and the spreadsheet, never a literal tag nor a script (issue 15, part 2)."""

from __future__ import annotations

from datetime import date

import icalendar

HTML = ('<p>Un <strong>atelier</strong> pratique.</p><ul><li>réseaux</li><li>voirie</li></ul>'
        '<p><a href="https://example.org/doc" onclick="steal()">Le dossier</a></p><script>alert(1)</script>')


def _event(make_event, make_room, make_session, db, description):
    event = make_event(title="Journée voirie", start_date=date(2026, 5, 5), end_date=date(2026, 5, 5))
    make_session(event, "Atelier chaussées", "09:00", "10:00", room=make_room(event, "Salle A"),
                 description=description)
    event.status = "published"
    db.session.commit()
    return event


def test_imported_html_shows_formatted_on_the_programme(client, make_event, make_room, make_session, db):
    event = _event(make_event, make_room, make_session, db, HTML)
    page = client.get(f"/e/{event.code}/programme").get_data(as_text=True)
    assert "<strong>atelier</strong>" in page
    assert "<li>réseaux</li>" in page
    assert '<a href="https://example.org/doc" rel="noopener noreferrer nofollow">Le dossier</a>' in page
    assert "&lt;p&gt;" not in page
    assert "steal()" not in page
    assert "alert(1)" not in page


def test_markdown_typed_by_an_organiser_shows_formatted(client, make_event, make_room, make_session, db):
    event = _event(make_event, make_room, make_session, db, "Un *atelier*\n\n- réseaux\n- voirie")
    page = client.get(f"/e/{event.code}/programme").get_data(as_text=True)
    assert "<em>atelier</em>" in page
    assert "<li>réseaux</li>" in page


def test_calendar_and_spreadsheet_get_plain_text(client, make_event, make_room, make_session, db):
    event = _event(make_event, make_room, make_session, db, HTML)
    feed = icalendar.Calendar.from_ical(client.get(f"/e/{event.code}/programme.ics").data)
    text = str(next(iter(feed.walk("VEVENT")))["DESCRIPTION"])
    assert "Un atelier pratique.\n\n- réseaux\n- voirie\n\nLe dossier (https://example.org/doc)" in text
    assert "<" not in text
    csv_text = client.get(f"/e/{event.code}/programme.csv").get_data(as_text=True)
    assert "Un atelier pratique." in csv_text
    assert "<p>" not in csv_text
    assert "alert" not in csv_text
