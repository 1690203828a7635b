"""Speed-networking pages: access rules, forms that keep what was typed, the plan matrix, re-planning,
print-outs, the projector and the attendee's itinerary."""

from __future__ import annotations

import html
import io
import re

import pytest
from pypdf import PdfReader

from eventsys.extensions import db
from eventsys.models import EventRole
from eventsys.models.networking import NetworkingActivity
from eventsys.models.people import ROLE_STAFF
from eventsys.services import networking as svc
from eventsys.services import registration as reg
from tests.conftest import login
from tests.networking.checker import check_stored_plan


def _text(response) -> str:
    return html.unescape(
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))
    )


def _base(event, activity=None) -> str:
    url = f"/manage/events/{event.id}/networking"
    return f"{url}/{activity.id}" if activity is not None else url


SETTINGS = {"start": "12:45", "rounds": "7", "end": "", "round_minutes": "9", "changeover_minutes": "1",
            "group_size": "6", "mode": "stations", "avoid_same_organisation": "y"}  # fmt: skip


# ------------------------------------------------------------------ access


def test_organiser_pages_need_login_and_the_organiser_role(
    client, speed_event, make_activity, make_user
):
    event = speed_event(people=8)
    activity = make_activity(event)
    base = _base(event, activity)
    gets = [_base(event), _base(event) + "/new", base, base + "/settings", base + "/stations",
            base + "/participants", base + "/rosters.pdf", base + "/itineraries.pdf", base + "/projector"]  # fmt: skip
    posts = [base + "/plan", base + "/replan", base + "/settings", base + "/stations", base + "/participants/update",
             base + "/participants/walk-in", base + "/participants/sync", base + "/delete"]  # fmt: skip
    for url in gets:
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/auth/login" in response.headers["Location"], url
    stranger = make_user()
    login(client, stranger)
    for url in gets:
        assert client.get(url).status_code == 403, url
    for url in posts:
        assert client.post(url, data={}).status_code == 403, url
    assert db.session.get(NetworkingActivity, activity.id) is not None


def test_staff_open_the_projector_but_not_the_organiser_pages(
    client, speed_event, make_activity, make_user
):
    event = speed_event(people=8, facilitators=4)
    activity = make_activity(event, rounds=3)
    staff = make_user()
    db.session.add(EventRole(event_id=event.id, user_id=staff.id, role=ROLE_STAFF))
    db.session.commit()
    login(client, staff)
    assert client.get(_base(event, activity) + "/projector").status_code == 200
    assert client.get(_base(event, activity)).status_code == 403
    assert client.post(_base(event, activity) + "/plan").status_code == 403


def test_another_events_activity_is_not_found(client, speed_event, make_activity):
    mine = speed_event(people=4)
    other = speed_event(people=4)
    theirs = make_activity(other)
    login(client, mine.owner)
    assert client.get(f"/manage/events/{mine.id}/networking/{theirs.id}").status_code == 404
    assert client.post(f"/manage/events/{mine.id}/networking/{theirs.id}/plan").status_code == 404


# ------------------------------------------------------------------ settings


def test_create_from_the_session_then_plan_and_see_the_matrix(client, speed_event):
    event = speed_event(people=21)
    login(client, event.owner)
    page = client.get(_base(event))
    assert "Configurer la rotation" in _text(page)
    form = client.get(_base(event) + "/new")
    assert 'value="12:45"' in form.get_data(as_text=True)
    response = client.post(
        _base(event) + "/new", data={**SETTINGS, "session_id": str(event.session.id)}
    )
    assert response.status_code == 302
    activity = db.session.query(NetworkingActivity).one()
    assert len(activity.stations) == 7
    assert len(activity.participants) == 21
    plan_page = client.get(_base(event, activity))
    assert "Planifier" in _text(plan_page)
    response = client.post(_base(event, activity) + "/plan")
    assert response.status_code == 302
    check_stored_plan(activity, activity.current_plan)
    text = _text(client.get(_base(event, activity)))
    assert "Qui va où, tour par tour" in text
    assert "Rencontres répétées" in text
    repeats = activity.current_plan.metrics["repeat_encounters"]
    assert ("0 répétition (optimal)" in text) == (repeats == 0)
    # Every person and every facilitator appears in the matrix.
    for row in activity.participants:
        assert row.name in text
    for station in activity.stations:
        assert station.facilitator.name in text
        assert station.theme in text
    assert "Tour 7" in text
    assert "13 h 45–13 h 54" in text


