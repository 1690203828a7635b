"""Delivering the outbox: claim due messages, write the notices, send, retry with back-off.

A worker's business (`flask send-mail`, the RQ outbox drain, or the per-process sender thread
started after a commit that queued mail); the outbox itself, and how a message is built, are in
`services/mail.py`. Notices are written here, when sent, by the registration rules: delivery sits
above them, the outbox below.
"""

from __future__ import annotations

import logging
import os
import smtplib
import sys
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

from flask import Flask, current_app
from sqlalchemy import or_, select, update

from eventsys.extensions import db
from eventsys.models.registration import MAIL_FAILED, MAIL_PENDING, MAIL_SENT, OutboxMessage
from eventsys.services.mail import backend, build_email, console_text, sent_messages
from eventsys.services.mail import init_app as init_mail
from eventsys.services.registration import write_notice

DISPATCHER_KEY = "eventsys_mail_dispatcher"


def init_app(app: Flask) -> None:
    """The MAIL_* defaults, and this process's sender thread (started by the first commit that
    queues mail)."""
    init_mail(app)
    app.extensions[DISPATCHER_KEY] = _Dispatcher(app)


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
    return write_notice(message)


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
