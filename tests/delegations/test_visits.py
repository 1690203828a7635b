"""Technical visits (details on the agenda and the badge back) and badges of delegation members."""

from __future__ import annotations

import pytest

from eventsys.services import delegations as dl
from eventsys.services import technical_visits as visits
from tests.conftest import login
from tests.delegations.conftest import delegation_data


def _details(event):
    return visits.VisitInput(meeting_point="Parvis de la gare", meeting_time="13:40", transport="Car affrété",
                             host="Mme Leroy, directrice de la station", site="Station d'épuration, 2 rue du Port")  # fmt: skip


def test_a_visit_meeting_time_after_its_end_is_refused(db, forum, request_ctx):
    event = forum()
    with pytest.raises(visits.VisitInvalid) as caught:
        visits.save_visit(event.visit, visits.VisitInput(meeting_time="18:00"))
    assert caught.value.params["codes"]["meeting_time"] == "after_end"
    with pytest.raises(visits.VisitInvalid):
        visits.save_visit(event.visit, visits.VisitInput(meeting_time="midi"))


def test_the_agenda_starts_the_visit_at_its_meeting_point_in_the_member_language(
    client, db, forum, request_ctx
):
    from eventsys.services import registration as reg

    event = forum()
    visits.save_visit(event.visit, _details(event))
    delegation = dl.register_delegation(event, delegation_data(sessions=[event.visit.id]))
    db.session.commit()
    german = delegation.members[1].registration
    ics = client.get(f"/r/{reg.link_token(german)}/agenda.ics").get_data(as_text=True)
    assert "LOCATION:Parvis de la gare" in ics
    assert "Transport: Car affrété" in ics.replace("\r\n ", "")  # German: „Transport: …“
    assert "DTSTART;TZID=Europe/Paris:" in ics
    assert "T134000" in ics


def test_badges_show_the_delegation_and_country_in_each_language_and_the_visit_on_the_back(
    db, forum, request_ctx
):
    from eventsys.services.checkin import badge_data

    event = forum()
    visits.save_visit(event.visit, _details(event))
    delegation = dl.register_delegation(event, delegation_data(sessions=[event.visit.id]))
    db.session.commit()
    badges = badge_data(event, [m.registration for m in delegation.members], with_programme=True)
    lines = {b.lang: b.delegation for b in badges}
    assert lines["fr"] == "ARDIC — Commune de Namur · Belgique"
    assert lines["de"] == "ARDIC — Commune de Namur · Belgien"
    assert lines["it"] == "ARDIC — Commune de Namur · Belgio"
    back = next(b for b in badges if b.lang == "en").programme
    visit = next(item for item in back if item.title == "Visite de la station d'épuration")
    assert visit.room.startswith("Meeting point: 13:40, Parvis de la gare")
    assert "Transport: Car affrété" in visit.room
    assert "Host on site: Mme Leroy" in visit.room


def test_the_organiser_fills_in_a_visit(client, db, forum):
    event = forum()
    login(client, event.owner)
    page = client.get(f"/manage/events/{event.id}/delegations/visits").get_data(as_text=True)
    assert "Visite de la station d&#39;épuration" in page
    prefix = f"v{event.visit.id}-"
    response = client.post(
        f"/manage/events/{event.id}/delegations/visits/{event.visit.id}",
        data={prefix + "meeting_point": "Parvis de la gare", prefix + "meeting_time": "25:00"},
    )
    assert response.status_code == 422
    assert "Heure invalide" in response.get_data(as_text=True)
    response = client.post(
        f"/manage/events/{event.id}/delegations/visits/{event.visit.id}",
        data={prefix + "meeting_point": "Parvis de la gare", prefix + "meeting_time": "13:40"},
    )
    assert response.status_code == 302
    page = client.get(f"/manage/events/{event.id}/delegations/visits").get_data(as_text=True)
    assert 'value="13:40"' in page
    assert 'value="Parvis de la gare"' in page
