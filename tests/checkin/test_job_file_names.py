"""The whole event's badges, sign-in sheets and certificates are background jobs: the files they
give are named in the language of the organiser who downloads them, not in French for everyone."""

from __future__ import annotations

import re

import pytest

from eventsys.extensions import db
from eventsys.services import checkin as svc
from tests.conftest import login


def _downloaded_names(client, event) -> list[str]:
    """Start the three jobs (run at once in tests) and download each file: their names."""
    manage = f"/manage/events/{event.id}"
    started = [
        client.post(f"{manage}/badges", data={"layout": "a4-8", "scope": "all"}),
        client.post(f"{manage}/signin-sheets/job", data={"per": "session", "job_key": "sessions"}),
        client.post(
            f"{manage}/signin-sheets/job", data={"per": "half_day", "job_key": "half-days"}
        ),
        client.post(f"{manage}/certificates/job", data={"job_key": "certificates"}),
    ]
    names = []
    for response in started:
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        uuid = re.search(r"/manage/jobs/([0-9a-f]{32})$", response.location).group(1)
        download = client.get(f"/manage/jobs/{uuid}/download")
        assert download.status_code == 200
        assert download.mimetype == "application/pdf"
        names.append(
            re.search(r'filename="?([^";]+)"?', download.headers["Content-Disposition"]).group(1)
        )
        download.close()
    return names


@pytest.fixture
def checked_in_event(desk_event, register):
    person = register(desk_event, "Ada", "Lovelace")
    assert svc.check_in(desk_event, None, "n1", registration_id=person.id)["result"] == "ok"
    db.session.commit()
    return desk_event


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["badges-z26in001-a4-8.pdf", "sign-in-sheets-z26in001-sessions.pdf",
                "sign-in-sheets-z26in001-half-days.pdf", "certificates-z26in001.pdf"]),
        ("fr", ["badges-z26in001-a4-8.pdf", "emargement-z26in001-seances.pdf",
                "emargement-z26in001-demi-journees.pdf", "attestations-z26in001.pdf"]),
        ("de", ["namensschilder-z26in001-a4-8.pdf", "unterschriftenlisten-z26in001-sitzungen.pdf",
                "unterschriftenlisten-z26in001-halbtage.pdf", "teilnahmebescheinigungen-z26in001.pdf"]),
    ],
)  # fmt: skip
def test_job_files_are_named_in_the_organiser_language(
    client, checked_in_event, language, expected
):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = f"{language},fr;q=0.5"
    assert login(client, checked_in_event.owner).status_code == 302
    assert _downloaded_names(client, checked_in_event) == expected


def _named(response) -> str:
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    return re.search(r'filename="?([^";]+)"?', response.headers["Content-Disposition"]).group(1)


@pytest.mark.parametrize(
    ("language", "sheets", "certificates"),
    [
        ("en", "sign-in-sheets-z26in001-sessions.pdf", "certificates-z26in001.pdf"),
        ("fr", "emargement-z26in001-seances.pdf", "attestations-z26in001.pdf"),
    ],
)
def test_files_made_at_once_are_named_like_the_jobs_files(
    client, checked_in_event, language, sheets, certificates
):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = f"{language},fr;q=0.5"
    assert login(client, checked_in_event.owner).status_code == 302
    manage = f"/manage/events/{checked_in_event.id}"
    assert _named(client.get(f"{manage}/signin-sheets.pdf?per=session")) == sheets
    assert _named(client.get(f"{manage}/certificates.pdf")) == certificates
    session = next(s for s in checked_in_event.sessions if s.status != "cancelled")
    one = _named(client.get(f"{manage}/signin-sheets.pdf?session={session.id}"))
    assert one == sheets.replace("sessions", str(session.id)).replace("seances", str(session.id))
