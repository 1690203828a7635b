"""E-mail through a real local SMTP server (aiosmtpd): outbox, retries with back-off, delivery."""

from __future__ import annotations

import email
import socket
import time
from datetime import UTC, datetime, timedelta
from email import policy

import pytest
from aiosmtpd.controller import Controller

from eventsys.extensions import db
from eventsys.models.registration import MAIL_FAILED, MAIL_PENDING, MAIL_SENT
from eventsys.services import delivery, mail
from eventsys.services import registration as reg
from tests.conftest import PG_URL
from tests.registration.helpers import outbox, person, registrations


class Sink:
    """An SMTP server's message handler that keeps what it receives."""

    def __init__(self, refuse: set[str] | None = None) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.refuse = refuse or set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 - aiosmtpd API
        if address in self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd API
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_port() -> int:
    return _free_port()


@pytest.fixture
def app_config(smtp_port):
    return {"MAIL_BACKEND": "smtp", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_port, "MAIL_TIMEOUT": 5}


@pytest.fixture
def smtp_server(smtp_port):
    """start() the server on the app's port (it is down until then); stopped at the end."""
    servers = []

    def start(sink: Sink | None = None) -> Sink:
        sink = sink or Sink()
        controller = Controller(sink, hostname="127.0.0.1", port=smtp_port)
        controller.start()
        servers.append(controller)
        return sink

    yield start
    for controller in servers:
        controller.stop()


def test_registration_succeeds_while_smtp_is_down_and_the_mail_goes_out_when_it_is_back(client, open_event, smtp_server):
    event = open_event()
    response = client.post(f"/e/{event.code}/register", data=person())
    assert response.status_code == 302  # the person is registered: the server being down is not their problem
    link = f"/r/{reg.link_token(registrations(event)[0])}"  # their private link, which only the e-mail gives

    report = delivery.deliver_due()
    assert (report.sent, report.retrying) == (0, 1)
    [message] = outbox()
    assert message.status == MAIL_PENDING
    assert message.attempts == 1
    assert "Connection" in message.last_error or "refused" in message.last_error.lower()
    retry_in = message.next_attempt_at - datetime.now(UTC)
    assert timedelta(seconds=50) < retry_in <= timedelta(seconds=60)  # first back-off step
    assert delivery.deliver_due().retrying == 0  # not due yet: no hammering

    sink = smtp_server()
    report = delivery.deliver_due(now=datetime.now(UTC) + timedelta(seconds=61))
    assert report.sent == 1
    db.session.expire_all()
    assert outbox()[0].status == MAIL_SENT
    assert outbox()[0].sent_at is not None

    [received] = sink.messages
    assert received["To"] == "camille.martin1@ville-exemple.fr"
    assert "Inscription confirmée" in received["Subject"]
    assert received["Auto-Submitted"] == "auto-generated"
    text = received.get_body(("plain",)).get_content()
    html = received.get_body(("html",)).get_content()
    assert link in text
    assert link in html
    assert "Bonjour Camille," in text
    assert "<p>Bonjour Camille,</p>" in html
    assert delivery.deliver_due(now=datetime.now(UTC) + timedelta(hours=1)).sent == 0  # sent once only


def test_each_failure_waits_longer_then_gives_up(app, client, open_event):
    app.config["MAIL_MAX_ATTEMPTS"] = 3
    event = open_event()
    client.post(f"/e/{event.code}/register", data=person())
    now = datetime.now(UTC)
    delays = []
    for _ in range(3):
        delivery.deliver_due(now=now)
        db.session.expire_all()
        [message] = outbox()
        if message.status == MAIL_PENDING:
            delays.append(message.next_attempt_at - now)
            now = message.next_attempt_at
    assert delays == [timedelta(seconds=60), timedelta(seconds=120)]
    assert message.status == MAIL_FAILED
    assert message.attempts == 3


def test_a_refused_recipient_is_not_retried(client, open_event, smtp_server):
    sink = smtp_server(Sink(refuse={"camille.martin1@ville-exemple.fr"}))
    event = open_event()
    client.post(f"/e/{event.code}/register", data=person(1))
    client.post(f"/e/{event.code}/register", data=person(2))
    report = delivery.deliver_due()
    assert (report.sent, report.failed) == (1, 1)
    statuses = {m.to_addr: m.status for m in outbox()}
    assert statuses == {"camille.martin1@ville-exemple.fr": MAIL_FAILED, "camille.martin2@ville-exemple.fr": MAIL_SENT}
    assert len(sink.messages) == 1


def test_english_registration_gets_an_english_email(client, open_event, smtp_server):
    sink = smtp_server()
    event = open_event()
    client.post(f"/e/{event.code}/register", data=person(language="en"))
    delivery.deliver_due()
    [received] = sink.messages
    assert received["Content-Language"] == "en"
    assert event.start_date.strftime("%B") in received.get_body(("plain",)).get_content()


def test_send_mail_command_flushes_the_outbox(app, runner, client, open_event, smtp_server):
    from eventsys.cli.registration import register_commands

    if "send-mail" not in app.cli.commands:
        register_commands(app)
    event = open_event()
    client.post(f"/e/{event.code}/register", data=person())
    result = runner.invoke(args=["send-mail"])
    assert "0 sent, 1 to retry" in result.output
    sink = smtp_server()
    db.session.expire_all()
    outbox()[0].next_attempt_at = datetime.now(UTC)
    db.session.commit()
    result = runner.invoke(args=["send-mail"])
    assert "[smtp] 1 sent" in result.output
    assert len(sink.messages) == 1


