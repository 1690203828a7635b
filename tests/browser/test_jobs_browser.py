"""A long job seen by its organiser: the progress bar and the spoken status move without a reload,
then the download link appears (the job runs in a thread of the server, as on a laptop)."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from eventsys import jobs
from eventsys.extensions import db
from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def gated_kind():
    """A job of four steps, each waiting for the test to open its gate."""
    gates = [threading.Event() for _ in range(4)]

    @jobs.job_kind("test_gated")
    def gated(job, progress):
        progress(0, len(gates))
        for number, gate in enumerate(gates, start=1):
            assert gate.wait(timeout=30)
            progress(number, len(gates))
        return jobs.JobOutput(b"%PDF-1.4 gated", "gated.pdf")

    yield gates
    for gate in gates:
        gate.set()
    jobs.KINDS.pop("test_gated", None)


def test_progress_moves_live_then_offers_the_file(live_server, page, gated_kind):
    from eventsys.security import create_user
    from eventsys.services import programme

    app = live_server.app
    app.config["JOBS_INPROCESS"] = "thread"
    with app.app_context():
        owner = create_user("organiser@example.org", "correct horse battery staple")
        event = programme.create_event(owner, {"title": "Journée longue", "kind": "training_day",
                                               "start_date": date(2026, 6, 25), "end_date": date(2026, 6, 25),
                                               "timezone": "Europe/Paris", "languages": "fr", "code": "Z26IN 099"},
                                       "{kind}{yy}EV {seq:03d}")  # fmt: skip
        job, _ = jobs.start_job("test_gated", event=event, user=owner, idempotency_key="browser")
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
    status = page.get_by_role("status")
    bar = page.locator("progress#job-bar")
    download = page.get_by_role("link", name="Télécharger le fichier")
    assert not download.is_visible()

    for number, gate in enumerate(gated_kind, start=1):
        gate.set()
        percent = number * 25
        page.wait_for_function("(p) => document.querySelector('#job-bar').value === p", arg=percent)
        if number < 4:
            assert f"{number} sur 4" in status.inner_text()
    assert "4 sur 4" in status.inner_text()
    assert "Le fichier est prêt" in status.inner_text()
    download.wait_for(state="visible")
    assert bar.get_attribute("aria-describedby") == "job-message"
    assert page.evaluate("window.__same_page") is True  # updated in place, never reloaded
    with page.expect_download() as info:
        download.click()
    assert info.value.suggested_filename == "gated.pdf"
    assert axe_violations(page) == []
