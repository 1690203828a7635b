"""A registration made in German, on the public form, produces a German e-mail, badge and
personal calendar — with the organiser's German titles where they exist, the main language's
where they do not."""

from __future__ import annotations

import re

import icalendar
import pytest

from eventsys.services import delivery, mail
from tests.i18n.test_documents import make_conference, pdf_text  # noqa: F401 - fixture
from tests.registration.helpers import FUTURE, person


@pytest.fixture
def german_registration(app, client, make_conference):  # noqa: F811
    app.config["MAIL_BACKEND"] = "memory"
    event = make_conference(FUTURE)
    form = client.get(f"/e/{event.code}/register?lang=de")
    assert form.status_code == 200
    assert '<html lang="de"' in form.get_data(as_text=True)
    response = client.post(
        f"/e/{event.code}/register?lang=de",
        data=person(7, first_name="Greta", last_name="Müller", language="de"),
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    delivery.deliver_due()
    [message] = mail.sent_messages()
    return message


def _part(message, subtype: str) -> str:
    return message.get_body(preferencelist=(subtype,)).get_content()


def test_the_confirmation_email_is_german(german_registration):
    message = german_registration
    assert message["Content-Language"] == "de"
    assert "Tagung der Ingenieure" in message["Subject"]
    for part in (_part(message, "plain"), _part(message, "html")):
        assert "Guten Tag Greta" in part
        assert "ist bestätigt" in part
        assert f"{FUTURE.day}. " in part  # the date spelt the German way ("22. Januar 2027")
        assert "Meine Anmeldung ansehen, ändern oder stornieren" in part
        assert "Geben Sie diesen Link nicht weiter" in part
        # not a word of French left: every sentence of both parts comes from the catalogue
        for french in ("Bonjour", "Votre", "Vos données", "inscription", "Ne le transmettez"):
            assert french not in part, (french, part)
    assert '<html lang="de"' in _part(message, "html")


def test_the_private_link_gives_a_german_badge_and_calendar(client, german_registration):
    link = re.search(r"https?://[^/\s]+(/r/[\w.\-]+)", _part(german_registration, "plain"))
    assert link, _part(german_registration, "plain")
    page = client.get(link.group(1))
    assert page.status_code == 200
    assert '<html lang="de"' in page.get_data(as_text=True)

    badge = pdf_text(client.get(f"{link.group(1)}/badge.pdf").data)
    assert "Tagung der Ingenieure" in badge
    assert "Rencontres de l'ingénierie" not in badge

    agenda = client.get(f"{link.group(1)}/agenda.ics")
    assert agenda.status_code == 200
    calendar = icalendar.Calendar.from_ical(agenda.data)
    summaries = {str(e["SUMMARY"]) for e in calendar.walk("VEVENT")}
    assert "Regionen anpassen" in summaries  # the plenary, in the German the organiser wrote
    locations = " ".join(str(e.get("LOCATION", "")) for e in calendar.walk("VEVENT"))
    assert "Saal Loire" in locations
