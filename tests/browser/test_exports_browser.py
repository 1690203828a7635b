"""Issue 4 as a person does it: on the public programme of the demo training day, download the PDF
programme and the calendar; then, from a private registration page, download one's own agenda."""

from __future__ import annotations

import subprocess
from pathlib import Path
from urllib.parse import urljoin

import icalendar

from eventsys.extensions import db
from tests.browser.conftest import axe_violations

CODE = "Z26IN 001"
WORKSHOP_1 = "Atelier n°1 : le document idéal à proposer aux nouvelles et nouveaux élus"
WORKSHOP_2 = "Atelier n°2 : expertise territoriale, expatriation et mobilité internationale"


def _prepare(app) -> dict:
    """The demo, a person registered to workshop 1 who opted in to the speed-networking (planned)."""
    from eventsys.services import exports, networking
    from eventsys.services import registration as reg
    from eventsys.services.demo import load_demo
    from eventsys.services.programme import find_event

    with app.app_context():
        load_demo()
        event = find_event(CODE)
        workshop = next(s for s in event.sessions if s.title == WORKSHOP_1)
        people = []
        names = [(f, ln) for ln in ("Martin", "Dubois") for f in ("Camille", "Bruno", "Chloé", "David", "Émilie",
                                                                  "Farid", "Gaëlle")]  # fmt: skip
        for i, (first, last) in enumerate(names):  # 14 people for the 7 tables of the demo
            outcome = reg.register_attendee(
                event,
                reg.RegistrationInput(
                    first_name=first, last_name=last, email=f"personne{i}@collectivite.example",
                    organisation=f"Commune n° {i}", sessions=[workshop.id], networking_opt_in=True,
                    consent=True,
                ),
                by_organiser=True, notify=False,
            )  # fmt: skip
            people.append(outcome.registration)
        session = next(s for s in event.sessions if s.type == "speed_networking")
        activity = networking.create_activity(
            event,
            session,
            {"rounds": 3, "round_minutes": 10, "changeover_minutes": 2, "group_size": 3},
        )
        networking.plan_activity(activity, time_limit_s=1.0)
        db.session.commit()
        return {
            "title": event.title,
            "sessions": len(exports.load_sessions(event)),
            "token": reg.link_token(people[0]),
            "networking": session.title,
        }


def _download(page, link) -> bytes:
    """What clicking the link gives: the downloaded file, or the file the click opened inline."""
    href = link.get_attribute("href")
    if href.endswith(".ics"):  # served as an attachment: a download
        with page.expect_download() as info:
            link.click()
        return Path(info.value.path()).read_bytes()
    with page.expect_response(lambda r: r.url == urljoin(page.url, href)) as loaded:
        link.click()
    response = loaded.value
    assert response.ok, href
    assert response.headers["content-type"].startswith("application/pdf")
    # Chromium hands an inline PDF to its viewer, which is what response.body() then gives:
    # the file itself is fetched again with the page's own request context (same cookies).
    return page.request.get(response.url).body()


def _pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "programme.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True,
                          text=True).stdout  # fmt: skip


def test_visitor_downloads_the_pdf_programme_and_the_calendar(live_server, page, tmp_path):
    demo = _prepare(live_server.app)
    page.goto(live_server("/e/Z26IN001/programme"))

    pdf_link = page.get_by_role("link", name="Programme en PDF")
    pdf = _download(page, pdf_link)
    assert pdf.startswith(b"%PDF"), pdf[:200]
    text = " ".join(_pdf_text(pdf, tmp_path).split())
    assert demo["title"] in text
    assert "Allocutions d'ouverture" in text

    page.goto(live_server("/e/Z26IN001/programme"))
    ics = _download(page, page.get_by_role("link", name="Ajouter à mon agenda"))
    calendar = icalendar.Calendar.from_ical(ics)
    events = calendar.walk("VEVENT")
    assert len(events) == demo["sessions"]
    assert {WORKSHOP_1, WORKSHOP_2} <= {str(e["SUMMARY"]) for e in events}
    assert [str(z["TZID"]) for z in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]


def test_attendee_downloads_their_own_agenda_from_the_private_page(live_server, page):
    demo = _prepare(live_server.app)
    page.goto(live_server(f"/r/{demo['token']}"))
    subscribe = page.get_by_role("link", name="M'abonner à mon agenda (mises à jour automatiques)")
    assert subscribe.get_attribute("href").startswith("webcal://127.0.0.1:")
    assert subscribe.get_attribute("href").endswith(f"/r/{demo['token']}/agenda.ics")

    assert axe_violations(page, "private registration page") == []

    ics = _download(page, page.get_by_role("link", name="Ajouter mes sessions à mon agenda"))
    events = {str(e["SUMMARY"]): e for e in icalendar.Calendar.from_ical(ics).walk("VEVENT")}
    assert WORKSHOP_1 in events
    assert WORKSHOP_2 not in events  # not chosen
    assert "Allocutions d'ouverture" in events  # for everyone
    rounds = sorted(
        e.decoded("DTSTART").strftime("%H:%M") for title, e in events.items() if ", tour " in title
    )
    assert rounds == ["12:45", "12:57", "13:09"]  # Paris wall-clock time, as on the programme
    assert demo["networking"] not in events  # replaced by the person's rounds