def test_negative_round_length_keeps_what_was_typed(client, speed_event, make_activity):
    event = speed_event(people=8)
    activity = make_activity(event)
    login(client, event.owner)
    typed = {
        **SETTINGS,
        "round_minutes": "-5",
        "rounds": "5",
        "changeover_minutes": "3",
        "start": "12:50",
    }
    response = client.post(_base(event, activity) + "/settings", data=typed)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert (
        "La durée d&#39;un tour va de 1 à 240 minutes." in body
        or "La durée d'un tour va de 1 à 240 minutes." in body
    )
    for value in ('value="-5"', 'value="5"', 'value="3"', 'value="12:50"'):
        assert value in body
    db.session.refresh(activity)
    assert activity.round_minutes == 9
    assert activity.rounds == 7


def test_settings_refused_by_the_service_stay_in_the_form(client, speed_event, make_activity):
    event = speed_event(people=8)
    activity = make_activity(event)
    login(client, event.owner)
    typed = {**SETTINGS, "rounds": "", "end": "12:30", "round_minutes": "11"}
    response = client.post(_base(event, activity) + "/settings", data=typed)
    assert response.status_code == 422
    assert "L'heure de fin doit suivre l'heure de début." in _text(response)
    assert 'value="12:30"' in response.get_data(as_text=True)
    assert 'value="11"' in response.get_data(as_text=True)
    typed = {**SETTINGS, "round_minutes": "dix"}
    response = client.post(_base(event, activity) + "/settings", data=typed)
    assert response.status_code == 422
    assert "Saisissez un nombre entier" in _text(response)
    assert 'value="dix"' in response.get_data(as_text=True)


def test_settings_change_is_saved(client, speed_event, make_activity):
    event = speed_event(people=8)
    activity = make_activity(event)
    login(client, event.owner)
    response = client.post(_base(event, activity) + "/settings",
                           data={**SETTINGS, "rounds": "", "end": "14:00", "round_minutes": "10", "mode": "remix"})  # fmt: skip
    assert response.status_code == 302
    db.session.refresh(activity)
    assert activity.round_count == 6
    assert activity.mode == "remix"


# ------------------------------------------------------------------ planning errors


def test_fewer_participants_than_stations_is_explained_on_the_page(
    client, speed_event, make_activity
):
    event = speed_event(people=5)
    activity = make_activity(event)
    login(client, event.owner)
    response = client.post(_base(event, activity) + "/plan")
    assert response.status_code == 422
    text = _text(response)
    assert "Le plan n'a pas pu être calculé" in text
    assert "Le tour 1 compte 5 participant·es pour 7 tables" in text
    # The organiser's settings are still there, untouched.
    assert "7 tours" in text
    assert "9 min par tour" in text
    db.session.refresh(activity)
    assert activity.current_plan is None


def test_more_rounds_than_stations_is_said_before_planning(client, speed_event, make_activity):
    event = speed_event(people=12, facilitators=3)
    activity = make_activity(event, rounds=5)
    login(client, event.owner)
    assert "5 tours pour 3 tables" in _text(client.get(_base(event, activity)))
    assert client.post(_base(event, activity) + "/plan").status_code == 302
    check_stored_plan(activity, activity.current_plan)
    assert "24 retours à une table déjà visitée (au moins 24 inévitables)" in _text(
        client.get(_base(event, activity))
    )


# ------------------------------------------------------------------ participants and re-planning


