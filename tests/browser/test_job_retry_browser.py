"""A job that fails while its page is open: the message and the retry button appear without a
reload; the button starts it again and the file is then offered."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from eventsys import jobs
from eventsys.extensions import db
from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def failing_once():
    gate = threading.Event()
    calls = {"n": 0}

    @jobs.job_kind("test_fails_once")
    def fails_once(job, progress):
        calls["n"] += 1
        progress(0, 2)
        assert gate.wait(timeout=30)
        if calls["n"] == 1:
            raise OSError("disk full")
        progress(2, 2)
        return jobs.JobOutput(b"%PDF-1.4 again", "again.pdf")

    yield gate
    gate.set()
    jobs.KINDS.pop("test_fails_once", None)


def test_a_failed_job_offers_a_retry_that_works(live_server, page, failing_once):
    from eventsys.security import create_user
    from eventsys.services import programme

    app = live_server.app
    app.config["JOBS_INPROCESS"] = "thread"
    app.config["JOB_RETRIES"] = 0
    with app.app_context():
        owner = create_user("organiser@example.org", "correct horse battery staple")
        event = programme.create_event(owner, {"title": "Journée fragile", "kind": "training_day",
                                               "start_date": date(2026, 6, 25), "end_date": date(2026, 6, 25),
                                               "timezone": "Europe/Paris", "languages": "fr", "code": "Z26IN 098"},
                                       "{kind}{yy}EV {seq:03d}")  # fmt: skip
        job, _ = jobs.start_job("test_fails_once", event=event, user=owner, idempotency_key="retry")
        db.session.commit()
        uuid = job.uuid
        jobs.dispatch(job)
        db.session.remove()

    page.goto(live_server("/auth/login"))
    page.get_by_label("Adresse e-mail").fill("organiser@example.org")
    page.get_by_label("Mot de passe").fill("correct horse battery staple")
    page.get_by_role("button", name="Se connecter").click()
    page.goto(live_server(f"/manage/jobs/{uuid}"))
    page.evaluate("window.__same_page = true")
    retry = page.get_by_role("button", name="Relancer la production")
    assert not retry.is_visible()

    failing_once.set()  # the first attempt fails
    retry.wait_for(state="visible")
    assert "a échoué" in page.get_by_role("status").inner_text()
    assert page.evaluate("window.__same_page") is True
    assert axe_violations(page) == []

    retry.focus()
    page.keyboard.press("Enter")  # reachable and usable from the keyboard
    download = page.get_by_role("link", name="Télécharger le fichier")
    download.wait_for(state="visible")
    assert "Le fichier est prêt" in page.get_by_role("status").inner_text()
    assert not retry.is_visible()
    with page.expect_download() as info:
        download.click()
    assert info.value.suggested_filename == "again.pdf"
