"""E-mail: an outbox written in the business transaction, and a sender that delivers it with retries.

A registration never waits for the mail server: `queue_message` only adds a row (flush, no commit),
so the e-mail exists if and only if the registration does. Delivery happens later, from
`flask send-mail` (cron or `--loop`) or from a per-process background thread woken after each
commit that queued mail. Each message is claimed with a short lease (`locked_until`) so several
processes can send at once without sending twice; a failure schedules a retry with exponential
back-off until `MAIL_MAX_ATTEMPTS`, then the message is marked failed (visible to organisers).

Backends (`EVENTSYS_MAIL_BACKEND`): `smtp` (the default when `EVENTSYS_MAIL_SERVER` is set), `log`
(the default otherwise: messages are printed on stderr, decoded, with whole links — development),
`memory` (tests: kept in `app.extensions["eventsys_mail_memory"]`). In development and demo mode
the demo mailbox (blueprints/mailbox) shows the outbox as each person sees their messages.
"""

from __future__ import annotations

import logging
import os
import smtplib
import sys
import threading
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from typing import Any

from flask import Flask, current_app, has_request_context
from sqlalchemy import event as sa_event
from sqlalchemy import insert, or_, select, update
from sqlalchemy.orm import Session

from eventsys.extensions import db
from eventsys.models.registration import MAIL_FAILED, MAIL_PENDING, MAIL_SENT, OutboxMessage
from eventsys.text import one_line

DEFAULTS: dict[str, Any] = {
    "MAIL_BACKEND": None,  # smtp | log | memory; None: smtp when MAIL_SERVER is set, else log
    "MAIL_SERVER": None,
    "MAIL_PORT": 25,
    "MAIL_USERNAME": None,
    "MAIL_PASSWORD": None,
    "MAIL_USE_TLS": False,  # STARTTLS after connecting
    "MAIL_USE_SSL": False,  # implicit TLS (port 465)
    "MAIL_TIMEOUT": 10,
    "MAIL_DEFAULT_SENDER": "eventsys <no-reply@localhost>",
    "MAIL_MAX_ATTEMPTS": 8,
    "MAIL_RETRY_BASE_SECONDS": 60,
    "MAIL_RETRY_MAX_SECONDS": 6 * 3600,
    "MAIL_LEASE_SECONDS": 120,
    "MAIL_BATCH_SIZE": 50,
    "MAIL_SEND_AFTER_REQUEST": None,  # None: yes, except when TESTING
    "MAIL_POLL_SECONDS": 30,
}
MEMORY_KEY = "eventsys_mail_memory"
_QUEUED_FLAG = "eventsys_outbox_queued"


def init_app(app: Flask) -> None:
    """Fill in default MAIL_* settings and wake the sender after commits that queued mail."""
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    if app.config["MAIL_SEND_AFTER_REQUEST"] is None:
        app.config["MAIL_SEND_AFTER_REQUEST"] = not app.testing
    app.extensions.setdefault(MEMORY_KEY, [])
    app.extensions["eventsys_mail_dispatcher"] = _Dispatcher(app)


def backend(app: Flask | None = None) -> str:
    """The configured delivery backend."""
    config = (app or current_app).config
    chosen = config.get("MAIL_BACKEND")
    if chosen:
        return str(chosen).lower()
    return "smtp" if config.get("MAIL_SERVER") else "log"


def sent_messages(app: Flask | None = None) -> list[EmailMessage]:
    """Messages delivered by the memory backend (tests)."""
    return (app or current_app).extensions.setdefault(MEMORY_KEY, [])


# Built once (a statement built per call cost a tenth of a millisecond in `.values()` alone);
# the columns left out get their defaults. On the table, run on the connection: an ORM-enabled
# insert(OutboxMessage) goes through the ORM's bulk-insert layer, half the CPU of this call.
_INSERT_MESSAGE = insert(OutboxMessage.__table__)


