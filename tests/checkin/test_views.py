"""Pages of the check-in area: badge printing, the attendee's badge, desk tokens, the scan page and
its JSON calls, sign-in sheets and certificates; who may see what."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta

import pytest

from eventsys.extensions import db
from eventsys.models import EventRole
from eventsys.models.checkin import CheckIn, StaffToken
from eventsys.services import checkin as svc
from eventsys.services import registration as reg
from tests.checkin.pdfs import pdf_text, qr_codes
from tests.conftest import login


@pytest.fixture
def organiser_client(client, desk_event):
    assert login(client, desk_event.owner).status_code == 302
    return client


def scan_json(client, code, **body):
    scan_json.n = getattr(scan_json, "n", 0) + 1
    body.setdefault("nonce", f"web-{scan_json.n}")
    return client.post(f"/staff/{code}/scan/checkins", json=body)


# ------------------------------------------------------------------ badges


def _job_result(response, client):
    """The whole event's badges are a background job (run at once in tests): its page, then its file."""
    assert response.status_code == 302
    assert "/manage/jobs/" in response.location
    page = client.get(response.location)
    assert page.status_code == 200
    download = client.get(response.location + "/download")
    download.get_data()
    download.close()  # the file is streamed from the storage directory
    return download


def test_organiser_downloads_every_badge_and_each_qr_checks_in(
    organiser_client, desk_event, register
):
    people = [
        register(desk_event, "Łukasz", "Wróblewski-Żmijewski"),
        register(desk_event, "Αικατερίνη", "Παπαδοπούλου"),
    ]
    page = organiser_client.get(f"/manage/events/{desk_event.id}/badges")
    assert page.status_code == 200
    assert "Παπαδοπούλου" in page.get_data(as_text=True)
    response = _job_result(organiser_client.post(
        f"/manage/events/{desk_event.id}/badges", data={"layout": "a4-8", "scope": "all"}
    ), organiser_client)  # fmt: skip
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    text = pdf_text(response.data)
    assert "Wróblewski-Żmijewski" in text
    assert "Αικατερίνη" in text
    codes = qr_codes(response.data)
    assert len(codes) == 2
    for code in codes:
        assert scan_json(organiser_client, "Z26IN001", qr=code).get_json()["result"] == "ok"
    checked = db.session.scalars(
        db.select(CheckIn.registration_id).where(CheckIn.counted_key.is_not(None))
    )
    assert set(checked) == {p.id for p in people}


def test_organiser_prints_a_selection_in_any_layout(organiser_client, desk_event, register):
    chosen = register(desk_event, "Choisie", "Personne")
    register(desk_event, "Pas", "Choisie")
    for layout in ("a6", "id1", "a6-folded"):
        response = organiser_client.post(
            f"/manage/events/{desk_event.id}/badges",
            data={"layout": layout, "scope": "selection", "registration": [str(chosen.id)]},
        )
        assert response.status_code == 200, layout
        text = pdf_text(response.data)
        assert "Personne" in text
        assert "Pas" not in text.split()
    folded = pdf_text(_job_result(organiser_client.post(
        f"/manage/events/{desk_event.id}/badges", data={"layout": "a6-folded", "scope": "all"}
    ), organiser_client).data)  # fmt: skip
    assert "Mon programme" in folded
    assert "Ponts et chaussées" in folded


def test_an_empty_selection_says_so(organiser_client, desk_event, register):
    register(desk_event)
    response = organiser_client.post(
        f"/manage/events/{desk_event.id}/badges", data={"layout": "a6", "scope": "selection"}
    )
    assert response.status_code == 422
    assert "Cochez au moins une personne" in response.get_data(as_text=True)


def test_bilingual_badges_and_whole_event_pdf_link(organiser_client, desk_event, register):
    register(desk_event, language="fr")
    response = organiser_client.get(
        f"/manage/events/{desk_event.id}/badges.pdf?layout=a6&bilingual=de"
    )
    assert response.status_code == 200
    assert "Teilnehmer" in pdf_text(response.data)
    assert (
        organiser_client.get(f"/manage/events/{desk_event.id}/badges.pdf?layout=poster").status_code
        == 404
    )


def test_reissuing_a_badge_refuses_the_printed_one(
    organiser_client, desk_event, register, badge_of
):
    person = register(desk_event)
    old = badge_of(person)
    response = organiser_client.post(f"/manage/events/{desk_event.id}/badges/{person.id}/reissue")
    assert response.status_code == 302
    answer = scan_json(organiser_client, "Z26IN001", qr=old).get_json()
    assert answer == {"result": "invalid", "reason": "revoked", "checked_in_at": None,
                      "counters": {"in": 0, "expected": 1}}  # fmt: skip


