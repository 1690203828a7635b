"""The export URLs and the organiser's import pages, as a browser or a calendar app uses them."""

from __future__ import annotations

import html
import re
from datetime import date
from pathlib import Path

import icalendar
import pytest
import vobject
from flask_babel import refresh

from eventsys.models import ProgrammeSession

from ..conftest import csrf_token_from, login
from .helpers import assert_valid_json, assert_valid_xml, pdf_text, sample

HEADER = "day;start;end;room;title;type;track;speakers;description\n"


@pytest.fixture
def published(make_event, make_room, make_speaker, make_session, db):
    event = make_event(title="Journée Martinique", start_date=date(2026, 11, 5), end_date=date(2026, 11, 6),
                       timezone="America/Martinique", venue_name="Atrium", venue_address="Fort-de-France")
    a, b = make_room(event, "Salle A"), make_room(event, "Salle B")
    zoe = make_speaker(event, "Zoé Lamy")
    make_session(event, "Accueil", "08:30", "09:00", room=a, type="welcome")
    make_session(event, "Atelier eau", "09:00", "10:30", room=b, type="workshop", speakers=[(zoe, "facilitator")])
    make_session(event, "Atelier voirie", "09:00", "10:30", room=a, day=date(2026, 11, 6), type="workshop")
    event.status = "published"
    db.session.commit()
    return event


def _events(body: bytes) -> list[str]:
    by_icalendar = [str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(body).walk("VEVENT")]
    by_vobject = [e.summary.value for e in vobject.readOne(body.decode()).vevent_list]
    assert by_icalendar == by_vobject
    return by_icalendar


def test_programme_feed(client, published):
    response = client.get(f"/e/{published.code}/programme.ics")
    assert response.status_code == 200
    assert response.content_type == "text/calendar; charset=utf-8"
    assert _events(response.data) == ["Accueil", "Atelier eau", "Atelier voirie"]
    first = vobject.readOne(response.data.decode()).vevent_list[1]
    assert first.dtstart.value.strftime("%H:%M") == "09:00"
    assert first.dtstart.value.utcoffset().total_seconds() == -4 * 3600
    assert first.url.value == f"http://localhost/e/{published.code}/sessions/{published.sessions[1].id}"
    assert "public" in response.headers["Cache-Control"]


def test_feed_codes_are_typed_any_way(client, published):
    assert client.get(f"/e/{published.code_display.lower()}/programme.ics").status_code == 200


def test_room_track_and_speaker_feeds(client, published, db):
    room_b = published.rooms[1]
    assert _events(client.get(f"/e/{published.code}/rooms/{room_b.id}.ics").data) == ["Atelier eau"]
    speaker = published.speakers[0]
    body = client.get(f"/e/{published.code}/speakers/{speaker.id}.ics").data
    assert _events(body) == ["Atelier eau"]
    assert "Zoé Lamy (animateur·rice)" in str(icalendar.Calendar.from_ical(body).walk("VEVENT")[0]["DESCRIPTION"])
    from eventsys.models import Track

    track = Track(event=published, name="Eau")
    db.session.add(track)
    db.session.flush()
    published.sessions[1].track_id = track.id
    db.session.commit()
    assert _events(client.get(f"/e/{published.code}/tracks/{track.id}.ics").data) == ["Atelier eau"]


def test_feeds_of_another_event_are_not_found(client, published, make_event, make_room):
    other = make_event(title="Autre")
    room = make_room(other, "Ailleurs")
    assert client.get(f"/e/{published.code}/rooms/{room.id}.ics").status_code == 404
    assert client.get(f"/e/{published.code}/rooms/999999.ics").status_code == 404
    assert client.get(f"/e/{published.code}/speakers/999999.ics").status_code == 404
    assert client.get(f"/e/{published.code}/tracks/999999.ics").status_code == 404
    assert client.get("/e/NOPE999/programme.ics").status_code == 404


def test_drafts_are_for_their_organisers_only(client, make_event, make_user):
    owner = make_user()
    draft = make_event(owner=owner, title="Brouillon")
    for suffix in ("programme.ics", "programme.pdf", "schedule.xml", "schedule.json", "programme.csv"):
        assert client.get(f"/e/{draft.code}/{suffix}").status_code == 404
    login(client, owner)
    response = client.get(f"/e/{draft.code}/programme.ics")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"


def test_schedule_xml_and_json_validate(client, published):
    xml = client.get(f"/e/{published.code}/schedule.xml")
    assert xml.mimetype == "application/xml"
    root = assert_valid_xml(xml.data)
    assert root.findtext("url") == f"http://localhost/e/{published.code}/schedule.xml"
    document = assert_valid_json(client.get(f"/e/{published.code}/schedule.json").data)
    assert document["schedule"]["conference"]["time_zone_name"] == "America/Martinique"