def queue_message(
    to: str,
    subject: str,
    text: str,
    html: str = "",
    *,
    kind: str = "",
    language: str = "fr",
    registration_id: int | None = None,
    notice: dict[str, Any] | None = None,
) -> None:
    """Add an e-mail to the outbox; it is sent after the surrounding transaction commits.

    With `notice` (and empty subject and bodies), the message is written when it is sent, by
    `write_pending`. A Core INSERT rather than a new ORM object: it is one row on every
    registration, and the unit of work's flush of it cost more CPU than the statement itself."""
    db.session.flush()  # Core statements do not autoflush: keep the order of the unit of work
    db.session.connection().execute(_INSERT_MESSAGE, {
        "to_addr": to,
        "subject": subject[:300],
        "body_text": text,
        "body_html": html,
        "kind": kind,
        "language": language,
        "registration_id": registration_id,
        "notice": notice,
        "status": MAIL_PENDING,
        "next_attempt_at": datetime.now(UTC),
    })  # fmt: skip
    db.session.info[_QUEUED_FLAG] = True


def retry_delay(attempts: int, app: Flask | None = None) -> timedelta:
    """Exponential back-off: base, 2×base, 4×base… capped."""
    config = (app or current_app).config
    base = int(config["MAIL_RETRY_BASE_SECONDS"])
    cap = int(config["MAIL_RETRY_MAX_SECONDS"])
    return timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


def claim_due(limit: int | None = None, now: datetime | None = None) -> list[int]:
    """Lease due messages to this sender (the caller commits the claim before sending)."""
    now = now or datetime.now(UTC)
    config = current_app.config
    limit = limit or int(config["MAIL_BATCH_SIZE"])
    due = (
        OutboxMessage.status == MAIL_PENDING,
        OutboxMessage.next_attempt_at <= now,
        or_(OutboxMessage.locked_until.is_(None), OutboxMessage.locked_until < now),
    )
    candidates = select(OutboxMessage.id).where(*due).order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
    candidates = candidates.limit(limit)
    if db.session.get_bind().dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    lease = now + timedelta(seconds=int(config["MAIL_LEASE_SECONDS"]))
    # The conditions are repeated on the UPDATE: a row another sender claimed meanwhile no longer matches.
    statement = (
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(candidates.scalar_subquery()), *due)
        .values(locked_until=lease)
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)
    )
    return sorted(db.session.scalars(statement).all())


def write_pending(message: OutboxMessage) -> bool:
    """Write a message queued as a notice (subject and both parts, in its language), once.

    False when it can no longer be written: its registration was erased or purged meanwhile,
    and there is nobody left to tell."""
    if message.body_text or not message.notice:
        return True
    from eventsys.services.registration import write_notice

    return write_notice(message)


def build_email(message: OutboxMessage, sender: str) -> EmailMessage:
    """The MIME message: plain text, plus an HTML alternative when there is one."""
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = message.to_addr
    mail["Subject"] = one_line(message.subject)  # a header: one line, whatever was stored before the rule
    mail["Date"] = formatdate(localtime=False)
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    mail["Message-ID"] = make_msgid(idstring=f"outbox{message.id}", domain=domain)
    mail["Auto-Submitted"] = "auto-generated"
    for name, value in (message.headers or {}).items():
        mail[name] = value
    mail.set_content(message.body_text)
    if message.body_html:
        mail.add_alternative(message.body_html, subtype="html")
    for data, filename, params in message_attachments(message):
        mail.add_attachment(
            data, maintype="text", subtype="calendar", filename=filename, params=params
        )
    # Last: set_content and add_attachment move Content-* headers into the parts they create.
    mail["Content-Language"] = message.language
    return mail


# E-mails that confirm a seat carry the person's agenda (.ics). It is rendered when the message is
# built for sending, not when it is queued: it then shows the sessions as they are at that moment.
AGENDA_KINDS = frozenset({"received", "approved", "promoted", "changed"})


def message_attachments(message: OutboxMessage) -> list[tuple[bytes, str, dict[str, str]]]:
    """Files to attach: (content, file name, Content-Type parameters)."""
    if message.kind not in AGENDA_KINDS or message.registration_id is None:
        return []
    from flask_babel import force_locale

    from eventsys.models.registration import REG_CONFIRMED, Registration
    from eventsys.services.exports import registration_agenda

    try:
        registration = db.session.get(Registration, message.registration_id)
        if registration is None or registration.status != REG_CONFIRMED:
            return []
        with _links_like_the_body(message), force_locale(message.language or registration.language or "fr"):
            body = registration_agenda(registration)
        filename = f"agenda-{registration.event.code}.ics"
    except Exception:  # noqa: BLE001 - the confirmation matters more than its attachment
        logging.getLogger(__name__).exception(
            "agenda of outbox message %s not attached", message.id
        )
        return []
    return [(body, filename, {"method": "PUBLISH", "charset": "utf-8"})]


