"""On-site check-in in Chromium, as the desk does it.

A person registers; their badge PDF is downloaded from their private link; a real reader
(pdftoppm + zxing-cpp) decodes its QR code; a staff member opens the scan page from a desk link
and "scans" the code the way a handheld scanner does (typing it, then Enter): welcome, then
already checked in. Also: bad codes, undo, the offline queue, and a fake camera fed with a picture
of the printed badge (decoded in the page by the vendored jsQR).
"""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import zxingcpp
from PIL import Image

from eventsys.extensions import db
from tests.browser.conftest import CHROMIUM, axe_violations

PARIS = ZoneInfo("Europe/Paris")


def _setup(app, people=("Łukasz Wróblewski-Żmijewski",), title="Journée voirie"):
    """Today's event Z26IN 001 with a programme, people registered (service), a desk token."""
    from eventsys.security import create_user
    from eventsys.services import checkin as svc
    from eventsys.services import programme
    from eventsys.services import registration as reg

    today = datetime.now(UTC).astimezone(PARIS).date()
    with app.test_request_context("/"):
        owner = create_user("organiser@example.org", "correct horse battery staple")
        event = programme.create_event(
            owner,
            {"title": title, "code": "Z26IN 001", "kind": "training_day", "start_date": today,
             "end_date": today, "timezone": "Europe/Paris", "languages": "fr,en"},
            "{kind}{yy}EV {seq:03d}",
        )  # fmt: skip
        starts = programme.local_to_utc(event, today, time(9))
        ends = programme.local_to_utc(event, today, time(12))
        from eventsys.models import ProgrammeSession

        programme.save_session(
            event, ProgrammeSession(), {"title": "Ouverture", "type": "opening"}, starts, ends
        )
        programme.publish_event(event)
        links = []
        for n, name in enumerate(people):
            first, last = name.split(" ", 1)
            outcome = reg.register_attendee(
                event,
                reg.RegistrationInput(first_name=first, last_name=last, email=f"p{n}@ville-exemple.fr",
                                      organisation="Ville d'Exemple", language="fr", consent=True),
                by_organiser=True,
                notify=False,
            )  # fmt: skip
            links.append(outcome.token)
        _token, raw = svc.issue_staff_token(event, "Accueil 1")
        db.session.commit()
        return links, raw


def _decode_badge(page, url: str, tmp_path: Path) -> tuple[str, Path]:
    """Download the badge PDF like the attendee, render it and read its QR code with zxing-cpp."""
    response = page.request.get(url)
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    pdf = tmp_path / "badge.pdf"
    pdf.write_bytes(response.body())
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-singlefile", str(pdf), str(tmp_path / "badge")],
        check=True,
    )
    png = tmp_path / "badge.png"
    with Image.open(png) as image:
        [result] = [
            r for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode
        ]
    return result.text, png


def _scan(page, text: str) -> None:
    field = page.locator("#scan-input")
    field.press_sequentially(text, delay=5)  # a keyboard-wedge scanner types fast
    field.press("Enter")


def _open_desk(page, live_server, raw: str) -> None:
    page.goto(live_server(f"/staff/Z26IN001/access/{raw}"))
    page.wait_for_selector("#scan-app.scan-ready")


def test_badge_pdf_qr_checks_in_then_already_checked_in(live_server, page, tmp_path):
    [link], raw = _setup(live_server.app)
    qr, _png = _decode_badge(page, live_server(f"/r/{link}/badge.pdf"), tmp_path)
    assert qr.startswith("E1.")

    _open_desk(page, live_server, raw)
    assert axe_violations(page) == []
    result = page.locator("#scan-result")
    _scan(page, qr)
    page.wait_for_selector("#scan-result.result-ok")
    assert "Bienvenue" in page.locator("#result-title").inner_text()
    assert "Łukasz Wróblewski-Żmijewski" in page.locator("#result-name").inner_text()
    assert page.locator("#count-in").inner_text() == "1"
    assert result.get_attribute("aria-live") == "assertive"

    _scan(page, qr)
    page.wait_for_selector("#scan-result.result-warn")
    assert "Déjà enregistré·e, depuis" in page.locator("#result-title").inner_text()
    assert page.locator("#count-in").inner_text() == "1"
    assert axe_violations(page) == []