def test_mark_three_absent_then_replan_from_round_four(client, speed_event, make_activity):
    event = speed_event(people=28)
    activity = make_activity(event)
    login(client, event.owner)
    client.post(_base(event, activity) + "/plan")
    first = activity.current_plan.data
    leaving = activity.participants[:3]
    response = client.post(
        _base(event, activity) + "/participants/update",
        data={
            "participant": [str(p.id) for p in leaving],
            "action": "absent_from",
            "round_number": "4",
        },
    )
    assert response.status_code == 302
    assert all(p.absent_from_round == 4 for p in leaving)
    response = client.post(_base(event, activity) + "/participants/walk-in",
                           data={"name": "Zoé Lambert", "organisation": "Ville nouvelle", "joins_from_round": "4"})  # fmt: skip
    assert response.status_code == 302
    response = client.post(_base(event, activity) + "/replan", data={"from_round": "4"})
    assert response.status_code == 302
    db.session.refresh(activity)
    plan = activity.current_plan
    assert plan.rounds_played == 3
    check_stored_plan(activity, plan, first)
    text = _text(client.get(_base(event, activity)))
    assert "Les 3 premiers tours sont repris tels qu'ils ont été joués." in text
    assert text.count("joué ") >= 3


def test_participant_actions_need_a_selection_and_a_round(client, speed_event, make_activity):
    event = speed_event(people=8)
    activity = make_activity(event)
    login(client, event.owner)
    url = _base(event, activity) + "/participants/update"
    response = client.post(url, data={"action": "absent_from", "round_number": "3"})
    assert response.status_code == 422
    assert "Cochez au moins une personne" in _text(response)
    someone = activity.participants[0]
    response = client.post(
        url, data={"participant": str(someone.id), "action": "absent_from", "round_number": ""}
    )
    assert response.status_code == 422
    assert "Choisissez le tour." in _text(response)
    assert f'value="{someone.id}" id="participant-{someone.id}" checked' in response.get_data(
        as_text=True
    )
    response = client.post(
        url, data={"participant": str(someone.id), "action": "remove", "round_number": ""}
    )
    assert response.status_code == 302
    assert someone.present is False
    assert "Retiré·e de la rotation" in _text(client.get(_base(event, activity) + "/participants"))


def test_walk_in_without_name_keeps_the_organisation(client, speed_event, make_activity):
    event = speed_event(people=4)
    activity = make_activity(event)
    login(client, event.owner)
    response = client.post(_base(event, activity) + "/participants/walk-in",
                           data={"name": "  ", "organisation": "Mairie de Port-Lagune"})  # fmt: skip
    assert response.status_code == 422
    assert 'value="Mairie de Port-Lagune"' in response.get_data(as_text=True)


def test_replan_without_plan_or_with_bad_round_is_explained(client, speed_event, make_activity):
    event = speed_event(people=14)
    activity = make_activity(event)
    login(client, event.owner)
    response = client.post(_base(event, activity) + "/replan", data={"from_round": "3"})
    assert response.status_code == 422
    assert "Il n'y a pas encore de plan à reprendre" in _text(response)
    response = client.post(_base(event, activity) + "/replan", data={"from_round": "abc"})
    assert response.status_code == 422
    assert "Choisissez le tour à partir duquel replanifier." in _text(response)


def test_sync_button_adds_new_registrations(client, speed_event, make_activity, register):
    event = speed_event(people=4)
    activity = make_activity(event)
    register(event)
    db.session.commit()
    login(client, event.owner)
    assert "1 inscription confirmée n'est pas encore dans la liste." in _text(
        client.get(_base(event, activity) + "/participants")
    )
    assert client.post(_base(event, activity) + "/participants/sync").status_code == 302
    assert len(activity.participants) == 5


# ------------------------------------------------------------------ stations


def test_station_forms(client, speed_event, make_activity):
    event = speed_event(people=8)
    activity = make_activity(event)
    login(client, event.owner)
    url = _base(event, activity) + "/stations"
    response = client.post(
        url, data={"name": "Table 8", "theme": "Jumelages", "facilitator_id": "", "capacity": "0"}
    )
    assert response.status_code == 422
    assert 'value="Jumelages"' in response.get_data(as_text=True)
    response = client.post(
        url, data={"name": "Table 8", "theme": "Jumelages", "facilitator_id": "", "capacity": "6"}
    )
    assert response.status_code == 302
    assert activity.stations[-1].theme == "Jumelages"
    station = activity.stations[0]
    response = client.post(f"{url}/{station.id}", data={"name": "Table ODD", "theme": "ODD",
                                                        "facilitator_id": str(event.speakers_list[1].id)})  # fmt: skip
    assert response.status_code == 302
    assert station.name == "Table ODD"
    assert station.facilitator_id == event.speakers_list[1].id
    assert client.post(f"{url}/{station.id}/delete").status_code == 302
    assert station.id not in {s.id for s in activity.stations}
    assert client.post(f"{url}/999999/delete").status_code == 404


