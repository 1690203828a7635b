"""Issue 3 as people do it, with real e-mail: register in Chromium, read the confirmation from a
local SMTP server (aiosmtpd), follow the private link, change workshop, and see a cancellation
hand the freed seat to the person waiting, who is told by e-mail too.

The live server sends its mail the way production does: the outbox is delivered by the
background sender woken after each commit (MAIL_SEND_AFTER_REQUEST), over SMTP.
"""

from __future__ import annotations

import email
import re
import socket
import threading
import time as clock
from datetime import UTC, datetime, time, timedelta
from email import policy
from email.message import EmailMessage
from functools import partial

import pytest
from aiosmtpd.controller import Controller

from eventsys.extensions import db
from tests.browser.conftest import axe_violations

CODE = "Z26IN 042"
TITLE = "Journée d'actualité mobilités actives"
FULL = "Atelier vélo-école"  # one seat: Alice has it, Bob waits
FIRST_CHOICE = "Atelier rues partagées"
SECOND_CHOICE = "Atelier éclairage public"
URL = re.compile(r"https?://[^\s<>\"]+/r/[A-Za-z0-9._\-]+")
SHOTS = "/tmp/regbrowser"


class Mailbox:
    """aiosmtpd handler keeping every message received; wait_for() blocks until one arrives."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.arrived = threading.Condition()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd API
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        with self.arrived:
            self.messages.append(message)
            self.arrived.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, to: str, subject: str, timeout: float = 15) -> EmailMessage:
        """The first message to `to` whose subject contains `subject` (waits for delivery)."""
        deadline = clock.monotonic() + timeout
        with self.arrived:
            while True:
                for message in self.messages:
                    if message["To"] == to and subject in message["Subject"]:
                        return message
                left = deadline - clock.monotonic()
                if left <= 0:
                    got = [(m["To"], m["Subject"]) for m in self.messages]
                    pytest.fail(f"no e-mail to {to} about {subject!r}; received {got}")
                self.arrived.wait(left)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def mailbox(live_server):
    """A local SMTP server; the live server is configured to deliver to it right after each request."""
    box = Mailbox()
    port = _free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    live_server.app.config.update(
        MAIL_BACKEND="smtp",
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=port,
        MAIL_TIMEOUT=5,
        MAIL_SEND_AFTER_REQUEST=True,
        MAIL_POLL_SECONDS=3600,  # retries are not part of this test; the thread just sleeps
        MAIL_DEFAULT_SENDER="Journées d'actualité <no-reply@eventsys.test>",
    )
    yield box
    controller.stop()


def _setup(app, base_url: str) -> None:
    """A published training day in a month; a workshop of one seat taken by Alice, Bob waiting."""
    from eventsys.models import ProgrammeSession
    from eventsys.security import create_user
    from eventsys.services import programme
    from eventsys.services import registration as reg

    day = datetime.now(UTC).date() + timedelta(days=30)
    with app.test_request_context("/", base_url=base_url):  # links in the set-up's e-mails
        owner = create_user("organisatrice@example.org", "correct horse battery staple")
        event = programme.create_event(
            owner,
            {"title": TITLE, "code": CODE, "kind": "training_day", "start_date": day, "end_date": day,
             "timezone": "Europe/Paris", "languages": "fr,en", "venue_name": "Hôtel de région"},
            "{kind}{yy}EV {seq:03d}",
        )  # fmt: skip

        def session(title, start, end, **data):
            starts = programme.local_to_utc(event, day, time.fromisoformat(start))
            ends = programme.local_to_utc(event, day, time.fromisoformat(end))
            return programme.save_session(
                event, ProgrammeSession(), {"title": title, **data}, starts, ends
            )

        session("Ouverture", "09:30", "10:00", type="opening")
        workshop = {"type": "workshop", "requires_registration": True}
        full = session(FULL, "14:00", "16:00", capacity=1, **workshop)
        session(FIRST_CHOICE, "14:00", "16:00", capacity=2, **workshop)
        session(SECOND_CHOICE, "14:00", "16:00", capacity=20, **workshop)
        programme.publish_event(event)
        for first, last, mail in (
            ("Alice", "Durand", "alice@ville-exemple.fr"),
            ("Bob", "Martin", "bob@ville-exemple.fr"),
        ):
            reg.register_attendee(
                event,
                reg.RegistrationInput(first_name=first, last_name=last, email=mail, organisation="Ville d'Exemple",
                                      language="fr", consent=True, sessions=[full.id]),
            )  # fmt: skip
        db.session.commit()  # wakes the sender: Alice and Bob get their e-mails over SMTP


def _link(message: EmailMessage, base: str) -> str:
    """The private link of an e-mail: the same in the text and the HTML part, on the live server."""
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    [link] = set(URL.findall(text))
    assert link.startswith(base + "/r/")
    assert link in html
    return link


def _in(app, language: str, msgid: str, **values) -> str:
    """A message as the app says it in that language (the test does not restate translations)."""
    from flask_babel import force_locale, gettext

    with app.test_request_context("/"), force_locale(language):
        text = gettext(msgid, **values)
    if language != "fr":
        assert text != (msgid % values if values else msgid), (
            f"{msgid!r} is not translated into {language}"
        )
    return text


def _shot(page, name: str) -> None:
    page.screenshot(path=f"{SHOTS}-{name}.png", full_page=True)


def test_register_read_the_email_change_workshop_and_a_cancellation_promotes(
    live_server, mailbox, page, browser
):
    _setup(live_server.app, live_server.url)
    say = partial(_in, live_server.app)
    alice_mail = mailbox.wait_for("alice@ville-exemple.fr", "Inscription confirmée")
    bob_mail = mailbox.wait_for("bob@ville-exemple.fr", "Inscription sur liste d'attente")
    assert f"{FULL} — liste d'attente, position n°1" in bob_mail.get_body(("plain",)).get_content()

    # A person types the code from her invitation, as printed, and finds the registration form.
    page.goto(live_server("/"))
    page.get_by_role("searchbox", name="Code de session").fill("z26in 042")
    page.get_by_role("searchbox", name="Code de session").press("Enter")
    page.wait_for_url(re.compile(r"/e/Z26IN042/programme$"))
    page.get_by_role("link", name="S'inscrire").first.click()
    page.wait_for_url(re.compile(r"/e/Z26IN042/register$"))
    assert page.get_by_role("heading", level=1).inner_text() == f"Inscription : {TITLE}"
    assert axe_violations(page) == []
    full_option = page.get_by_label(re.compile(FULL))
    assert (
        "complet : liste d'attente"
        in page.locator(f"label[for='{full_option.get_attribute('id')}']").inner_text()
    )
    _shot(page, "register")

    # She fills the form with the keyboard-reachable labels; her e-mails are to be in English.
    page.get_by_label("Prénom").fill("Chloé")
    page.get_by_label("Nom", exact=True).fill("Lefèvre")
    page.get_by_label("Adresse e-mail").fill("chloe.lefevre@agglo-exemple.fr")
    page.get_by_label("Langue de vos e-mails et de votre badge").select_option(label="English")
    page.get_by_label(re.compile(r"^Organisation")).fill("Agglomération d'Exemple")
    page.get_by_label("Collectivité territoriale").check()
    page.get_by_label(re.compile(FIRST_CHOICE)).check()
    page.get_by_label(re.compile("J'accepte que mes données")).check()
    page.get_by_role("button", name="Je m'inscris").click()
    # The page answers as it would for anyone (no way to learn who is registered): see your mailbox.
    page.wait_for_url(re.compile(r"/e/Z26IN042/register/sent$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Inscription reçue : consultez votre messagerie"
    assert "Chloé" not in page.locator("main").inner_text()
    assert axe_violations(page) == []
    _shot(page, "after-register")

    # The confirmation e-mail arrives, in English, with her private link.
    message = mailbox.wait_for(
        "chloe.lefevre@agglo-exemple.fr", say("en", "Inscription confirmée : %(title)s", title="")
    )
    assert message["Content-Language"] == "en"
    body = message.get_body(("plain",)).get_content()
    assert "Chloé" in body
    assert TITLE in message["Subject"]
    assert "Inscription" not in body  # nothing left in French
    assert say("en", "Votre inscription à « %(title)s » est confirmée.", title=TITLE) in body
    link = _link(message, live_server.url)

    # Opened from the mail client: a fresh browser with no cookie of the site.
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    try:
        own = context.new_page()
        own.set_default_timeout(10_000)
        own.goto(link)
        assert own.get_by_role("heading", level=1).inner_text().endswith(TITLE)
        assert say("en", "Inscription confirmée") in own.locator(".status-panel").inner_text()
        assert FIRST_CHOICE in own.locator(".status-panel").inner_text()
        assert axe_violations(own) == []
        _shot(own, "private-page")

        # She moves to another workshop that has places.
        own.get_by_label(re.compile(SECOND_CHOICE)).check()
        own.get_by_role("button", name=say("en", "Enregistrer mes choix")).click()
        own.wait_for_load_state()
        assert own.locator(".flashes").inner_text() == say(
            "en", "Vos choix de sessions sont enregistrés."
        )
        panel = own.locator(".status-panel").inner_text()
        assert SECOND_CHOICE in panel
        assert FIRST_CHOICE not in panel
        assert own.get_by_label(re.compile(SECOND_CHOICE)).is_checked()
        changed = mailbox.wait_for(
            "chloe.lefevre@agglo-exemple.fr",
            say("en", "Inscription modifiée : %(title)s", title=""),
        )
        lines = changed.get_body(("plain",)).get_content().splitlines()
        assert [line for line in lines if "Atelier" in line] == [
            f"- 14:00 {SECOND_CHOICE} — {say('en', 'place confirmée')}"
        ]
        _shot(own, "after-change")

        # Alice cannot come: she cancels from the link in her own e-mail.
        own.goto(_link(alice_mail, live_server.url))
        own.get_by_role("link", name="Annuler mon inscription").click()
        own.get_by_role("button", name="Oui, j'annule mon inscription").click()
        own.wait_for_url(re.compile(r"/r/[^/]+$"))
        assert "Votre inscription est annulée" in own.locator(".flashes").inner_text()
        assert "Cette inscription a été annulée." in own.content()
        _shot(own, "after-cancel")
        mailbox.wait_for("alice@ville-exemple.fr", "Inscription annulée")

        # Bob, first on the waiting list, gets the seat and is told.
        promoted = mailbox.wait_for("bob@ville-exemple.fr", "Une place s'est libérée")
        assert promoted["Content-Language"] == "fr"
        assert f"{FULL} — place confirmée" in promoted.get_body(("plain",)).get_content()
        own.goto(_link(promoted, live_server.url))
        assert f"{FULL}" in own.locator(".status-panel").inner_text()
        assert "place confirmée" in own.locator(".status-panel").inner_text()
        assert "liste d'attente" not in own.locator(".status-panel").inner_text()
        # In the change form his workshop reads as his seat, not as "full: waiting list".
        mine = own.get_by_label(re.compile(FULL))
        assert mine.is_checked()
        label = own.locator(f"label[for='{mine.get_attribute('id')}']").inner_text()
        assert label.endswith("— place confirmée")
        _shot(own, "promoted")
    finally:
        context.close()

    # The register form now offers the freed workshop as full again (Bob has the seat), and the
    # second workshop with one seat fewer.
    page.goto(live_server("/e/Z26IN042/register"))
    labels = page.locator(".radio-group label").all_inner_texts()
    assert any(FULL in text and "complet" in text for text in labels)
    assert any(SECOND_CHOICE in text and "19 places restantes" in text for text in labels)
