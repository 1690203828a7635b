"""The e-mail outbox through the job queue: a commit that queued mail wakes an RQ worker (a drain
job) or, without Redis, this process's sender thread.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta

from flask import Flask, current_app
from sqlalchemy import event as sa_event
from sqlalchemy import select
from sqlalchemy.orm import Session

from eventsys.extensions import db
from eventsys.jobs.queue import (
    fresh_context,
    job_app,
    redis_failed,
    rq_queue,
)
from eventsys.models.registration import MAIL_PENDING, OutboxMessage
from eventsys.services import delivery, mail

# ------------------------------------------------------------------ the outbox


def enqueue_outbox_drain(app: Flask) -> bool:
    """Ask a worker to send the outbox now; False when Redis is not usable (send another way)."""
    queue = rq_queue(app)
    if queue is None:
        return False
    from redis.exceptions import RedisError
    from rq import Retry
    from rq.exceptions import DuplicateJobError

    try:
        queue.enqueue(
            drain_outbox,
            job_id=f"{queue.name}-outbox-drain",  # one waiting drain per site at most
            unique=True,
            result_ttl=0,
            failure_ttl=86400,
            retry=Retry(max=3, interval=[5, 30, 120]),
            job_timeout=600,
        )
    except DuplicateJobError:
        pass  # a drain is already waiting: it will take this message too
    except (RedisError, OSError) as error:
        redis_failed(error)
        return False
    return True


def drain_outbox() -> str:
    """Send every due e-mail; when some wait for a retry, come back when the first one is due."""
    app = job_app()
    with fresh_context(app):
        report = delivery.deliver_due()
        next_due = db.session.scalar(
            select(OutboxMessage.next_attempt_at)
            .where(OutboxMessage.status == MAIL_PENDING)
            .order_by(OutboxMessage.next_attempt_at)
            .limit(1)
        )
        db.session.commit()
    if next_due is not None:
        queue = rq_queue(app)
        if queue is not None:
            from rq.exceptions import DuplicateJobError

            with contextlib.suppress(DuplicateJobError):
                when = max(next_due, datetime.now(UTC) + timedelta(seconds=1))
                queue.enqueue_at(
                    when,
                    drain_outbox,
                    job_id=f"{queue.name}-outbox-retry",
                    unique=True,
                    result_ttl=0,
                )
    return str(report)


def init_app(app: Flask) -> None:
    """The outbox's settings and this process's sender thread: a commit that queued mail wakes
    an RQ worker, or that thread (below)."""
    delivery.init_app(app)


@sa_event.listens_for(Session, "after_commit")
def _send_after_commit(session: Session) -> None:
    """A commit that queued mail asks for it to be sent: by an RQ worker when Redis answers,
    else by this process's sender thread."""
    if not session.info.pop(mail.QUEUED_FLAG, False):
        return
    try:
        app = current_app._get_current_object()
    except RuntimeError:
        return
    if app.config.get("MAIL_SEND_AFTER_REQUEST"):
        if app.config.get("REDIS_URL") and enqueue_outbox_drain(app):
            return
        dispatcher = app.extensions.get(delivery.DISPATCHER_KEY)
        if dispatcher is not None:
            dispatcher.kick()
