"""A job whose worker died (status "running", no progress heartbeat for JOB_STALE_SECONDS) is
queued again, or failed with a retry button once its retries are spent; the page says so."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from eventsys import jobs
from eventsys.extensions import db
from eventsys.models.jobs import JOB_DONE, JOB_FAILED, JOB_QUEUED, JOB_RUNNING, Job
from tests.production.conftest import REDIS_URL


@pytest.fixture
def small_kind():
    calls = {"n": 0}

    @jobs.job_kind("test_small")
    def small(job, progress):
        calls["n"] += 1
        progress(1, 2)
        progress(2, 2)
        return jobs.JobOutput(b"%PDF-1.4 small", "small.pdf")

    yield calls
    jobs.KINDS.pop("test_small", None)


def _running(event, key: str, *, silent_for: int, attempts: int = 1) -> Job:
    """A job as a dead worker leaves it: running, half done, last heartbeat `silent_for` ago."""
    job, _ = jobs.start_job("test_small", event=event, user=event.owner, idempotency_key=key)
    db.session.commit()
    job.status, job.attempts, job.done_items, job.total_items = JOB_RUNNING, attempts, 1, 2
    job.updated_at = datetime.now(UTC) - timedelta(seconds=silent_for)
    db.session.commit()
    return job


def _reload(job: Job | str) -> Job:
    uuid = job if isinstance(job, str) else job.uuid
    db.session.expire_all()
    return db.session.scalar(db.select(Job).where(Job.uuid == uuid))


def test_progress_is_a_heartbeat(app, small_kind, desk_event):
    job, _ = jobs.start_job("test_small", event=desk_event, user=None, idempotency_key="beat")
    db.session.commit()
    before = datetime.now(UTC) - timedelta(seconds=1)
    jobs.dispatch(job)
    job = _reload(job)
    assert job.status == JOB_DONE
    assert job.updated_at >= before


def test_a_job_still_giving_news_is_left_alone(app, organiser_client, small_kind, desk_event):
    job = _running(desk_event, "alive", silent_for=60)
    state = organiser_client.get(f"/manage/jobs/{job.uuid}.json").get_json()
    assert state["status"] == JOB_RUNNING
    assert state["message"] == "En cours : 1 sur 2 (50 %)."
    assert state["can_retry"] is False
    assert small_kind["n"] == 0


def test_viewing_a_stale_job_runs_it_again(app, organiser_client, small_kind, desk_event):
    job = _running(desk_event, "dead-worker", silent_for=301)
    page = organiser_client.get(f"/manage/jobs/{job.uuid}")
    assert page.status_code == 200
    job = _reload(job)
    # Without Redis the job is run again in-process (synchronously in tests): done, once.
    assert job.status == JOB_DONE
    assert job.attempts == 2
    assert small_kind["n"] == 1
    assert jobs.result_file(job).read_bytes() == b"%PDF-1.4 small"
    assert "2 sur 2" in page.get_data(as_text=True)
    # Viewing again changes nothing.
    organiser_client.get(f"/manage/jobs/{job.uuid}.json")
    assert small_kind["n"] == 1


def test_the_page_says_a_stale_job_was_requeued(app, organiser_client, small_kind, desk_event):
    """What the page shows between the re-queue and a worker taking the job."""
    job = _running(desk_event, "requeued", silent_for=400)
    job.status, job.error = JOB_QUEUED, jobs.STALE_ERROR
    db.session.commit()
    state = organiser_client.get(f"/manage/jobs/{job.uuid}.json").get_json()
    assert state["status"] == JOB_QUEUED
    assert state["stale"] is True
    assert "relancée automatiquement" in state["message"]
    assert state["can_retry"] is False


def test_a_stale_job_without_retries_left_fails_with_a_retry_button(
    app, organiser_client, small_kind, desk_event
):
    app.config["JOB_RETRIES"] = 1
    job = _running(desk_event, "spent", silent_for=1000, attempts=2)
    state = organiser_client.get(f"/manage/jobs/{job.uuid}.json").get_json()
    assert state["status"] == JOB_FAILED
    assert state["finished"] is True
    assert state["can_retry"] is True
    assert "ne donne plus de nouvelles" in state["message"]
    assert small_kind["n"] == 0
    page = organiser_client.get(f"/manage/jobs/{job.uuid}").get_data(as_text=True)
    form = page.split('class="job-retry"', 1)[1].split("</form>", 1)[0]
    assert "hidden" not in form.split(">", 1)[0]
    assert 'name="csrf_token"' in form
    assert "Relancer la production" in form

    response = organiser_client.post(f"/manage/jobs/{job.uuid}/retry")
    assert response.status_code == 302
    assert response.location.endswith(f"/manage/jobs/{job.uuid}")
    job = _reload(job)
    assert (job.status, job.error, small_kind["n"]) == (JOB_DONE, "", 1)
    # A second click on a finished job does not start it again.
    again = organiser_client.post(f"/manage/jobs/{job.uuid}/retry", follow_redirects=True)
    assert "pas besoin d" in again.get_data(as_text=True)
    assert small_kind["n"] == 1


def test_the_retry_button_is_hidden_while_running(app, organiser_client, small_kind, desk_event):
    job = _running(desk_event, "busy", silent_for=5)
    page = organiser_client.get(f"/manage/jobs/{job.uuid}").get_data(as_text=True)
    form = page.split('class="job-retry"', 1)[1]
    assert form.split(">", 1)[0].strip().endswith("hidden")
    assert organiser_client.post(f"/manage/jobs/{job.uuid}/retry").status_code == 302
    assert _reload(job).status == JOB_RUNNING
    assert small_kind["n"] == 0


def test_others_cannot_retry_a_job(app, client, make_user, small_kind, desk_event):
    from tests.conftest import login

    job = _running(desk_event, "theirs", silent_for=5)
    job.status = JOB_FAILED
    db.session.commit()
    assert login(client, make_user("other@example.org")).status_code == 302
    assert client.post(f"/manage/jobs/{job.uuid}/retry").status_code == 403
    assert _reload(job).status == JOB_FAILED


def test_the_stale_delay_is_configurable(app, organiser_client, small_kind, desk_event):
    app.config["JOB_STALE_SECONDS"] = 30
    job = _running(desk_event, "short", silent_for=45)
    organiser_client.get(f"/manage/jobs/{job.uuid}.json")
    assert _reload(job).status == JOB_DONE


class TestWithRedis:
    @pytest.fixture
    def app_config(self, redis_queue):
        return {"REDIS_URL": REDIS_URL, "JOBS_QUEUE": redis_queue, "JOB_RETRY_INTERVALS": [0]}

    def test_a_starting_worker_requeues_stale_jobs_and_runs_them(
        self, app, small_kind, desk_event, monkeypatch
    ):
        if not hasattr(db.engine, "dispose"):  # PostgreSQL tests bind the session to one connection
            monkeypatch.setattr(type(db.engine), "dispose", lambda self: None, raising=False)
        stale = _running(desk_event, "w-stale", silent_for=600).uuid
        alive = _running(desk_event, "w-alive", silent_for=10).uuid
        result = app.test_cli_runner().invoke(args=["worker", "--burst", "--simple"])
        assert result.exit_code == 0, result.output
        assert "1 stale job(s) recovered." in result.output
        assert _reload(stale).status == JOB_DONE
        assert _reload(alive).status == JOB_RUNNING
        assert small_kind["n"] == 1

    def test_viewing_requeues_and_the_page_says_so_until_a_worker_runs_it(
        self, app, organiser_client, small_kind, desk_event
    ):
        job = _running(desk_event, "v-stale", silent_for=600)
        state = organiser_client.get(f"/manage/jobs/{job.uuid}.json").get_json()
        assert state["status"] == JOB_QUEUED
        assert "relancée automatiquement" in state["message"]
        assert small_kind["n"] == 0
        from rq import SimpleWorker

        SimpleWorker([app.config["JOBS_QUEUE"]], connection=jobs.redis_client(app)).work(
            burst=True, with_scheduler=False, logging_level="WARNING"
        )
        db.session.expire_all()  # the test's session is shared with the client's requests
        state = organiser_client.get(f"/manage/jobs/{job.uuid}.json").get_json()
        assert state["status"] == JOB_DONE
        assert state["download_url"]
        assert small_kind["n"] == 1
