"""A delegation member's own private-link page: their delegation, the technical visit's practical
details, and their itinerary when the event is a study trip."""

from __future__ import annotations

from sqlalchemy import select

from eventsys.services import delegations as dl
from eventsys.services import registration as reg
from eventsys.services import study_trips as trips
from eventsys.services import technical_visits as visits
from tests.delegations.conftest import delegation_data


def _member_links(app, db, event):
    with app.test_request_context("/", base_url="http://eventsys.test"):
        delegation = dl.register_delegation(event, delegation_data(sessions=[event.visit.id]))
        visits.save_visit(
            event.visit,
            visits.VisitInput(
                meeting_point="Parvis de la gare", meeting_time="13:40", transport="Car affrété",
                host="Mme Lambert, directrice de la station", site="Station d'épuration de Wépion",
            ),
        )  # fmt: skip
        db.session.commit()
        return [reg.link_token(m.registration) for m in delegation.members]


def test_a_member_sees_their_delegation_and_the_visits_details(app, client, db, forum):
    event = forum()
    links = _member_links(app, db, event)
    html = client.get(f"/r/{links[0]}").get_data(as_text=True)  # a French-speaking engineer
    assert "ARDIC — Commune de Namur" in html
    assert "Belgique" in html
    assert "Ingénieur·e" in html  # their role in the group
    assert "Marie Dubois" in html
    assert "Parvis de la gare" in html
    assert "Car affrété" in html
    assert "Mme Lambert, directrice de la station" in html
    assert "itinerary.pdf" not in html  # not a study trip
    english = client.get(f"/r/{links[4]}").get_data(as_text=True)  # the interpreter speaks English
    assert "Belgium" in english
    assert "Interpreter" in english


def test_on_a_study_trip_the_member_downloads_their_itinerary(app, client, db, forum):
    event = forum()
    links = _member_links(app, db, event)
    with app.test_request_context("/"):
        trips.save_day(
            event, trips.DayInput(day=event.start_date, site="Namur", meeting_point="Gare de Namur")
        )
        db.session.commit()
    html = client.get(f"/r/{links[0]}").get_data(as_text=True)
    assert f'href="/r/{links[0]}/itinerary.pdf"' in html
    pdf = client.get(f"/r/{links[0]}/itinerary.pdf")
    assert pdf.status_code == 200
    assert pdf.mimetype == "application/pdf"


def test_someone_registered_alone_sees_no_delegation(app, client, db, forum, request_ctx):
    event = forum()
    alone = reg.register_attendee(
        event,
        reg.RegistrationInput(
            first_name="Inès", last_name="Seule", email="ines@ville.fr", organisation="Ville",
            consent=True,
        ),
    ).registration  # fmt: skip
    db.session.commit()
    html = client.get(f"/r/{reg.link_token(alone)}").get_data(as_text=True)
    assert "Mon inscription" in html
    assert "Votre délégation" not in html
    assert "Vos visites techniques" not in html


def test_the_demo_conference_has_a_delegation_with_its_interpreter_and_a_visit(app, client, db):
    from eventsys.models.delegation import Delegation, TechnicalVisit
    from eventsys.services import programme
    from eventsys.services.delegations import interpreting
    from eventsys.services.demo import load_demo

    with app.test_request_context("/", base_url="http://eventsys.test"):
        load_demo()
        db.session.commit()
        load_demo()  # twice: nothing more
        db.session.commit()
        event = programme.find_event("RNIT26")
        (delegation,) = db.session.scalars(select(Delegation)).all()
        assert delegation.country == "SN"
        assert [m.role for m in delegation.members].count("interpreter") == 1
        assert all(m.registration.status == "confirmed" for m in delegation.members)
        assert db.session.scalars(select(TechnicalVisit)).one().meeting_point
        needs, _clashes = interpreting.interpreting_plan(event)
        assert needs
        assert all(n.source == "fr" and n.target == "en" for n in needs)
        link = reg.link_token(delegation.members[3].registration)
    html = client.get(f"/r/{link}").get_data(as_text=True)  # the English-speaking engineer
    assert "Senegal" in html
    assert "Technical visit: the Confluence water treatment plant" in html