def test_bad_codes_undo_and_the_offline_queue(live_server, page, tmp_path):
    from playwright.sync_api import expect

    links, raw = _setup(live_server.app, ("Zoé Lê", "Anaïs Lefèvre"))
    first, _ = _decode_badge(page, live_server(f"/r/{links[0]}/badge.pdf"), tmp_path)
    second, _ = _decode_badge(page, live_server(f"/r/{links[1]}/badge.pdf"), tmp_path)
    _open_desk(page, live_server, raw)
    detail = page.locator("#result-detail")

    _scan(page, first[: len(first) // 2])
    page.wait_for_selector("#scan-result.result-error")
    assert "illisible ou incomplet" in detail.inner_text()
    tampered = first[:-2] + ("A" if first[-2] != "A" else "B") + first[-1]
    _scan(page, tampered)
    expect(detail).to_contain_text("falsifié")

    spaced = " ".join(first[i : i + 4] for i in range(0, len(first), 4)).lower()  # typed by hand
    _scan(page, spaced)
    page.wait_for_selector("#scan-result.result-ok")
    page.get_by_role("button", name="Annuler le dernier scan").click()
    expect(page.locator("#result-title")).to_contain_text("Dernier scan annulé")
    expect(page.locator("#count-in")).to_have_text("0")

    page.context.set_offline(True)
    _scan(page, second)
    expect(page.locator("#result-title")).to_contain_text("Pas de réseau")
    expect(page.locator("#queue-state")).to_contain_text("1")
    _scan(page, second)  # scanned again while offline: queued too, the server sorts it out
    expect(page.locator("#queue-state")).to_contain_text("2")
    page.context.set_offline(False)  # the browser fires "online": the queue is sent
    page.wait_for_selector("#queue-state", state="hidden")
    expect(detail).to_have_text("Réseau revenu : 2 scans envoyés.")  # plural, chosen in the page
    expect(page.locator("#count-in")).to_have_text("1")

    from eventsys.models.checkin import CheckIn

    with live_server.app.app_context():
        rows = db.session.scalars(db.select(CheckIn).order_by(CheckIn.id)).all()
        assert [r.result for r in rows] == ["invalid", "invalid", "ok", "ok", "already_checked_in"]
        assert [r.reason for r in rows[:2]] == ["malformed", "bad_signature"]
        assert sum(r.counted_key is not None for r in rows) == 1  # the first "ok" was undone


def test_search_by_name_checks_in_without_a_badge(live_server, page):
    _links, raw = _setup(live_server.app, ("Anaïs Lefèvre",))
    _open_desk(page, live_server, raw)
    page.get_by_label("Nom, prénom ou organisme").fill("lefè")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role("button", name="Enregistrer l'arrivée : Anaïs Lefèvre").click()
    page.wait_for_selector("#scan-result.result-ok")
    assert "Anaïs Lefèvre" in page.locator("#result-name").inner_text()


def _y4m_from(png: Path, qr_text: str, out: Path) -> None:
    """A few seconds of 640x480 video of the printed badge's QR code (as a phone would frame it)."""
    with Image.open(png) as image:
        [found] = [r for r in zxingcpp.read_barcodes(image) if r.text == qr_text]
        xs = [p.x for p in (found.position.top_left, found.position.top_right, found.position.bottom_left,
                            found.position.bottom_right)]  # fmt: skip
        ys = [p.y for p in (found.position.top_left, found.position.top_right, found.position.bottom_left,
                            found.position.bottom_right)]  # fmt: skip
        margin = (max(xs) - min(xs)) // 2
        crop = image.convert("RGB").crop(
            (min(xs) - margin, min(ys) - margin, max(xs) + margin, max(ys) + margin)
        )
    frame = Image.new("RGB", (640, 480), "white")
    crop.thumbnail((420, 420))
    frame.paste(crop, ((640 - crop.width) // 2, (480 - crop.height) // 2))
    y, u, v = frame.convert("YCbCr").split()
    u, v = u.resize((320, 240)), v.resize((320, 240))
    payload = b"FRAME\n" + y.tobytes() + u.tobytes() + v.tobytes()
    out.write_bytes(b"YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\n" + payload * 30)


def test_fake_camera_reads_the_printed_badge(live_server, _playwright, tmp_path):  # noqa: PT019 - launches its own browser
    [link], raw = _setup(live_server.app, ("Αικατερίνη Παπαδοπούλου",))
    video = tmp_path / "badge.y4m"
    browser = _playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=["--no-sandbox", "--disable-gpu", "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
              f"--use-file-for-fake-video-capture={video}"],
    )  # fmt: skip
    try:
        context = browser.new_context(locale="fr-FR", permissions=["camera"])
        page = context.new_page()
        page.set_default_timeout(15_000)
        qr, png = _decode_badge(page, live_server(f"/r/{link}/badge.pdf"), tmp_path)
        _y4m_from(png, qr, video)
        _open_desk(page, live_server, raw)
        page.get_by_role("button", name="Activer la caméra").click()
        page.wait_for_selector("#scan-result.result-ok")
        assert "Παπαδοπούλου" in page.locator("#result-name").inner_text()
        page.wait_for_timeout(1500)  # the badge stays in front of the camera: still counted once
        assert page.locator("#count-in").inner_text() == "1"
        page.get_by_role("button", name="Arrêter la caméra").click()
        context.close()
    finally:
        browser.close()


def test_a_phone_desk_finds_accented_names_typed_without_accents(live_server, browser):
    """On a 390×844 phone: the camera button, the code field and the search are in the first
    screen, and "helene garcia" typed finds Hélène García-Müller."""
    long_title = ("Nouveaux mandats, nouvelles perspectives pour l'action internationale des collectivités "
                  "territoriales et de leurs partenaires")  # fmt: skip
    _links, raw = _setup(live_server.app, ("Hélène García-Müller", "Paul Martin"), title=long_title)
    context = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844},
                                  is_mobile=True, has_touch=True, device_scale_factor=2)  # fmt: skip
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        _open_desk(page, live_server, raw)
        for control in (page.get_by_role("button", name="Activer la caméra"), page.locator("#scan-input"),
                        page.get_by_label("Nom, prénom ou organisme")):  # fmt: skip
            box = control.bounding_box()
            assert box is not None
            assert box["y"] >= 0
            assert box["y"] + box["height"] <= 844, control
        search = page.get_by_label("Nom, prénom ou organisme")
        search.fill("helene  GARCIA")
        search.press("Enter")
        button = page.get_by_role("button", name="Enregistrer l'arrivée : Hélène García-Müller")
        button.click()
        page.wait_for_selector("#scan-result.result-ok")
        assert "Hélène García-Müller" in page.locator("#result-name").inner_text()
        assert page.get_by_role("button", name="Enregistrer l'arrivée : Paul Martin").count() == 0
        assert axe_violations(page) == []
    finally:
        context.close()
