"""Background jobs: what was asked, by whom, and how far it got.

Progress lives in the database, not in the queue or in a process, so any app server behind the
load balancer can show it, and it survives a worker restart.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from eventsys.extensions import db
from eventsys.models.types import UTCDateTime, utcnow

JOB_QUEUED = "queued"
JOB_RUNNING = "running"
JOB_DONE = "done"
JOB_FAILED = "failed"
JOB_STATUSES = (JOB_QUEUED, JOB_RUNNING, JOB_DONE, JOB_FAILED)


def _new_uuid() -> str:
    return uuid.uuid4().hex


class Job(db.Model):
    """One long piece of work (a bulk PDF …) run by a worker, or in-process without Redis."""

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(32), unique=True, default=_new_uuid)
    kind: Mapped[str] = mapped_column(String(40))
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Two submissions with the same key (a double click, a retried POST) are one job.
    idempotency_key: Mapped[str] = mapped_column(String(120), unique=True)
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(10), default=JOB_QUEUED)
    done_items: Mapped[int] = mapped_column(default=0)
    total_items: Mapped[int] = mapped_column(default=0)
    attempts: Mapped[int] = mapped_column(default=0)
    result_path: Mapped[str] = mapped_column(String(300), default="")  # relative to STORAGE_DIR
    result_name: Mapped[str] = mapped_column(String(200), default="")  # the download's file name
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def percent(self) -> int:
        if self.status == JOB_DONE:
            return 100
        if not self.total_items:
            return 0
        return min(100, self.done_items * 100 // self.total_items)

    @property
    def finished(self) -> bool:
        return self.status in (JOB_DONE, JOB_FAILED)