def _links_like_the_body(message: OutboxMessage) -> AbstractContextManager[object]:
    """The attached agenda links to the address the body's link uses (the notice's `base`: the
    configured base URL, else the address the person registered at), not to a default host.

    Outside a request (the sender thread, `flask send-mail`) the agenda is built as if asked
    from that address; inside one (the demo mailbox) it already is."""
    base = (message.notice or {}).get("base")
    if not base or has_request_context():
        return nullcontext()
    return current_app.test_request_context("/", base_url=str(base))


@dataclass
class ReadableMail:
    """A MIME message as a person reads it: decoded text and HTML, and the attached files."""

    text: str = ""
    html: str = ""
    attachments: list[tuple[str, str, bytes]] = field(default_factory=list)  # (file name, MIME type, content)


def readable(mail: EmailMessage) -> ReadableMail:
    """Decode the parts of `mail` (quoted-printable, base64, charsets)."""
    result = ReadableMail()
    for part in mail.walk():
        if part.is_multipart():
            continue
        filename = part.get_filename()
        if filename or part.get_content_disposition() == "attachment":
            data = part.get_payload(decode=True) or b""
            result.attachments.append((filename or "piece-jointe", part.get_content_type(), data))
        elif part.get_content_type() == "text/plain" and not result.text:
            result.text = part.get_content()
        elif part.get_content_type() == "text/html" and not result.html:
            result.html = part.get_content()
    return result


def console_text(mail: EmailMessage) -> str:
    """What the log backend prints: the headers a reader looks at, the decoded text (links whole),
    and the attached files."""
    parts = readable(mail)
    lines = [f"{name}: {mail[name]}" for name in ("From", "To", "Subject", "Date") if mail[name]]
    lines += [f"Attachment: {name} ({kind}, {len(data)} bytes)" for name, kind, data in parts.attachments]
    return "\n".join([*lines, "", parts.text.rstrip("\n")])


class _Transport:
    """One SMTP connection per batch, opened on first use."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.kind = backend(app)
        self.smtp: smtplib.SMTP | None = None

    def send(self, mail: EmailMessage) -> None:
        if self.kind == "memory":
            sent_messages(self.app).append(mail)
            return
        if self.kind == "log":
            print(f"--- e-mail (MAIL_BACKEND=log, not sent) ---\n{console_text(mail)}\n--- end ---", file=sys.stderr,
                  flush=True)
            return
        if self.kind != "smtp":
            raise RuntimeError(f"unknown MAIL_BACKEND {self.kind!r}")
        if self.smtp is None:
            self.smtp = self._connect()
        self.smtp.send_message(mail)

    def _connect(self) -> smtplib.SMTP:
        config = self.app.config
        host, port, timeout = config["MAIL_SERVER"], int(config["MAIL_PORT"]), float(config["MAIL_TIMEOUT"])
        if config["MAIL_USE_SSL"]:
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=timeout)
        else:
            smtp = smtplib.SMTP(host, port, timeout=timeout)
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        return smtp

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (smtplib.SMTPException, OSError):
                self.smtp.close()
            self.smtp = None


def _permanent(error: Exception) -> bool:
    """5xx answers for the recipient will not get better by retrying."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500 and not isinstance(
        error, smtplib.SMTPSenderRefused
    )


@dataclass
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    dropped: int = 0  # notices nobody is left to receive (registration erased), or unwritable
    broken: int = 0  # messages that could not be built (retried, then failed), not the server's fault
    errors: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        text = f"{self.sent} sent, {self.retrying} to retry, {self.failed} given up"
        text += f", {self.broken} could not be built" if self.broken else ""
        return text + (f", {self.dropped} dropped" if self.dropped else "")


def deliver_due(now: datetime | None = None, limit: int | None = None) -> DeliveryReport:
    """Send every due message. A worker entry point: it COMMITS the claim and then each message's
    outcome, so that a crash or a slow server never loses track of what was already sent."""
    app = current_app._get_current_object()
    report = DeliveryReport()
    while True:
        ids = claim_due(limit, now)
        db.session.commit()
        if not ids:
            return report
        transport = _Transport(app)
        try:
            for message_id in ids:
                _deliver_one(transport, message_id, now, report)
                db.session.commit()
        finally:
            transport.close()
        if report.retrying or report.failed:
            # The server is misbehaving: leave the rest for the next run instead of hammering it.
            return report


