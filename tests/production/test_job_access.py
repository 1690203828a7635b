"""Who may follow a job and download its file: only the organisers of the job's event."""

from __future__ import annotations

import pytest

from eventsys import jobs
from eventsys.extensions import db
from eventsys.models import EventRole
from tests.conftest import login


@pytest.fixture
def finished_job(app, desk_event, register):
    register(desk_event, "Camille", "Badge")
    job, _ = jobs.start_job("badges", event=desk_event, user=desk_event.owner, params={"layout": "a6"},
                            idempotency_key="access")  # fmt: skip
    db.session.commit()
    jobs.dispatch(job)
    return job


def _get_all(client, job):
    base = f"/manage/jobs/{job.uuid}"
    answers = []
    for path in (base, base + ".json", base + "/download"):
        response = client.get(path)
        answers.append(response.status_code)
        response.close()
    return answers


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", [302, 401, 302]),  # the page and the file ask to log in; the JSON says 401
        ("stranger", [403, 403, 403]),  # organiser of another event
        ("staff", [403, 403, 403]),  # desk staff of this event
        ("co_organiser", [200, 200, 200]),
        ("owner", [200, 200, 200]),
        ("admin", [200, 200, 200]),
    ],
)
def test_access_matrix(client, make_user, make_event, desk_event, finished_job, who, expected):
    if who != "anonymous":
        if who == "owner":
            user = desk_event.owner
        else:
            user = make_user(is_admin=(who == "admin"))
            if who == "stranger":
                make_event(owner=user)
            elif who in ("staff", "co_organiser"):
                role = "staff" if who == "staff" else "organiser"
                db.session.add(EventRole(event_id=desk_event.id, user_id=user.id, role=role))
                db.session.commit()
        assert login(client, user).status_code == 302
    assert _get_all(client, finished_job) == expected


def test_the_json_errors_are_json(client, desk_event, finished_job):
    anonymous = client.get(f"/manage/jobs/{finished_job.uuid}.json")
    assert anonymous.get_json()["error"]["code"] == "unauthorized"
    assert login(client, desk_event.owner).status_code == 302
    unknown = client.get("/manage/jobs/0123456789abcdef0123456789abcdef.json")
    assert unknown.status_code == 404
    assert unknown.get_json()["error"]["code"] == "not_found"
    assert client.get("/manage/jobs/" + "f" * 200).status_code == 404
