"""A big programme import is applied by a background job with the progress page; a small one is
applied at once, as before."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest

from eventsys import jobs
from eventsys.extensions import db
from eventsys.models import ProgrammeSession
from eventsys.models.jobs import JOB_DONE, JOB_QUEUED, Job
from tests.conftest import login
from tests.production.conftest import REDIS_URL

HEADER = "day;start;end;room;title;type;track;speakers;description\n"


def _clock(minutes: int) -> str:
    return f"{minutes // 60}h{minutes % 60:02d}"


def _rows(count: int, bad: int = 0) -> bytes:
    lines = [
        f"25/06/2026;{_clock(480 + 5 * i)};{_clock(485 + 5 * i)};Salle {i % 3};Atelier {i:03d};;;;\n"
        for i in range(count)
    ]
    lines += [f"25/06/2026;9h75;10h;Hall;Mauvaise heure {i};;;;\n" for i in range(bad)]
    return (HEADER + "".join(lines)).encode()


@pytest.fixture
def organiser(make_user):
    return make_user()


@pytest.fixture
def own_event(make_event, organiser):
    return make_event(owner=organiser, start_date=date(2026, 6, 25), end_date=date(2026, 6, 26))


def _preview(client, event, data: bytes) -> str:
    body = b'--b\r\nContent-Disposition: form-data; name="file"; filename="p.csv"\r\n\r\n'
    body += data + b"\r\n--b--\r\n"
    response = client.post(f"/manage/events/{event.id}/import", data=body,
                           content_type="multipart/form-data; boundary=b")  # fmt: skip
    assert response.status_code == 200, response.text[:2000]
    return re.search(r'name="token"[^>]*value="([^"]+)"', response.text)[1]


def _sessions() -> int:
    db.session.expire_all()
    return db.session.scalar(db.select(db.func.count()).select_from(ProgrammeSession))


def _job(location: str) -> Job:
    match = re.search(r"/manage/jobs/([0-9a-f]{32})$", location)
    assert match, location
    db.session.expire_all()
    return db.session.scalar(db.select(Job).where(Job.uuid == match.group(1)))


def test_a_small_import_stays_immediate(app, client, own_event, organiser):
    app.config["IMPORT_JOB_ROWS"] = 20
    login(client, organiser)
    token = _preview(client, own_event, _rows(20))
    done = client.post(f"/manage/events/{own_event.id}/import/confirm", data={"token": token})
    assert done.location.endswith(f"/manage/events/{own_event.id}/import")
    assert _sessions() == 20
    assert db.session.scalar(db.select(db.func.count()).select_from(Job)) == 0


def test_a_big_import_runs_as_a_job_and_the_page_gives_the_summary(
    app, client, own_event, organiser
):
    app.config["IMPORT_JOB_ROWS"] = 20
    login(client, organiser)
    token = _preview(client, own_event, _rows(30))
    response = client.post(f"/manage/events/{own_event.id}/import/confirm", data={"token": token})
    job = _job(response.location)
    assert (job.kind, job.status) == ("programme_import", JOB_DONE)
    assert (job.done_items, job.total_items) == (30, 30)
    assert _sessions() == 30
    page = html.unescape(client.get(response.location).get_data(as_text=True))
    assert "<h1>Import du programme</h1>" in page
    assert "Import terminé : 30 sessions créées, 0 mise à jour" in page
    assert f"/manage/events/{own_event.id}/import" in page  # back to the import page
    state = client.get(response.location + ".json").get_json()
    assert state["download_url"] is None  # the result is the summary, not a file
    assert state["can_retry"] is False
    assert client.get(response.location + "/download").status_code == 404
    # Confirming the same preview again (a double click) is the same job: nothing imported twice.
    again = client.post(f"/manage/events/{own_event.id}/import/confirm", data={"token": token})
    assert again.location == response.location
    assert _sessions() == 30


def test_a_big_import_with_errors_is_refused_at_once_unless_partial(
    app, client, own_event, organiser
):
    app.config["IMPORT_JOB_ROWS"] = 20
    login(client, organiser)
    token = _preview(client, own_event, _rows(25, bad=2))
    refused = client.post(f"/manage/events/{own_event.id}/import/confirm", data={"token": token})
    assert refused.status_code == 409
    assert "rien n'a été importé" in html.unescape(refused.text)
    assert _sessions() == 0
    partial = client.post(
        f"/manage/events/{own_event.id}/import/confirm",
        data={"token": token, "accept_partial": "y"},
    )
    job = _job(partial.location)
    assert job.status == JOB_DONE
    assert _sessions() == 25
    state = client.get(partial.location + ".json").get_json()
    assert "2 lignes laissées de côté" in state["message"]


def test_an_import_job_run_twice_does_not_duplicate_sessions(app, client, own_event, organiser):
    """A worker killed after the commit but before the summary: the retry re-plans the file."""
    app.config["IMPORT_JOB_ROWS"] = 20
    login(client, organiser)
    token = _preview(client, own_event, _rows(22))
    job = _job(
        client.post(f"/manage/events/{own_event.id}/import/confirm", data={"token": token}).location
    )
    jobs.result_file(job).unlink()
    job.status = "running"
    db.session.commit()
    jobs.execute(job.uuid, app=app)
    assert _sessions() == 22
    state = client.get(f"/manage/jobs/{job.uuid}.json").get_json()
    assert "0 session créée, 22 mises à jour" in state["message"]


class TestWithRedis:
    @pytest.fixture
    def app_config(self, redis_queue):
        return {"REDIS_URL": REDIS_URL, "JOBS_QUEUE": redis_queue, "IMPORT_JOB_ROWS": 20}

    def test_the_import_waits_for_a_worker(self, app, client, own_event, organiser):
        login(client, organiser)
        token = _preview(client, own_event, _rows(60))
        response = client.post(
            f"/manage/events/{own_event.id}/import/confirm", data={"token": token}
        )
        state = client.get(response.location + ".json").get_json()
        assert state["status"] == JOB_QUEUED
        assert _sessions() == 0
        from rq import SimpleWorker

        SimpleWorker([app.config["JOBS_QUEUE"]], connection=jobs.redis_client(app)).work(
            burst=True, with_scheduler=False, logging_level="WARNING"
        )
        db.session.expire_all()
        state = client.get(response.location + ".json").get_json()
        assert state["status"] == JOB_DONE
        assert "60 sessions créées" in state["message"]
        assert _sessions() == 60