def _deliver_one(transport: _Transport, message_id: int, now: datetime | None, report: DeliveryReport) -> None:
    message = db.session.get(OutboxMessage, message_id)
    if message is None or message.status != MAIL_PENDING:
        return
    config = transport.app.config
    try:
        written = write_pending(message)
        problem = "" if written else "registration erased before the message was written"
    except Exception as error:  # noqa: BLE001 - one unwritable message must not block the others
        logging.getLogger(__name__).exception("outbox message %s could not be written", message_id)
        problem = f"not written: {type(error).__name__}: {error}"
    if problem:
        message.status = MAIL_FAILED
        message.last_error = problem[:2000]
        message.locked_until = None
        report.dropped += 1
        db.session.flush()
        return
    message.attempts += 1
    try:
        transport.send(build_email(message, config["MAIL_DEFAULT_SENDER"]))
    except (smtplib.SMTPException, OSError) as error:  # OSError covers timeouts and refusals
        transport.close()
        _attempt_failed(transport.app, message, error, now, report, permanent=_permanent(error))
        return
    except Exception as error:  # noqa: BLE001 - this message cannot be built or sent: it alone
        # A header the mail library refuses (a line break in an address written before the
        # one-line rule existed), a template error: recorded on the message, which is retried and
        # then given up like any other; the batch goes on with the next one.
        logging.getLogger(__name__).exception("outbox message %s could not be built", message_id)
        _attempt_failed(transport.app, message, error, now, report, permanent=False, broken=True)
        return
    message.status = MAIL_SENT
    message.sent_at = now or datetime.now(UTC)
    message.locked_until = None
    message.last_error = ""
    report.sent += 1
    db.session.flush()


def _attempt_failed(app: Flask, message: OutboxMessage, error: Exception, now: datetime | None,
                    report: DeliveryReport, *, permanent: bool, broken: bool = False) -> None:
    """Record a failed attempt and its reason: retried after a delay, failed once its attempts are spent."""
    message.last_error = f"{type(error).__name__}: {error}"[:2000]
    message.locked_until = None
    if permanent or message.attempts >= int(app.config["MAIL_MAX_ATTEMPTS"]):
        message.status = MAIL_FAILED
        report.failed += not broken
    else:
        message.next_attempt_at = (now or datetime.now(UTC)) + retry_delay(message.attempts, app)
        report.retrying += not broken
    report.broken += broken
    report.errors.append(message.last_error)
    db.session.flush()


# ------------------------------------------------------------------ background sending


class _Dispatcher:
    """A daemon thread per process that delivers after commits, then polls for retries."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.wake = threading.Event()
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None
        self.pid: int | None = None

    def kick(self) -> None:
        with self.lock:
            # After a fork (gunicorn), the parent's thread does not exist in the child.
            if self.thread is None or not self.thread.is_alive() or self.pid != os.getpid():
                self.pid = os.getpid()
                self.thread = threading.Thread(target=self._run, name="eventsys-mail", daemon=True)
                self.thread.start()
        self.wake.set()

    def _run(self) -> None:
        poll = float(self.app.config["MAIL_POLL_SECONDS"])
        while True:
            self.wake.wait(timeout=poll)
            self.wake.clear()
            with self.app.app_context():
                try:
                    deliver_due()
                except Exception:  # noqa: BLE001 - the thread must survive a database hiccup
                    db.session.rollback()
                    self.app.logger.exception("mail delivery failed")
                finally:
                    db.session.remove()


@sa_event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if not session.info.pop(_QUEUED_FLAG, False):
        return
    try:
        app = current_app._get_current_object()
    except RuntimeError:
        return
    if app.config.get("MAIL_SEND_AFTER_REQUEST"):
        if app.config.get("REDIS_URL"):
            from eventsys import jobs

            if jobs.enqueue_outbox_drain(app):  # an RQ worker sends it; without Redis, this process does
                return
        dispatcher = app.extensions.get("eventsys_mail_dispatcher")
        if dispatcher is not None:
            dispatcher.kick()


@sa_event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_QUEUED_FLAG, None)
