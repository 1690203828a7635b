"""The demo mailbox as a newcomer uses it: in an app configured like `dev.py demo` (demo data,
the demo setting, links on the served address, e-mail sent after each commit), a person
registers; the organiser opens the mailbox, reads the confirmation as it was sent, with its
whole private link and its calendar, and follows the link."""

from __future__ import annotations

import re

import pytest
from icalendar import Calendar
from sqlalchemy import select

from eventsys.extensions import db
from eventsys.models.registration import Registration
from eventsys.services import registration as reg
from eventsys.services.demo import ORGANISER_EMAIL, ORGANISER_PASSWORD, load_demo
from tests.browser.conftest import axe_violations

LINK = re.compile(r"https?://[^\s<>\"]+/r/[A-Za-z0-9._\-]+")


@pytest.fixture
def live_server_config():
    # what dev.py demo sets (EVENTSYS_DEMO_MAILBOX, EVENTSYS_BASE_URL below); mail is delivered
    # by the background sender after each commit, as in the demo
    return {"DEMO_MAILBOX": True, "MAIL_SEND_AFTER_REQUEST": True, "PASSWORD_HASH_FAST": False}


def test_register_then_read_the_email_in_the_demo_mailbox_and_follow_its_link(live_server, page):
    live_server.app.config["BASE_URL"] = live_server.url
    with live_server.app.app_context():
        load_demo()
        db.session.commit()

    # Someone registers for the demo training day.
    page.goto(live_server("/e/Z26IN001/register"))
    page.get_by_label("Prénom").fill("Hélène")
    page.get_by_label("Nom", exact=True).fill("Garcia")
    page.get_by_label("Adresse e-mail").fill("helene.garcia@commune-exemple.fr")
    page.get_by_label(re.compile(r"^Organisation")).fill("Commune d'Exemple")
    page.get_by_label("Collectivité territoriale").check()
    page.get_by_label(re.compile("J'accepte que mes données")).check()
    page.get_by_role("button", name="Je m'inscris").click()
    page.wait_for_url(re.compile(r"/e/Z26IN001/register/sent$"))  # her link goes to her mailbox only
    assert "consultez votre messagerie" in page.get_by_role("heading", level=1).inner_text()
    with live_server.app.app_context():
        registration = db.session.scalars(select(Registration).where(Registration.email == "helene.garcia@commune-exemple.fr")).one()
        private_page = f"{live_server.url}/r/{reg.link_token(registration)}"

    # The organiser signs in and opens the mailbox.
    page.context.clear_cookies()
    page.goto(live_server("/auth/login"))
    page.get_by_label("Adresse e-mail").fill(ORGANISER_EMAIL)
    page.get_by_label("Mot de passe").fill(ORGANISER_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(re.compile(r"/manage/"))
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Boîte aux lettres (démo)").click()
    page.wait_for_url(re.compile(r"/manage/mailbox/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Boîte aux lettres de démonstration"
    row = page.get_by_role("row").filter(has_text="helene.garcia@commune-exemple.fr")
    for _ in range(20):  # sent by the background sender just after the registration's commit
        if row.count():
            break
        page.wait_for_timeout(250)
        page.reload()
    assert row.get_by_role("cell").last.inner_text() == "Envoyé"
    assert axe_violations(page) == []
    row.get_by_role("link").click()
    page.wait_for_url(re.compile(r"/manage/mailbox/\d+$"))
    assert axe_violations(page) == []

    # The message as she got it: the HTML in its frame, the text with the whole link, the calendar.
    frame = page.frame_locator("iframe.mail-html")
    assert "Hélène" in frame.locator("body").inner_text()
    text = page.locator("pre.mail-text").inner_text()
    link = LINK.search(text).group(0)
    assert link == private_page  # whole, on the served address, and hers
    with page.expect_download() as download:
        page.get_by_role("link", name="agenda-Z26IN001.ics").click()
    calendar = Calendar.from_ical(download.value.path().read_bytes())
    urls = [str(item["url"]) for item in calendar.walk("VEVENT")]
    assert urls
    assert all(url.startswith(f"{live_server.url}/e/Z26IN001") for url in urls), urls

    # Following the link opens her page.
    anchor = page.locator("pre.mail-text").get_by_role("link", name=link)
    assert anchor.get_attribute("href") == link
    anchor.focus()  # from the keyboard (a click lands between the lines of a wrapped link)
    page.keyboard.press("Enter")
    page.wait_for_url(link)
    assert "Hélène" in page.locator("main").inner_text()
