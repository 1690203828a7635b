"""The attendance page's whole-event documents (sign-in sheets, certificates) run as background
jobs with the progress page; one person's or one session's document stays an immediate download."""

from __future__ import annotations

import re

from eventsys.extensions import db
from eventsys.models.jobs import JOB_DONE, Job
from eventsys.services import checkin as svc
from tests.checkin.pdfs import pdf_text


def _job(location: str) -> Job:
    match = re.search(r"/manage/jobs/([0-9a-f]{32})$", location)
    assert match, location
    db.session.expire_all()
    return db.session.scalar(db.select(Job).where(Job.uuid == match.group(1)))


def _download(client, job: Job) -> str:
    state = client.get(f"/manage/jobs/{job.uuid}.json").get_json()
    assert state["download_url"], state
    response = client.get(state["download_url"])
    text = pdf_text(response.get_data())
    response.close()
    return text


def _count_jobs() -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(Job))


def test_the_attendance_page_offers_job_buttons_not_get_links(
    organiser_client, desk_event, register
):
    person = register(desk_event, "Camille", "Présente")
    assert svc.check_in(desk_event, None, "n1", registration_id=person.id)["result"] == "ok"
    db.session.commit()
    page = organiser_client.get(f"/manage/events/{desk_event.id}/attendance").get_data(as_text=True)
    assert page.count(f'action="/manage/events/{desk_event.id}/signin-sheets/job"') >= 2
    assert f'action="/manage/events/{desk_event.id}/certificates/job"' in page
    assert 'name="csrf_token"' in page
    assert "signin-sheets.pdf?per=" not in page  # the bulk GET links are gone from the page
    assert 'certificates.pdf"' not in page
    assert "en arrière-plan" in page


def test_all_sign_in_sheets_as_a_job(organiser_client, desk_event, register):
    register(desk_event, "Bérénice", "Abadie")
    response = organiser_client.post(
        f"/manage/events/{desk_event.id}/signin-sheets/job",
        data={"per": "session", "job_key": "page-1"},
    )
    assert response.status_code == 302
    job = _job(response.location)
    assert (job.kind, job.status) == ("signin_sheets", JOB_DONE)
    assert job.params["per"] == "session"
    assert job.total_items == len(svc.all_signin_sheets(desk_event, "session")) > 1
    assert job.result_name == f"emargement-{desk_event.code.lower()}-seances.pdf"
    page = organiser_client.get(response.location).get_data(as_text=True)
    assert "<h1>Feuilles d&#39;émargement</h1>" in page
    assert "Retour à l'événement" in page
    assert f"/manage/events/{desk_event.id}/attendance" in page
    assert "Abadie" in _download(organiser_client, job)


def test_the_same_button_twice_is_one_job_two_buttons_are_two(
    organiser_client, desk_event, register
):
    register(desk_event)
    url = f"/manage/events/{desk_event.id}/signin-sheets/job"
    first = organiser_client.post(url, data={"per": "half_day", "job_key": "same"})
    again = organiser_client.post(url, data={"per": "half_day", "job_key": "same"})
    other = organiser_client.post(url, data={"per": "session", "job_key": "same"})
    assert first.location == again.location
    assert other.location != first.location
    assert _count_jobs() == 2


def test_sign_in_sheets_job_in_a_chosen_language(app, organiser_client, desk_event, register):
    register(desk_event, "Greta", "Weber")
    desk_event.languages = "fr,de"
    db.session.commit()
    url = f"/manage/events/{desk_event.id}/signin-sheets/job"
    french = _job(organiser_client.post(url, data={"per": "half_day", "job_key": "f"}).location)
    german = _job(
        organiser_client.post(
            url, data={"per": "half_day", "language": "de", "job_key": "d"}
        ).location
    )
    # A language the event does not offer: the main language, not an error.
    other = _job(
        organiser_client.post(
            url, data={"per": "half_day", "language": "it", "job_key": "i"}
        ).location
    )
    assert (german.params["language"], other.params["language"]) == ("de", None)
    french_text, german_text = (
        _download(organiser_client, french),
        _download(organiser_client, german),
    )
    assert "Weber" in german_text
    assert "émargement" in french_text.lower()
    assert "émargement" not in german_text.lower()
    assert _download(organiser_client, other) == french_text


def test_all_certificates_as_a_job(organiser_client, desk_event, register):
    there = register(desk_event, "Anne", "Abadie")
    register(desk_event, "Lou", "Absente")
    assert svc.check_in(desk_event, None, "n1", registration_id=there.id)["result"] == "ok"
    db.session.commit()
    response = organiser_client.post(
        f"/manage/events/{desk_event.id}/certificates/job", data={"job_key": "c"}
    )
    job = _job(response.location)
    assert (job.kind, job.status, job.total_items) == ("certificates", JOB_DONE, 1)
    text = _download(organiser_client, job)
    assert "Abadie" in text
    assert "Absente" not in text
    # One person's certificate stays an immediate download.
    one = organiser_client.get(
        f"/manage/events/{desk_event.id}/certificates.pdf?registration={there.id}"
    )
    assert one.mimetype == "application/pdf"
    assert "Abadie" in pdf_text(one.data)


def test_nothing_to_produce_starts_no_job(organiser_client, desk_event, register):
    register(desk_event)
    response = organiser_client.post(
        f"/manage/events/{desk_event.id}/certificates/job",
        data={"job_key": "none"},
        follow_redirects=True,
    )
    assert "Aucune présence enregistrée" in response.get_data(as_text=True)
    assert _count_jobs() == 0


def test_jobs_need_the_organiser_and_csrf(app, client, make_user, desk_event):
    from tests.conftest import login

    stranger = make_user("stranger@example.org")
    assert login(client, stranger).status_code == 302
    for path in ("signin-sheets/job", "certificates/job"):
        response = client.post(f"/manage/events/{desk_event.id}/{path}", data={"job_key": "x"})
        assert response.status_code == 403
    assert _count_jobs() == 0
    assert login(client, desk_event.owner).status_code == 302
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post(f"/manage/events/{desk_event.id}/certificates/job", data={})
    assert response.status_code == 400
    assert _count_jobs() == 0
