"""Background jobs on a real Redis with RQ: the web process enqueues, a worker (here a SimpleWorker
in burst mode, in the test process) runs the job; retries and the outbox drain go the same way."""

from __future__ import annotations

import pytest

from eventsys import jobs
from eventsys.extensions import db
from eventsys.models.jobs import JOB_DONE, JOB_FAILED, Job
from eventsys.services import mail
from tests.checkin.pdfs import pdf_text
from tests.production.conftest import REDIS_URL


@pytest.fixture
def app_config(redis_queue):
    return {"REDIS_URL": REDIS_URL, "JOBS_QUEUE": redis_queue, "JOB_RETRY_INTERVALS": [0]}


def work(app) -> None:
    """Run the queue until it is empty, as `flask worker --burst --simple` would."""
    from rq import SimpleWorker

    worker = SimpleWorker([app.config["JOBS_QUEUE"]], connection=jobs.redis_client(app))
    worker.work(burst=True, with_scheduler=False, logging_level="WARNING")


def _job(uuid: str) -> Job:
    db.session.expire_all()
    return db.session.scalar(db.select(Job).where(Job.uuid == uuid))


@pytest.fixture
def flaky_kind():
    calls = {"n": 0, "failures": 1}

    @jobs.job_kind("test_flaky")
    def flaky(job, progress):
        calls["n"] += 1
        if calls["n"] <= calls["failures"]:
            raise OSError("storage not mounted yet")
        progress(1, 1)
        return jobs.JobOutput(b"%PDF-1.4 ok", "ok.pdf")

    yield calls
    jobs.KINDS.pop("test_flaky", None)


def test_the_badge_job_waits_for_a_worker_then_is_ready(
    app, organiser_client, desk_event, register
):
    register(desk_event, "Camille", "Queue")
    response = organiser_client.post(
        f"/manage/events/{desk_event.id}/badges",
        data={"layout": "a6", "scope": "all", "job_key": "k"},
    )
    assert response.status_code == 302
    uuid = response.location.rsplit("/", 1)[1]
    state = organiser_client.get(response.location + ".json").get_json()
    assert (state["status"], state["finished"], state["download_url"]) == ("queued", False, None)
    assert "En attente" in organiser_client.get(response.location).get_data(as_text=True)

    work(app)

    job = _job(uuid)
    assert job.status == JOB_DONE
    assert (job.done_items, job.total_items) == (1, 1)
    state = organiser_client.get(response.location + ".json").get_json()
    assert state["percent"] == 100
    assert state["download_url"]
    download = organiser_client.get(state["download_url"])
    assert "Queue" in pdf_text(download.get_data())
    download.close()


def test_rq_retries_a_failed_job(app, flaky_kind, desk_event):
    job, _ = jobs.start_job("test_flaky", event=desk_event, user=None, idempotency_key="retry")
    db.session.commit()
    assert jobs.dispatch(job) == "rq"
    work(app)
    job = _job(job.uuid)
    assert job.status == JOB_DONE
    assert job.attempts == 2
    assert flaky_kind["n"] == 2


def test_rq_gives_up_after_the_configured_retries(app, flaky_kind, desk_event):
    flaky_kind["failures"] = 99
    app.config["JOB_RETRIES"] = 2
    job, _ = jobs.start_job("test_flaky", event=desk_event, user=None, idempotency_key="gives-up")
    db.session.commit()
    jobs.dispatch(job)
    work(app)
    job = _job(job.uuid)
    assert job.status == JOB_FAILED
    assert job.attempts == 3
    assert "storage not mounted yet" in job.error


def test_a_job_delivered_twice_runs_once(app, flaky_kind, desk_event):
    flaky_kind["failures"] = 0
    job, _ = jobs.start_job("test_flaky", event=desk_event, user=None, idempotency_key="twice")
    db.session.commit()
    jobs.dispatch(job)
    work(app)
    # The same job handed to RQ again (a duplicated message, a manual requeue): nothing is redone.
    from rq import Queue

    Queue(app.config["JOBS_QUEUE"], connection=jobs.redis_client(app)).enqueue(
        jobs.run_job, job.uuid
    )
    work(app)
    assert flaky_kind["n"] == 1
    assert _job(job.uuid).attempts == 1


def test_a_job_interrupted_mid_way_is_picked_up_again(app, flaky_kind, desk_event):
    """A worker killed while running leaves the row 'running' without a file; the retry redoes it."""
    flaky_kind["failures"] = 0
    job, _ = jobs.start_job("test_flaky", event=desk_event, user=None, idempotency_key="killed")
    job.status, job.attempts, job.done_items, job.total_items = "running", 1, 1, 3
    db.session.commit()
    jobs.dispatch(job)
    work(app)
    job = _job(job.uuid)
    assert job.status == JOB_DONE
    assert job.attempts == 2
    assert jobs.result_file(job).read_bytes() == b"%PDF-1.4 ok"


def test_registration_mail_is_sent_by_the_worker(app, client, desk_event):
    app.config["MAIL_SEND_AFTER_REQUEST"] = True
    mail.queue_message("camille@example.org", "Inscription confirmée", "Bonjour", kind="test")
    db.session.commit()  # the commit asks a worker to drain the outbox instead of a local thread
    dispatcher = app.extensions["eventsys_mail_dispatcher"]
    assert dispatcher.thread is None  # nothing was sent from the web process
    assert mail.sent_messages(app) == []
    work(app)
    assert [m["To"] for m in mail.sent_messages(app)] == ["camille@example.org"]


def test_jobs_fall_back_to_the_web_process_when_redis_is_down(
    app, organiser_client, desk_event, register
):
    from tests.production.conftest import closed_port

    app.config["REDIS_URL"] = f"redis://127.0.0.1:{closed_port()}/0"
    register(desk_event, "Camille", "Secours")
    response = organiser_client.post(
        f"/manage/events/{desk_event.id}/badges",
        data={"layout": "a6", "scope": "all", "job_key": "k"},
    )
    job = _job(response.location.rsplit("/", 1)[1])
    assert (
        job.status == JOB_DONE
    )  # run in-process (synchronously in tests) instead of waiting forever
