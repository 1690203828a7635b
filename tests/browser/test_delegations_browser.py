"""Issue 21 as people do it: a head of delegation registers five members (one interpreter) in
Chromium; the organiser sees the interpreting plan with one clash and resolves it, prints the
group's badges (each in its member's language, with the delegation and the country); a member's
agenda shows the technical visit with its meeting point."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import zxingcpp
from PIL import Image

from eventsys.extensions import db
from tests.browser.conftest import axe_violations

PASSWORD = "correct horse battery staple"
VISIT = "Visite de la station d'épuration"
MEMBERS = [  # first name, last name, e-mail, language, role
    ("Lucas", "Peeters", "lucas.peeters@namur.be", "fr", "elected"),
    ("Lena", "Schmitt", "lena.schmitt@eupen.be", "de", "engineer"),
    ("Giulia", "Bianchi", "", "it", "engineer"),
    ("Tom", "Jacobs", "tom.jacobs@namur.be", "en", "technician"),
    ("Claire", "Dumont", "claire.dumont@namur.be", "fr", "interpreter"),
]
COUNTRY = {"fr": "Belgique", "de": "Belgien", "it": "Belgio", "en": "Belgium"}


def _setup(app) -> dict:
    """A published forum in two months: two workshops at the same time, a technical visit."""
    from eventsys.models import ProgrammeSession, Room
    from eventsys.security import create_user
    from eventsys.services import programme
    from eventsys.services import registration as reg
    from eventsys.services import technical_visits as visits

    day = datetime.now(UTC).date() + timedelta(days=60)
    with app.test_request_context("/"):
        owner = create_user("organiser@example.org", PASSWORD, platform_role="organiser")
        event = programme.create_event(
            owner,
            {"title": "Rencontres internationales de l'ingénierie territoriale", "code": "R26NT 021",
             "kind": "conference", "start_date": day, "end_date": day, "timezone": "Europe/Paris",
             "languages": "fr,en,de,it"},
            "{kind}{yy}EV {seq:03d}",
        )  # fmt: skip
        europe = programme.save_room(event, Room(), {"name": "Salle Europe", "capacity": 80})
        afrique = programme.save_room(event, Room(), {"name": "Salle Afrique", "capacity": 40})

        def session(title, start, end, **data):
            starts = programme.local_to_utc(event, day, time.fromisoformat(start))
            ends = programme.local_to_utc(event, day, time.fromisoformat(end))
            return programme.save_session(
                event, ProgrammeSession(), {"title": title, **data}, starts, ends
            )

        session("Ouverture", "09:00", "09:45", type="opening", room_id=europe.id)
        w1 = session("Eau et assainissement", "10:00", "11:30", type="workshop", room_id=europe.id,
                     requires_registration=True, capacity=30)  # fmt: skip
        w2 = session("Voirie et mobilité", "10:00", "11:30", type="workshop", room_id=afrique.id,
                     requires_registration=True, capacity=30)  # fmt: skip
        visit = session(
            VISIT, "14:00", "17:00", type="technical_visit", requires_registration=True, capacity=12
        )
        visits.save_visit(visit, visits.VisitInput(meeting_point="Parvis de la gare", meeting_time="13:40",
                                                   transport="Car affrété", host="Mme Leroy", site="Rue du Port"))  # fmt: skip
        programme.publish_event(event)
        reg.save_settings(event, {"capacity": 100})
        db.session.commit()
        return {
            "event_id": event.id,
            "code": event.code,
            "w1": w1.id,
            "w2": w2.id,
            "visit": visit.id,
        }


def _login(page, live_server) -> None:
    page.goto(live_server("/auth/login"))
    page.get_by_label("Adresse e-mail").fill("organiser@example.org")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(re.compile(r"/manage/"))


def _register_as_head(page, live_server, ids: dict) -> None:
    page.goto(live_server(f"/e/{ids['code']}/delegations/new"))
    assert axe_violations(page) == []
    page.get_by_label("Nom de la délégation").fill("ARDIC — Province de Namur")
    page.get_by_label("Pays").select_option("BE")
    page.get_by_label("Institution ou association").fill(
        "Association régionale des ingénieurs communaux"
    )
    page.get_by_label("Prénom du chef de délégation").fill("Marie")
    page.get_by_label("Nom du chef de délégation", exact=True).fill("Dubois")
    page.get_by_label("E-mail du chef de délégation").fill("marie.dubois@ardic.be")
    for n, (first, last, email, language, role) in enumerate(MEMBERS):
        page.fill(f"#members-{n}-first_name", first)
        page.fill(f"#members-{n}-last_name", last)
        page.fill(f"#members-{n}-email", email)
        page.select_option(f"#members-{n}-language", language)
        page.select_option(f"#members-{n}-role", role)
    page.check(f"input[name='sessions'][value='{ids['visit']}']")
    # German → French in both workshops, which run at the same time: one interpreter, two rooms.
    page.select_option("#pairs-0-source", "de")
    page.select_option("#pairs-0-target", "fr")
    page.check(f"input[name='pairs-0-sessions'][value='{ids['w1']}']")
    page.check(f"input[name='pairs-0-sessions'][value='{ids['w2']}']")
    page.get_by_label(re.compile("J'ai l'accord des membres")).check()
    page.get_by_role("button", name="Inscrire la délégation").click()
    page.wait_for_url(re.compile(r"/d/"))


def test_head_registers_organiser_resolves_clash_prints_badges_member_sees_visit(
    live_server, page, tmp_path
):
    ids = _setup(live_server.app)
    _register_as_head(page, live_server, ids)
    members = page.locator("table tbody tr")
    assert members.count() == 5
    assert "Claire Dumont" in members.nth(4).inner_text()
    assert "Interprète" in members.nth(4).inner_text()
    head_page = page.url

    # The organiser: the interpreting plan shows the clash, a volunteer takes the second room.
    _login(page, live_server)
    page.goto(live_server(f"/manage/events/{ids['event_id']}/delegations"))
    assert "ARDIC — Province de Namur" in page.content()
    page.get_by_role("link", name="Plan d'interprétation").click()
    summary = page.locator(".clash-summary")
    assert "1 conflit à résoudre." in summary.inner_text()
    assert "Claire Dumont est prévu·e dans deux sessions en même temps." in summary.inner_text()
    assert axe_violations(page) == []
    row = page.locator("tbody tr", has_text="Voirie et mobilité")
    row.get_by_label("ou nom d'un bénévole").fill("Anna Keller")
    row.get_by_role("button", name="Enregistrer").click()
    assert "Aucun conflit" in page.locator(".clash-summary").inner_text()
    assert "Anna Keller" in page.locator("tbody tr", has_text="Voirie et mobilité").inner_text()

    # The group's badges: one per member, in the member's language, with delegation and country.
    page.get_by_role("link", name="Vue d'ensemble").click()
    page.get_by_role("link", name="ARDIC — Province de Namur").click()
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Imprimer les badges de la délégation")).click()
    pdf = tmp_path / "badges.pdf"
    download.value.save_as(pdf)
    pages = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    )
    texts = pages.stdout.split("\f")
    for first, last, _email, language, _role in MEMBERS:
        [badge] = [t for t in texts if last in t and first in t and "Province de Namur" in t]
        assert COUNTRY[language] in badge, (first, language)
    assert "Parvis de la gare" in pages.stdout  # the visit's meeting point on the badge back
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(pdf), str(tmp_path / "badge")], check=True)
    shutil.copy(sorted(Path(tmp_path).glob("badge-*.png"))[1], "/tmp/del_badge_de.png")
    codes = []
    for png in sorted(Path(tmp_path).glob("badge-*.png")):
        with Image.open(png) as image:
            codes += [
                r.text
                for r in zxingcpp.read_barcodes(image)
                if r.format == zxingcpp.BarcodeFormat.QRCode
            ]
    assert len(set(codes)) == 5  # one signed code per member (the folded badge prints it twice)
    assert all(code.startswith("E1.") for code in codes)

    # A member's agenda, from the head's page: the technical visit, from its meeting point.
    page.goto(head_page)
    page.get_by_role("link", name="Badge et agenda de Lena").click()
    assert VISIT in page.content()
    agenda = page.request.get(page.url + "/agenda.ics")
    assert agenda.ok
    ics = agenda.text().replace("\r\n ", "")
    assert f"SUMMARY:{VISIT}" in ics.replace("\\,", ",")
    assert "LOCATION:Parvis de la gare" in ics
    assert "Transport: Car affrété" in ics  # in Lena's language (German)


def test_a_demo_delegation_member_reads_their_delegation_and_visit_on_their_page(
    live_server, page, tmp_path
):
    """`dev.py demo`: the Senegalese delegation's English-speaking engineer opens their link."""
    from sqlalchemy import select

    from eventsys.models.delegation import Delegation
    from eventsys.services import registration as reg
    from eventsys.services.demo import load_demo

    with live_server.app.test_request_context("/"):
        load_demo()
        db.session.commit()
        delegation = db.session.scalars(select(Delegation)).one()
        token = reg.link_token(delegation.members[3].registration)
    page.goto(live_server(f"/r/{token}"))
    section = page.get_by_role("region", name="Your delegation")
    assert "Senegal" in section.inner_text()
    visits = page.get_by_role("region", name="Your technical visits").inner_text()
    assert "Technical visit: the Confluence water treatment plant" in visits
    assert "Parvis du centre de congrès" in visits
    page.screenshot(path=str(tmp_path / "member-page.png"), full_page=True)
    assert axe_violations(page) == []