@pytest.mark.skipif(bool(PG_URL), reason="the PostgreSQL test fixture shares one connection: no second thread")
def test_mail_goes_out_in_the_background_after_the_request(app, client, open_event, smtp_server):
    app.config["MAIL_SEND_AFTER_REQUEST"] = True
    sink = smtp_server()
    event = open_event()
    client.post(f"/e/{event.code}/register", data=person())
    deadline = time.monotonic() + 30  # the background sender; a loaded CI machine took more than 10 s
    while not sink.messages and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(sink.messages) == 1


def test_log_backend_prints_instead_of_sending(app, client, open_event, capsys):
    app.config["MAIL_BACKEND"] = "log"
    event = open_event()
    client.post(f"/e/{event.code}/register", data=person())
    assert delivery.deliver_due().sent == 1
    printed = capsys.readouterr().err
    assert "MAIL_BACKEND=log" in printed
    assert "To: camille.martin1@ville-exemple.fr" in printed


def test_memory_backend_keeps_messages(app, client, open_event):
    app.config["MAIL_BACKEND"] = "memory"
    event = open_event()
    client.post(f"/e/{event.code}/register", data=person())
    delivery.deliver_due()
    assert [m["To"] for m in mail.sent_messages()] == ["camille.martin1@ville-exemple.fr"]


def test_default_backend_is_smtp_only_when_a_server_is_configured(app):
    app.config["MAIL_BACKEND"] = None
    assert mail.backend() == "smtp"
    app.config["MAIL_SERVER"] = None
    assert mail.backend() == "log"


def _queued_rows() -> list[tuple[str, str, str, dict | None]]:
    """The outbox as stored, before any sender wrote it (the `outbox` helper writes it)."""
    from sqlalchemy import select

    from eventsys.models.registration import OutboxMessage

    query = select(OutboxMessage.kind, OutboxMessage.subject, OutboxMessage.body_text, OutboxMessage.notice)
    return [tuple(row) for row in db.session.execute(query.order_by(OutboxMessage.id))]


def test_a_notice_is_written_when_sent_and_says_what_was_true_when_it_was_queued(app, client, open_event):
    """The registration only queues what the e-mail must say; the sender writes the words. A person
    who was waiting when they registered, then promoted before the sender ran, reads both."""
    app.config["MAIL_BACKEND"] = "memory"
    event = open_event(settings={"capacity": 1})
    client.post(f"/e/{event.code}/register", data=person(1))
    client.post(f"/e/{event.code}/register", data=person(2, language="en"))
    rows = _queued_rows()
    assert [(kind, subject, body) for kind, subject, body, _notice in rows] == [("received", "", "")] * 2
    assert (rows[1][3]["status"], rows[1][3]["position"]) == ("waitlisted", 1)
    first_link = f"/r/{reg.link_token(registrations(event)[0])}"  # (reading it from the e-mail would write it now)

    assert client.post(f"{first_link}/cancel").status_code == 302  # the first person leaves
    event.title = "Journée voirie 2027"  # titles are read when the message leaves
    db.session.commit()

    report = delivery.deliver_due()
    assert (report.sent, report.dropped) == (4, 0)  # received ×2, cancelled, promoted
    to_second = [m for m in mail.sent_messages() if m["To"] == "camille.martin2@ville-exemple.fr"]
    assert [m["Subject"] for m in to_second] == [
        "Added to the waiting list: Journée voirie 2027",
        "A place has become available: Journée voirie 2027",
    ]
    waiting = to_second[0].get_body(("plain",)).get_content()
    assert "(position 1)" in waiting  # the waiting list as it was at registration
    assert all(body for _k, subject, body, _n in _queued_rows() for body in (subject, body))


def test_the_link_in_a_notice_keeps_the_host_the_person_registered_on(app, client, open_event):
    app.config["MAIL_BACKEND"] = "memory"
    event = open_event()
    response = client.post(
        f"/e/{event.code}/register", data=person(), base_url="https://inscriptions.example.fr"
    )
    assert response.status_code == 302
    path = f"/r/{reg.link_token(registrations(event)[0])}"
    delivery.deliver_due()  # outside any request, as the sender thread or `flask send-mail` runs
    [sent] = mail.sent_messages()
    assert f"https://inscriptions.example.fr{path}" in sent.get_body(("plain",)).get_content()


def test_a_notice_to_a_person_erased_before_it_was_sent_is_dropped(app, client, open_event):
    app.config["MAIL_BACKEND"] = "memory"
    event = open_event()
    client.post(f"/e/{event.code}/register", data=person())
    from eventsys.models.registration import Registration

    db.session.delete(db.session.scalars(db.select(Registration)).one())
    db.session.commit()
    report = delivery.deliver_due()
    assert (report.sent, report.failed, report.dropped) == (0, 0, 1)
    assert mail.sent_messages() == []
    [(kind, subject, body, _notice)] = _queued_rows()
    assert (subject, body) == ("", "")  # nothing written about someone who is gone
    assert "1 dropped" in str(report)
