"""`flask --app eventsys jobs purge [--days N]`: finished files older than the retention go."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from eventsys import jobs
from eventsys.extensions import db
from eventsys.jobs import queue as job_queue
from eventsys.models.jobs import JOB_DONE, Job


def _finished(app, event, key: str, days_ago: float) -> str:
    job, _ = jobs.start_job("certificates", event=event, user=None, idempotency_key=key)
    db.session.commit()
    job.result_path = job_queue._store(app, job, b"%PDF-1.4 " + key.encode())
    job.result_name, job.status = f"{key}.pdf", JOB_DONE
    job.finished_at = datetime.now(UTC) - timedelta(days=days_ago)
    db.session.commit()
    return job.uuid


def _file(uuid: str):
    db.session.expire_all()
    return jobs.result_file(db.session.scalar(db.select(Job).where(Job.uuid == uuid)))


def test_purge_keeps_the_retention_by_default(app, organiser_client, desk_event):
    app.config["JOB_RESULT_DAYS"] = 7
    old = _finished(app, desk_event, "old", 8)
    recent = _finished(app, desk_event, "recent", 2)
    result = app.test_cli_runner().invoke(args=["jobs", "purge"])
    assert result.exit_code == 0, result.output
    assert "1 job file(s) deleted." in result.output
    assert _file(old) is None
    assert _file(recent) is not None
    # The page of the purged job says the file is gone and offers to produce it again.
    state = organiser_client.get(f"/manage/jobs/{old}.json").get_json()
    assert state["download_url"] is None
    assert "n'est plus disponible" in state["message"]
    assert state["can_retry"] is True
    assert organiser_client.get(f"/manage/jobs/{old}/download").status_code == 404
    # Run again: nothing left to delete.
    assert "0 job file(s) deleted." in app.test_cli_runner().invoke(args=["jobs", "purge"]).output


def test_purge_with_days(app, desk_event):
    two = _finished(app, desk_event, "two", 2)
    half = _finished(app, desk_event, "half", 0.5)
    result = app.test_cli_runner().invoke(args=["jobs", "purge", "--days", "1"])
    assert "1 job file(s) deleted." in result.output
    assert _file(two) is None
    assert _file(half) is not None
    result = app.test_cli_runner().invoke(args=["jobs", "purge", "--days", "0"])
    assert "1 job file(s) deleted." in result.output
    assert _file(half) is None


def test_purge_refuses_a_negative_number_of_days(app):
    result = app.test_cli_runner().invoke(args=["jobs", "purge", "--days", "-3"])
    assert result.exit_code != 0
    assert "--days" in result.output