def test_organiser_pages_are_for_organisers_only(client, desk_event, make_user):
    stranger = make_user("stranger@example.org")
    staff = make_user("staff@example.org")
    db.session.add(EventRole(event_id=desk_event.id, user_id=staff.id, role="staff"))
    db.session.commit()
    paths = [
        "badges",
        "badges.pdf",
        "staff-tokens",
        "attendance",
        "signin-sheets.pdf",
        "certificates.pdf",
    ]
    for path in paths:
        assert (
            client.get(f"/manage/events/{desk_event.id}/{path}").status_code == 302
        )  # to the login page
    for user in (stranger, staff):
        login(client, user)
        for path in paths:
            assert client.get(f"/manage/events/{desk_event.id}/{path}").status_code == 403, (
                user.email,
                path,
            )
        client.post("/auth/logout")


# ------------------------------------------------------------------ the attendee's badge


def test_the_attendee_downloads_their_badge_from_the_private_link(
    client, app, desk_event, register
):
    person = register(desk_event, "Анастасия", "Константинопольская", language="en")
    with app.test_request_context():
        token = reg.link_token(person)
    response = client.get(f"/r/{token}/badge.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    text = pdf_text(response.data)
    assert "Константинопольская" in text
    assert "Languages" in text
    assert "Langues" not in text
    [code] = qr_codes(response.data)
    assert svc.check_in(desk_event, code, "from-link")["result"] == "ok"


def test_no_badge_for_a_cancelled_registration_or_a_bad_link(client, app, desk_event, register):
    person = register(desk_event)
    with app.test_request_context():
        token = reg.link_token(person)
    reg.cancel_registration(person, notify=False)
    db.session.commit()
    response = client.get(f"/r/{token}/badge.pdf")
    assert response.status_code == 409
    assert "annulée" in response.get_data(as_text=True)
    assert client.get(f"/r/{token}x/badge.pdf").status_code == 404


# ------------------------------------------------------------------ desk tokens


def test_organiser_creates_and_revokes_a_desk_link(organiser_client, client, desk_event):
    response = organiser_client.post(
        f"/manage/events/{desk_event.id}/staff-tokens", data={"label": "Accueil 1"}
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    link = re.search(r'value="(http://[^"]+/staff/Z26IN001/access/(evst_[^"]+))"', page)
    assert link, page
    token = db.session.query(StaffToken).one()
    assert token.label == "Accueil 1"
    assert token.created_by_id == desk_event.owner.id
    assert link.group(2) not in token.token_hash
    response = organiser_client.post(
        f"/manage/events/{desk_event.id}/staff-tokens/{token.id}/revoke"
    )
    assert response.status_code == 302
    assert db.session.get(StaffToken, token.id).revoked_at is not None
    listing = organiser_client.get(f"/manage/events/{desk_event.id}/staff-tokens").get_data(
        as_text=True
    )
    assert "révoqué" in listing
    assert link.group(2) not in listing


def test_a_desk_link_opens_the_scan_page_and_stops_when_revoked(
    client, desk_event, register, badge_of
):
    token, raw = svc.issue_staff_token(desk_event, "Accueil 1")
    db.session.commit()
    qr = badge_of(register(desk_event, "Zoé", "Lê"))
    anonymous = client.get("/staff/Z26IN001/scan")
    assert anonymous.status_code == 401
    assert "lien d'accès" in html.unescape(anonymous.get_data(as_text=True))
    response = client.get(f"/staff/Z26IN001/access/{raw}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/staff/Z26IN001/scan")
    page = client.get("/staff/Z26IN001/scan")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert 'id="scan-input"' in body
    assert 'aria-live="assertive"' in body
    assert "Accueil 1" in body
    assert raw not in body
    answer = scan_json(client, "z26in 001", qr=qr).get_json()
    assert answer["result"] == "ok"
    assert answer["counters"] == {"in": 1, "expected": 1}
    svc.revoke_staff_token(token)
    db.session.commit()
    refused = scan_json(client, "Z26IN001", qr=qr)
    assert refused.status_code == 401
    assert refused.get_json()["error"]["code"] == "staff_token_revoked"


def test_the_scan_page_gives_both_forms_of_the_back_online_sentence(client, desk_event):
    """How many queued scans were sent is known in the browser only: the page gives the singular
    and the plural sentence in its language, and scan.js picks one with that language's rule."""
    _token, raw = svc.issue_staff_token(desk_event, "Accueil 1")
    db.session.commit()
    client.get(f"/staff/Z26IN001/access/{raw}")
    expected = {
        "fr": ("Réseau revenu : {count} scan envoyé.", "Réseau revenu : {count} scans envoyés."),
        "en": ("Back online: {count} scan sent.", "Back online: {count} scans sent."),
    }
    for lang, (one, other) in expected.items():
        body = html.unescape(client.get(f"/staff/Z26IN001/scan?lang={lang}").get_data(as_text=True))
        assert f'<html lang="{lang}">' in body
        assert f'data-msg-synced-one="{one}"' in body
        assert f'data-msg-synced-other="{other}"' in body
        assert "scan(s)" not in body


def test_an_expired_desk_token_gets_its_own_message(client, desk_event, register, badge_of):
    token, raw = svc.issue_staff_token(desk_event, "Accueil 1")
    db.session.commit()
    client.get(f"/staff/Z26IN001/access/{raw}")
    token.expires_at = datetime.now(UTC) - timedelta(minutes=1)
    db.session.commit()
    refused = scan_json(client, "Z26IN001", qr=badge_of(register(desk_event)))
    assert refused.status_code == 401
    assert refused.get_json()["error"]["code"] == "staff_token_expired"
    page = client.get("/staff/Z26IN001/scan")
    assert page.status_code == 401
    assert "a expiré" in page.get_data(as_text=True)
    again = client.get(f"/staff/Z26IN001/access/{raw}")
    assert again.status_code == 401
    assert "a expiré" in again.get_data(as_text=True)


def test_a_desk_token_typed_by_hand_works_and_one_of_another_event_does_not(
    client, desk_event, make_event
):
    _token, raw = svc.issue_staff_token(desk_event, "Accueil 1")
    other = make_event(code="Z26IN 004")
    other.status = "published"  # a draft answers 404 to outsiders (tests/security/test_draft_desk.py)
    db.session.commit()
    spaced = " ".join(raw[i : i + 5] for i in range(0, len(raw), 5))
    assert client.post("/staff/Z26IN001/access", data={"token": spaced}).status_code == 302
    refused = client.post(f"/staff/{other.code}/access", data={"token": raw})
    assert refused.status_code == 403
    assert "autre événement" in refused.get_data(as_text=True)
    assert client.get(f"/staff/{other.code}/scan").status_code == 401


def test_staff_members_scan_search_and_undo_but_see_only_desk_fields(
    client, desk_event, register, badge_of, make_user
):
    staff = make_user("staff@example.org")
    db.session.add(EventRole(event_id=desk_event.id, user_id=staff.id, role="staff"))
    db.session.commit()
    person = register(
        desk_event, "Anaïs", "Lefèvre", job_title="Directrice", accessibility="Boucle magnétique"
    )
    login(client, staff)
    assert client.get("/staff/Z26IN001/scan").status_code == 200
    found = client.get("/staff/Z26IN001/scan/search?q=lef").get_json()["items"]
    assert [p["last_name"] for p in found] == ["Lefèvre"]
    assert "Directrice" not in str(found)
    assert "@" not in str(found)
    assert "Boucle" not in str(found)
    answer = scan_json(client, "Z26IN001", registration=person.id, nonce="n-manual").get_json()
    assert answer["result"] == "ok"
    undo = client.post("/staff/Z26IN001/scan/undo", json={"nonce": "n-manual"}).get_json()
    assert undo["undone"] is True
    assert undo["counters"] == {"in": 0, "expected": 1}
    assert client.get("/staff/Z26IN001/scan/counters").get_json() == {"in": 0, "expected": 1}
    assert scan_json(client, "Z26IN001", qr=badge_of(person)).get_json()["result"] == "ok"


def test_session_mode_at_a_room_door(client, desk_event, register, badge_of):
    login(client, desk_event.owner)
    person = register(desk_event, sessions=[desk_event.workshop])
    page = client.get(f"/staff/Z26IN001/scan?session={desk_event.workshop.id}")
    assert page.status_code == 200
    assert "Atelier béton" in page.get_data(as_text=True)
    answer = scan_json(
        client, "Z26IN001", qr=badge_of(person), session=desk_event.workshop.id
    ).get_json()
    assert answer["result"] == "ok"
    assert answer["counters"] == {"in": 1, "expected": 1}
    counters = client.get(
        f"/staff/Z26IN001/scan/counters?session={desk_event.workshop.id}"
    ).get_json()
    assert counters == {"in": 1, "expected": 1}
    assert client.get("/staff/Z26IN001/scan/counters").get_json()["in"] == 0
    assert client.get("/staff/Z26IN001/scan?session=999999").status_code == 404


def test_scan_calls_answer_json_errors(client, desk_event):
    assert (
        client.post("/staff/Z26IN001/scan/checkins", json={"qr": "x", "nonce": "n"}).status_code
        == 401
    )
    login(client, desk_event.owner)
    assert (
        client.post("/staff/Z26IN001/scan/checkins", data="nope").get_json()["error"]["code"]
        == "invalid_json"
    )
    missing = client.post("/staff/Z26IN001/scan/checkins", json={"qr": "E1.ABC"})
    assert missing.status_code == 422
    assert missing.get_json()["error"]["code"] == "invalid_checkin"
    assert (
        client.post("/staff/NOPE/scan/checkins", json={"qr": "x", "nonce": "n"}).status_code == 404
    )
    assert (
        client.post(
            "/staff/Z26IN001/scan/checkins", json={"qr": "x", "nonce": "n", "session": "1"}
        ).status_code
        == 422
    )


class TestCsrf:
    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_scan_calls_need_the_page_csrf_token(self, client, desk_event, register, badge_of):
        from tests.conftest import csrf_token_from

        login_page = client.get("/auth/login").get_data(as_text=True)
        client.post("/auth/login", data={"email": desk_event.owner.email, "password": "correct horse battery staple",
                                         "csrf_token": csrf_token_from(login_page)})  # fmt: skip
        qr = badge_of(register(desk_event))
        refused = client.post("/staff/Z26IN001/scan/checkins", json={"qr": qr, "nonce": "n1"})
        assert refused.status_code == 400
        page = client.get("/staff/Z26IN001/scan").get_data(as_text=True)
        token = re.search(r'data-csrf="([^"]+)"', page).group(1)
        ok = client.post(
            "/staff/Z26IN001/scan/checkins",
            json={"qr": qr, "nonce": "n1"},
            headers={"X-CSRFToken": token},
        )
        assert ok.get_json()["result"] == "ok"


# ------------------------------------------------------------------ attendance documents


def test_signin_sheets_list_the_expected_people_sorted_by_name(
    organiser_client, desk_event, register
):
    register(desk_event, "Zoé", "Lê", organisation="Ville de Lyon")
    register(desk_event, "Anaïs", "Abadie", organisation="CD 91", sessions=[desk_event.workshop])
    person = register(desk_event, "Jean", "Annulé")
    reg.cancel_registration(person, notify=False)
    db.session.commit()
    base = f"/manage/events/{desk_event.id}/signin-sheets.pdf"
    morning = pdf_text(
        organiser_client.get(f"{base}?day={desk_event.start_date.isoformat()}&half=am").data
    )
    assert "Feuille d'émargement" in morning
    assert "Matin" in morning
    assert morning.index("Abadie") < morning.index("Lê")
    assert "Annulé" not in morning
    assert "Ville de Lyon" in morning
    workshop = pdf_text(organiser_client.get(f"{base}?session={desk_event.workshop.id}").data)
    assert "Atelier béton" in workshop
    assert "Abadie" in workshop
    assert "Lê" not in workshop
    bulk = organiser_client.get(f"{base}?per=half_day")
    assert bulk.status_code == 200
    text = pdf_text(bulk.data)
    assert "Matin" in text
    assert "Après-midi" in text
    per_session = pdf_text(organiser_client.get(f"{base}?per=session").data)
    assert "Ponts et chaussées" in per_session
    assert "Déjeuner" not in per_session
    assert organiser_client.get(f"{base}?day=2026-13-45").status_code == 404
    assert organiser_client.get(f"{base}?session=999999").status_code == 302


def test_certificates_come_from_check_ins_in_each_persons_language(
    organiser_client, desk_event, register, badge_of
):
    here = register(desk_event, "Zoé", "Lê", language="en")
    there = register(desk_event, "Anaïs", "Abadie", language="fr")
    register(desk_event, "Absent", "Personne")
    svc.check_in(desk_event, badge_of(here), "c1")
    svc.check_in(desk_event, badge_of(there), "c2")
    db.session.commit()
    base = f"/manage/events/{desk_event.id}/certificates.pdf"
    text = pdf_text(organiser_client.get(base).data)
    assert "Certificate of attendance" in text
    assert "Attestation de présence" in text
    assert "Lê" in text
    assert "Abadie" in text
    assert "Absent" not in text
    # 09:00–12:30 and 14:00–16:00, lunch left out: 5.5 hours
    assert "5.5 hours" in text
    assert "5,5 heures" in text
    one = pdf_text(organiser_client.get(f"{base}?registration={there.id}").data)
    assert "Abadie" in one
    assert "Lê" not in one
    attendance = organiser_client.get(f"/manage/events/{desk_event.id}/attendance").get_data(
        as_text=True
    )
    assert "2 personnes présentes" in attendance


def test_no_certificate_without_presence(organiser_client, desk_event, register):
    register(desk_event)
    response = organiser_client.get(f"/manage/events/{desk_event.id}/certificates.pdf")
    assert response.status_code == 302
