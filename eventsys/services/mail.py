"""E-mail: an outbox written in the business transaction, and how each message is built.

The sender that delivers it with retries is `services/delivery.py` (it writes notices with the
registration rules, which queue their messages here: the outbox sits below them, delivery above).

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
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from typing import Any

from flask import Flask, current_app
from sqlalchemy import event as sa_event
from sqlalchemy import insert
from sqlalchemy.orm import Session

from eventsys.extensions import db
from eventsys.models.registration import MAIL_PENDING, REG_CONFIRMED, OutboxMessage, Registration
from eventsys.services.exports import registration_agenda
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
QUEUED_FLAG = "eventsys_outbox_queued"  # set in the session by queue_message; read after commit (jobs/outbox.py)


def init_app(app: Flask) -> None:
    """Fill in default MAIL_* settings."""
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    if app.config["MAIL_SEND_AFTER_REQUEST"] is None:
        app.config["MAIL_SEND_AFTER_REQUEST"] = not app.testing
    app.extensions.setdefault(MEMORY_KEY, [])


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
    registration, and the unit of work's flush of it cost more CPU than the statement itself.
    Without an address (a delegation member reached through a head whose data was erased), nothing."""
    if not to:
        return
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
    db.session.info[QUEUED_FLAG] = True


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

    try:
        registration = db.session.get(Registration, message.registration_id)
        if registration is None or registration.status != REG_CONFIRMED:
            return []
        # The agenda's links on the address the body's link uses (the notice's `base`: the
        # configured base URL, else the address the person registered at), not a default host.
        base = (message.notice or {}).get("base") or None
        with force_locale(message.language or registration.language or "fr"):
            body = registration_agenda(registration, root=str(base) if base else None)
        filename = f"agenda-{registration.event.code}.ics"
    except Exception:  # noqa: BLE001 - the confirmation matters more than its attachment
        logging.getLogger(__name__).exception(
            "agenda of outbox message %s not attached", message.id
        )
        return []
    return [(body, filename, {"method": "PUBLISH", "charset": "utf-8"})]


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


@sa_event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(QUEUED_FLAG, None)
