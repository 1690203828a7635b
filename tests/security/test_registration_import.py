"""Finding 5 of the security review: the registration CSV import.

It had no row limit and held the event's lock for the whole file (100,000 rows kept public
registrations waiting 8 minutes), and with "notify" ticked it e-mailed every address of the
file, even for a draft event: a mail relay for any account. Now the rows are bounded, a big
file is applied by a background job in short batches, and import e-mails go out only for a
published event, counted in the preview, at most a daily number per event.
"""

from __future__ import annotations

import html
import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from eventsys.models.registration import OutboxMessage, Registration
from eventsys.services import registration as reg
from eventsys.services import registration_import as imports

from ..conftest import login


def _csv(count: int, start: int = 0) -> bytes:
    lines = ["Prénom;Nom;E-mail;Organisation"]
    lines += [f"Agent;Numero-{'abcdefghij'[n % 10]}{'abcdefghij'[n // 10 % 10]}{'abcdefghij'[n // 100 % 10]};"
              f"agent{n}@ville-exemple.fr;Ville" for n in range(start, start + count)]
    return ("\r\n".join(lines) + "\r\n").encode()


@pytest.fixture
def organiser(app, client, make_user, make_event, db):
    from eventsys.services import programme

    owner = make_user()
    day = datetime.now(UTC).date() + timedelta(days=30)
    event = make_event(owner=owner, start_date=day, end_date=day)
    reg.save_settings(event, {"capacity": None})
    db.session.commit()
    login(client, owner)

    def publish():
        programme.publish_event(event)
        db.session.commit()

    event.publish = publish
    return event


def _upload(client, event, data: bytes, notify: bool = True):
    fields = {"file": (io.BytesIO(data), "agents.csv"), "informed": "y"}
    if notify:
        fields["notify"] = "y"
    return client.post(f"/manage/events/{event.id}/registrations/import", data=fields,
                       content_type="multipart/form-data")


def _confirm(client, event, preview):
    page = html.unescape(preview.text)
    token = re.search(r'name="token"[^>]*value="([^"]+)"', page)[1]
    notify = re.search(r'name="notify"[^>]*value="([^"]*)"', page)
    return client.post(f"/manage/events/{event.id}/registrations/import/confirm",
                       data={"token": token, "notify": notify[1] if notify else ""})


def _registered(db, event) -> int:
    return db.session.scalar(select(func.count()).select_from(Registration).where(Registration.event_id == event.id))


def _mails(db, event) -> int:
    return db.session.scalar(
        select(func.count()).select_from(OutboxMessage).join(Registration, OutboxMessage.registration_id == Registration.id)
        .where(Registration.event_id == event.id)
    )


def test_rows_are_bounded_by_a_setting(app, client, organiser, db):
    app.config["REGISTRATION_IMPORT_MAX_ROWS"] = 10
    response = _upload(client, organiser, _csv(11), notify=False)
    assert response.status_code == 422
    assert "Le fichier compte plus de 10 lignes : découpez-le." in html.unescape(response.text)
    assert _registered(db, organiser) == 0
    assert _upload(client, organiser, _csv(10), notify=False).status_code == 200
    assert _registered(db, organiser) == 10


def test_a_draft_event_sends_no_import_email(client, organiser, db):
    preview = _upload(client, organiser, _csv(3))
    page = html.unescape(preview.text)
    assert "3 personnes à inscrire." in page
    assert "L'événement n'est pas publié : aucun e-mail ne sera envoyé." in page
    assert _registered(db, organiser) == 0  # nothing before the confirmation
    done = _confirm(client, organiser, preview)
    assert "3 personnes inscrites" in html.unescape(done.text)
    assert _registered(db, organiser) == 3
    assert _mails(db, organiser) == 0


def test_the_preview_counts_the_emails_of_a_published_event(client, organiser, db):
    organiser.publish()
    preview = _upload(client, organiser, _csv(3))
    assert "Au plus 3 e-mails de confirmation seront envoyés." in html.unescape(preview.text)
    _confirm(client, organiser, preview)
    assert _mails(db, organiser) == 3


def test_a_daily_cap_per_event(app, client, organiser, db):
    app.config["REGISTRATION_IMPORT_MAIL_CAP"] = 4
    organiser.publish()
    preview = _upload(client, organiser, _csv(3))
    assert "Au plus 3 e-mails de confirmation seront envoyés." in html.unescape(preview.text)
    _confirm(client, organiser, preview)
    assert _mails(db, organiser) == 3
    # The same list again: people already registered would be sent their link again, which
    # counts against the cap too (one left).
    preview = _upload(client, organiser, _csv(3))
    page = html.unescape(preview.text)
    assert "Au plus 1 e-mail de confirmation sera envoyé." in page
    assert "Au plus 4 e-mails d'import par jour et par événement" in page
    _confirm(client, organiser, preview)
    assert _mails(db, organiser) == 4
    preview = _upload(client, organiser, _csv(3, start=100))
    done = html.unescape(_confirm(client, organiser, preview).text)
    assert _registered(db, organiser) == 6
    assert _mails(db, organiser) == 4
    assert done.count("le plafond quotidien d'e-mails d'import de l'événement est atteint") == 3
    # A day later the cap is free again.
    later = datetime.now(UTC) + timedelta(days=1, minutes=1)
    assert imports.mail_plan(organiser, imports.read_import(_csv(5, start=200)), True, now=later).count == 4


def test_a_big_file_runs_as_a_background_job_in_short_batches(app, client, organiser, db, monkeypatch):
    app.config["REGISTRATION_IMPORT_JOB_ROWS"] = 20
    monkeypatch.setattr(imports, "BATCH_ROWS", 10)
    locks, commits = [], []
    real_lock = imports.lock_event
    monkeypatch.setattr(imports, "lock_event", lambda event: locks.append(len(commits)) or real_lock(event))
    from sqlalchemy import event as sa_event

    def count_commit(_session):
        commits.append(1)

    sa_event.listen(db.session, "after_commit", count_commit)
    try:
        preview = _upload(client, organiser, _csv(35), notify=False)
        assert "35 personnes à inscrire." in html.unescape(preview.text)
        assert _registered(db, organiser) == 0
        started = _confirm(client, organiser, preview)
    finally:
        sa_event.remove(db.session, "after_commit", count_commit)
    assert started.status_code == 302
    assert "/manage/jobs/" in started.headers["Location"]
    assert _registered(db, organiser) == 35
    # Four batches, each taking the event's lock after the previous batch was committed.
    assert len(locks) == 4
    assert locks == sorted(set(locks))
    job_page = client.get(started.headers["Location"])
    assert job_page.status_code == 200
    download = re.search(r'href="([^"]+/download)"', job_page.text)
    assert download
    with client.get(download[1]) as report:
        assert report.status_code == 200
        assert report.data.decode("utf-8-sig").count("Inscrite") == 35


def test_hostile_files_are_refused_clearly(client, organiser, db):
    long_field = b"Pr\xc3\xa9nom;Nom;E-mail\r\nA;" + b"x" * 140_000 + b";a@b.fr\r\n"
    response = _upload(client, organiser, long_field, notify=False)
    assert response.status_code == 422
    assert "dépasse 131072 caractères" in html.unescape(response.text)
    odd = "\ufeffPrénom;Nom;E-mail\r\n".encode("utf-16-le") + b"A"
    response = _upload(client, organiser, odd, notify=False)
    assert response.status_code == 422
    assert _registered(db, organiser) == 0
