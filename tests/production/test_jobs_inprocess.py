"""Background jobs without Redis (the laptop case): the same job runs in-process, with progress,
idempotence and retries recorded on the Job row."""

from __future__ import annotations

import html
import re

import pytest

from eventsys import jobs
from eventsys.extensions import db
from eventsys.models.jobs import JOB_DONE, JOB_FAILED, Job
from tests.checkin.pdfs import pdf_text


def _job(uuid: str) -> Job:
    db.session.expire_all()
    return db.session.scalar(db.select(Job).where(Job.uuid == uuid))


def _uuid(location: str) -> str:
    match = re.search(r"/manage/jobs/([0-9a-f]{32})$", location)
    assert match, location
    return match.group(1)


@pytest.fixture
def flaky_kind():
    """A job kind that fails `failures` times, then writes a small file; removed afterwards."""
    calls = {"n": 0, "failures": 1}

    @jobs.job_kind("test_flaky")
    def flaky(job, progress):
        calls["n"] += 1
        progress(0, 3)
        if calls["n"] <= calls["failures"]:
            raise OSError("disk unavailable")
        progress(3, 3)
        return jobs.JobOutput(b"%PDF-1.4 flaky", "flaky.pdf")

    yield calls
    jobs.KINDS.pop("test_flaky", None)


def test_all_badges_run_in_process_and_the_page_offers_the_file(
    organiser_client, desk_event, register
):
    names = ["Abadie", "Bérard", "Chassagne", "Dufour", "Étienne", "Fabre", "Gaillard", "Hébert",
             "Iribarne", "Jourdan", "Kergoat"]  # fmt: skip
    people = [register(desk_event, "Łukasz", name) for name in names]
    response = organiser_client.post(
        f"/manage/events/{desk_event.id}/badges",
        data={"layout": "a4-8", "scope": "all", "job_key": "k1"},
    )
    assert response.status_code == 302
    job = _job(_uuid(response.location))
    assert job.status == JOB_DONE
    assert (job.done_items, job.total_items) == (len(people), len(people))

    page = organiser_client.get(response.location)
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<progress id="job-bar" max="100" value="100"' in text
    assert 'role="status" aria-live="polite"' in text
    assert "11 sur 11" in text
    assert "/download" in text
    assert "hidden" not in text.split('class="job-download"')[1].split(">")[0]
    assert "<script>" not in text  # CSP: the live update comes from a static file
    assert "js/job-progress.js" in text

    state = organiser_client.get(response.location + ".json").get_json()
    assert state["status"] == "done"
    assert state["percent"] == 100
    assert state["finished"] is True
    assert state["download_url"].endswith("/download")

    download = organiser_client.get(state["download_url"])
    body = download.get_data()
    download.close()
    assert download.mimetype == "application/pdf"
    assert "badges-z26in001-a4-8.pdf" in download.headers["Content-Disposition"]
    text = pdf_text(body)
    for person in people:
        assert person.last_name in text  # two A4 sheets of 8, from two rendering steps, one file


def test_submitting_the_same_form_twice_starts_one_job(organiser_client, desk_event, register):
    register(desk_event)
    data = {"layout": "a6", "scope": "all", "job_key": "same-form"}
    first = organiser_client.post(f"/manage/events/{desk_event.id}/badges", data=data)
    second = organiser_client.post(f"/manage/events/{desk_event.id}/badges", data=data)
    assert first.location == second.location
    assert db.session.scalar(db.select(db.func.count()).select_from(Job)) == 1
    other = organiser_client.post(
        f"/manage/events/{desk_event.id}/badges", data={**data, "job_key": "new"}
    )
    assert other.location != first.location  # a new visit of the page is a new print


def test_running_a_finished_job_again_does_nothing(
    app, organiser_client, desk_event, register, monkeypatch
):
    register(desk_event)
    response = organiser_client.post(
        f"/manage/events/{desk_event.id}/badges",
        data={"layout": "a6", "scope": "all", "job_key": "k"},
    )
    uuid = _uuid(response.location)
    calls = []
    monkeypatch.setitem(jobs.KINDS, "badges", lambda job, progress: calls.append(job) or None)
    assert jobs.execute(uuid, app=app) == "done already"  # a duplicate delivery of the same job
    assert calls == []
    assert _job(uuid).attempts == 1


def test_a_job_whose_file_vanished_runs_again(app, organiser_client, desk_event, register):
    register(desk_event, "Camille", "Reprise")
    response = organiser_client.post(
        f"/manage/events/{desk_event.id}/badges",
        data={"layout": "a6", "scope": "all", "job_key": "k"},
    )
    uuid = _uuid(response.location)
    jobs.result_file(_job(uuid)).unlink()  # e.g. a worker killed after the rename was lost
    page = html.unescape(organiser_client.get(response.location).get_data(as_text=True))
    assert "n'est plus disponible" in page
    assert jobs.execute(uuid, app=app) == "done"
    assert "Reprise" in pdf_text(jobs.result_file(_job(uuid)).read_bytes())
    assert _job(uuid).attempts == 2


def test_a_failed_attempt_is_retried_in_process(app, flaky_kind, desk_event):
    job, created = jobs.start_job(
        "test_flaky", event=desk_event, user=None, idempotency_key="flaky"
    )
    db.session.commit()
    assert created
    assert jobs.dispatch(job) == "sync"
    job = _job(job.uuid)
    assert job.status == JOB_DONE
    assert job.attempts == 2
    assert flaky_kind["n"] == 2
    assert jobs.result_file(job).read_bytes() == b"%PDF-1.4 flaky"


def test_a_job_that_keeps_failing_says_so(app, flaky_kind, organiser_client, desk_event):
    flaky_kind["failures"] = 99
    app.config["JOB_RETRIES"] = 2
    job, _ = jobs.start_job("test_flaky", event=desk_event, user=None, idempotency_key="broken")
    db.session.commit()
    jobs.dispatch(job)
    job = _job(job.uuid)
    assert job.status == JOB_FAILED
    assert job.attempts == 3
    assert "OSError: disk unavailable" in job.error
    state = organiser_client.get(f"/manage/jobs/{job.uuid}.json").get_json()
    assert state["finished"] is True
    assert state["download_url"] is None
    assert "a échoué" in state["message"]
    assert organiser_client.get(f"/manage/jobs/{job.uuid}/download").status_code == 404


def test_no_confirmed_person_starts_no_job(organiser_client, desk_event):
    response = organiser_client.post(
        f"/manage/events/{desk_event.id}/badges",
        data={"layout": "a6", "scope": "all"},
        follow_redirects=True,
    )
    assert "Aucune inscription confirmée" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(Job)) == 0


def test_sign_in_sheets_and_certificates_jobs(app, desk_event, register):
    from eventsys.services import checkin as svc

    person = register(desk_event, "Camille", "Présente")
    assert svc.check_in(desk_event, None, "n1", registration_id=person.id)["result"] == "ok"
    db.session.commit()
    for kind, expected in (("signin_sheets", "Présente"), ("certificates", "Présente")):
        job, _ = jobs.start_job(kind, event=desk_event, user=None, idempotency_key=kind)
        db.session.commit()
        jobs.dispatch(job)
        job = _job(job.uuid)
        assert job.status == JOB_DONE, job.error
        assert job.total_items >= 1
        assert expected in pdf_text(jobs.result_file(job).read_bytes())