# ------------------------------------------------------------------ print-outs


def _pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def test_rosters_and_slips(client, speed_event, make_activity):
    event = speed_event(people=9, facilitators=3)
    activity = make_activity(event, rounds=3)
    login(client, event.owner)
    response = client.get(_base(event, activity) + "/rosters.pdf")
    assert response.status_code == 302  # nothing to print before a plan
    client.post(_base(event, activity) + "/plan")
    response = client.get(_base(event, activity) + "/rosters.pdf")
    assert response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    pages, text = _pdf_text(response.data)
    assert pages == 3  # one page per table
    for station in activity.stations:
        assert station.facilitator.name in text
    for person in activity.participants:
        assert person.name in text
    response = client.get(_base(event, activity) + "/itineraries.pdf")
    pages, text = _pdf_text(response.data)
    assert pages == 3  # nine slips, four per page
    assert "Tour 1 · 12 h 45–12 h 54" in text
    assert text.count("Table 1") == 9


# ------------------------------------------------------------------ projector


def test_projector_page(client, speed_event, make_activity):
    event = speed_event(people=12, facilitators=3)
    activity = make_activity(event, rounds=3, round_minutes=8, changeover_minutes=2)
    login(client, event.owner)
    client.post(_base(event, activity) + "/plan")
    response = client.get(_base(event, activity) + "/projector?round=2")
    body = response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    assert 'data-round-seconds="480"' in body
    assert 'data-changeover-seconds="120"' in body
    assert "Tour 2 sur 3" in _text(response)
    sections = re.findall(
        r'<section class="projector-round" data-round="(\d)"[^>]*?(hidden)?>', body
    )
    assert [(n, h) for n, h in sections] == [("1", "hidden"), ("2", ""), ("3", "hidden")]
    assert 'src="/static/js/projector.js"' in body


# ------------------------------------------------------------------ attendee itinerary


def test_itinerary_from_the_private_link(client, speed_event, make_activity, register):
    event = speed_event(people=14)
    outsider = register(event, opt_in=False)
    db.session.commit()
    activity = make_activity(event)
    person = event.registrations[2]
    token = reg.link_token(person)
    db.session.commit()
    response = client.get(f"/r/{token}/networking")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "lorsque l'organisateur aura planifié" in _text(response)
    svc.plan_activity(activity)
    db.session.commit()
    text = _text(client.get(f"/r/{token}/networking"))
    row = next(p for p in activity.participants if p.registration_id == person.id)
    stops = svc.participant_itinerary(svc.plan_view(activity), row.id)
    for stop in stops:
        assert f"{stop.number} " in text
        assert stop.place in text
    for station in activity.stations:
        assert station.theme in text
        assert station.facilitator.name in text
    # Other people's names are not shown to an attendee.
    others = [p.name for p in activity.participants if p.id != row.id]
    assert not any(name in text for name in others)
    outsider_token = reg.link_token(outsider)
    db.session.commit()
    assert "Vous ne participez pas au speed-networking" in _text(
        client.get(f"/r/{outsider_token}/networking")
    )
    assert client.get("/r/not-a-token/networking").status_code == 404
    assert client.get(f"/r/{token}x/networking").status_code == 404


# ------------------------------------------------------------------ CSP


@pytest.mark.parametrize("page", ["", "/settings", "/stations", "/participants", "/projector"])
def test_pages_have_no_inline_script_or_style(client, speed_event, make_activity, page):
    event = speed_event(people=8, facilitators=3)
    activity = make_activity(event, rounds=3)
    login(client, event.owner)
    client.post(_base(event, activity) + "/plan")
    body = client.get(_base(event, activity) + page).get_data(as_text=True)
    assert not re.search(r"<script(?![^>]*\bsrc=)", body)
    assert " style=" not in body
    assert "<style" not in body