def test_pdf_and_csv(client, published, tmp_path):
    pdf = client.get(f"/e/{published.code}/programme.pdf")
    text = " ".join(pdf_text(pdf.data, tmp_path).split())
    assert "Atelier eau" in text
    assert "Atelier voirie" in text
    assert "jeudi 5 novembre 2026" in text
    assert "Zoé Lamy (animateur·rice)" in text
    refresh()  # the test app context outlives requests: forget the French locale cached in g
    english = " ".join(pdf_text(client.get(f"/e/{published.code}/programme.pdf?lang=en").data, tmp_path).split())
    assert "Thursday 5 November 2026" in english  # dates in the viewer's language
    assert pdf.status_code == 200
    assert pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF")
    assert f'filename="programme-{published.code}.pdf"' in pdf.headers["Content-Disposition"]
    csv = client.get(f"/e/{published.code}/programme.csv")
    assert csv.mimetype == "text/csv"
    assert "attachment" in csv.headers["Content-Disposition"]
    assert "Atelier eau" in csv.data.decode("utf-8-sig")


def test_unchanged_feed_answers_304(client, published):
    first = client.get(f"/e/{published.code}/programme.ics")
    again = client.get(f"/e/{published.code}/programme.ics", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


# ------------------------------------------------------------------ import


@pytest.fixture
def organiser(make_user):
    return make_user()


@pytest.fixture
def own_event(make_event, organiser):
    return make_event(owner=organiser, start_date=date(2026, 6, 25), end_date=date(2026, 6, 26))


def _multipart(data: bytes, name: str, fields: dict[str, str] | None = None) -> bytes:
    """A multipart body built in memory (werkzeug's test client spools big files to unclosed temp files)."""
    body = b""
    for key, value in (fields or {}).items():
        body += f'--b\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
    body += f'--b\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n\r\n'.encode()
    return body + data + b"\r\n--b--\r\n"


def _upload(client, event, data: bytes, name: str, fields: dict[str, str] | None = None):
    return client.post(f"/manage/events/{event.id}/import", data=_multipart(data, name, fields),
                       content_type="multipart/form-data; boundary=b")


def _token(page: str) -> str:
    return re.search(r'name="token"[^>]*value="([^"]+)"', page)[1]


def _page(response) -> str:
    """The page as a person reads it (entities such as &#39; decoded)."""
    return html.unescape(response.text)


def test_import_needs_login_and_the_organiser_role(client, own_event, make_user):
    assert client.get(f"/manage/events/{own_event.id}/import").status_code == 302
    login(client, make_user())
    assert client.get(f"/manage/events/{own_event.id}/import").status_code == 403
    assert client.post(f"/manage/events/{own_event.id}/import/confirm", data={"token": "x" * 32}).status_code == 403
    assert client.get("/manage/events/999999/import").status_code == 404


def test_preview_then_confirm(client, app, own_event, organiser, db):
    login(client, organiser)
    page = client.get(f"/manage/events/{own_event.id}/import")
    assert page.status_code == 200
    assert "Colonnes du tableur" in _page(page)
    data = (HEADER + "25/06/2026;9h30;10h;Hall;Accueil;;;;\n26/06/2026;10h;11h;;Ouverture;;;Camille Durand;\n").encode()
    preview = _upload(client, own_event, data, "programme.csv")
    assert preview.status_code == 200
    assert "Aperçu de l'import" in _page(preview)
    assert "Aucune salle : la session sera importée sans salle." in _page(preview)
    assert "Hall" in _page(preview)
    assert "Camille Durand" in _page(preview)
    assert db.session.query(ProgrammeSession).count() == 0  # nothing written by the preview
    token = _token(_page(preview))
    stored = Path(app.config["STORAGE_DIR"]) / "imports" / f"{token}.bin"
    assert stored.read_bytes() == data  # kept on disk, not in the cookie
    cookie = client.get_cookie("session")
    assert cookie is None or "Accueil" not in cookie.value
    done = client.post(f"/manage/events/{own_event.id}/import/confirm", data={"token": token}, follow_redirects=True)
    assert (
        "Import terminé : 2 sessions créées, 0 mise à jour, 0 ligne laissée de côté ; 1 salle, "
        "1 intervenant·e et 0 thème ajoutés."
    ) in _page(done)
    assert sorted(s.title for s in db.session.query(ProgrammeSession)) == ["Accueil", "Ouverture"]
    assert not stored.exists()
    again = client.post(f"/manage/events/{own_event.id}/import/confirm", data={"token": token}, follow_redirects=True)
    assert "n'est plus disponible" in _page(again)


def test_rows_in_error_block_the_import_until_partial_is_accepted(client, own_event, organiser, db):
    login(client, organiser)
    data = (HEADER + "25/06/2026;9h30;10h;Hall;Bonne;;;;\n25/06/2026;9h75;10h;Hall;Mauvaise heure;;;;\n").encode()
    preview = _upload(client, own_event, data, "p.csv")
    assert "Heure « 9h75 » illisible : écrivez 9h30, 09:30 ou 09:30:00." in _page(preview)
    assert "Importer seulement les lignes valides" in _page(preview)
    token = _token(_page(preview))
    refused = client.post(f"/manage/events/{own_event.id}/import/confirm", data={"token": token})
    assert refused.status_code == 409
    assert "rien n'a été importé" in _page(refused)
    assert db.session.query(ProgrammeSession).count() == 0
    done = client.post(f"/manage/events/{own_event.id}/import/confirm", data={"token": token, "accept_partial": "y"},
                       follow_redirects=True)
    assert "1 session créée, 0 mise à jour, 1 ligne laissée de côté" in _page(done)
    assert [s.title for s in db.session.query(ProgrammeSession)] == ["Bonne"]


def test_hostile_and_broken_files_get_a_clear_message(client, own_event, organiser):
    login(client, organiser)
    from .test_exports_importer import BILLION_LAUGHS

    response = _upload(client, own_event, BILLION_LAUGHS, "evil.xml")
    assert response.status_code == 400
    assert "refusées pour des raisons de sécurité" in _page(response)
    response = _upload(client, own_event, b"x" * (5 * 1024 * 1024 + 10), "big.csv")
    assert response.status_code == 400
    assert "taille maximale de 5 Mo" in _page(response)
    response = _upload(client, own_event, b"foo", "programme.pdf")
    assert response.status_code == 400
    assert "Formats acceptés" in _page(response)
    response = client.post(f"/manage/events/{own_event.id}/import", data={}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Choisissez un fichier" in _page(response)


def test_an_upload_over_the_request_limit_gets_the_friendly_413(client, own_event, organiser):
    login(client, organiser)
    response = _upload(client, own_event, b"x" * (21 * 1024 * 1024), "huge.csv")
    assert response.status_code == 413
    assert "trop volumineux" in _page(response)


def test_tokens_belong_to_their_event_and_person(client, own_event, organiser, make_event, make_user):
    login(client, organiser)
    token = _token(_upload(client, own_event, (HEADER + "25/06/2026;9h;10h;A;T;;;;\n").encode(), "p.csv").text)
    other = make_event(owner=organiser, title="Autre")
    response = client.post(f"/manage/events/{other.id}/import/confirm", data={"token": token}, follow_redirects=True)
    assert "n'est plus disponible" in _page(response)
    for bad in ("../../etc/passwd", "", "x" * 32):
        response = client.post(f"/manage/events/{own_event.id}/import/confirm", data={"token": bad}, follow_redirects=True)
        assert "n'est plus disponible" in _page(response)


def test_real_schedule_file_through_the_pages(client, own_event, organiser, make_event, db):
    event = make_event(owner=organiser, title="Camp", start_date=date(2026, 7, 1), end_date=date(2026, 7, 3),
                       timezone="Europe/Paris")
    login(client, organiser)
    preview = _upload(client, event, sample("camp26-frab.json"), "camp.json")
    assert preview.status_code == 200
    assert "Élément" in _page(preview)
    assert "Type « performance » inconnu" in _page(preview)
    token = _token(_page(preview))
    client.post(f"/manage/events/{event.id}/import/confirm", data={"token": token, "accept_partial": "y"})
    # 14 in the file; the two running into the night after the last day are refused
    assert db.session.query(ProgrammeSession).filter_by(event_id=event.id).count() == 12


class TestWithCsrf:
    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_upload_and_confirm_need_the_csrf_token(self, client, own_event, organiser):
        page = client.get("/auth/login")
        client.post("/auth/login", data={"email": organiser.email, "password": "correct horse battery staple",
                                         "csrf_token": csrf_token_from(_page(page))})
        missing = _upload(client, own_event, (HEADER + "25/06/2026;9h;10h;A;T;;;;\n").encode(), "p.csv")
        assert missing.status_code == 400
        page = client.get(f"/manage/events/{own_event.id}/import")
        ok = _upload(client, own_event, (HEADER + "25/06/2026;9h;10h;A;T;;;;\n").encode(), "p.csv",
                     {"csrf_token": csrf_token_from(_page(page))})
        assert ok.status_code == 200
        assert "Aperçu de l'import" in _page(ok)
        forged = client.post(f"/manage/events/{own_event.id}/import/confirm", data={"token": _token(_page(ok))})
        assert forged.status_code in (302, 400)
