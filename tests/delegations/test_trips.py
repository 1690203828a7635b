"""Study trips: days at different sites and time zones, an itinerary PDF per person in their language."""

from __future__ import annotations

import subprocess
from datetime import timedelta

import pytest

from eventsys.render.itinerary_pdf import Itinerary, ItineraryDay, render_itinerary
from eventsys.services import delegations as dl
from eventsys.services import registration as reg
from eventsys.services import study_trips as trips
from tests.conftest import login
from tests.delegations.conftest import FUTURE, delegation_data


def _text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "itinerary.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture
def trip(forum):
    """A two-day trip: Brussels on the first day, Dakar (another time zone) on the second."""

    def make():
        event = forum(end_date=FUTURE + timedelta(days=1))
        trips.save_day(event, trips.DayInput(day=FUTURE, site="Bruxelles, station d'épuration Nord",
                                             timezone="Europe/Brussels", meeting_point="Gare du Midi",
                                             meeting_time="08:30", transport="Train", host="Mme Janssens"))  # fmt: skip
        trips.save_day(event, trips.DayInput(day=FUTURE + timedelta(days=1), site="Dakar, port autonome",
                                             timezone="Africa/Dakar", meeting_point="Hall de l'hôtel",
                                             meeting_time="09:00", transport="Minibus", host="M. Diop"))  # fmt: skip
        return event

    return make


def test_the_renderer_is_pure_and_prints_every_day(tmp_path):
    pdf = render_itinerary(Itinerary(title="Itinéraire : voyage", person="Lena Schmitt", days=[
        ItineraryDay(heading="Mardi — Bruxelles", zone="Heures locales : CET", facts=[("Transport", "Train")],
                     sessions=[("09:00–10:00", "Visite")]),
        ItineraryDay(heading="Jeudi — Dakar", zone="Heures locales : GMT", facts=[("Accueil", "M. Diop")]),
    ]))  # fmt: skip
    text = _text(pdf, tmp_path)
    assert "Mardi — Bruxelles" in text and "Jeudi — Dakar" in text  # noqa: PT018
    assert "M. Diop" in text


def test_a_day_outside_the_event_twice_or_in_an_unknown_zone_is_refused(db, trip, request_ctx):
    event = trip()
    with pytest.raises(trips.TripDayInvalid) as caught:
        trips.save_day(event, trips.DayInput(day=FUTURE, site="Milan", timezone="Europe/Atlantis"))
    codes = caught.value.params["codes"]
    assert codes == {"day": "duplicate_day", "timezone": "unknown_timezone"}
    with pytest.raises(trips.TripDayInvalid) as caught:
        trips.save_day(event, trips.DayInput(day=FUTURE + timedelta(days=9), site="Milan"))
    assert caught.value.params["codes"]["day"] == "outside_event"


def test_each_member_gets_an_itinerary_in_their_language_with_each_day_in_its_zone(
    client, db, trip, request_ctx, tmp_path
):
    event = trip()
    delegation = dl.register_delegation(event, delegation_data(sessions=[event.visit.id]))
    db.session.commit()
    german = delegation.members[1].registration
    response = client.get(f"/r/{reg.link_token(german)}/itinerary.pdf")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    text = _text(response.data, tmp_path)
    assert "Reiseplan" in text and "Treffpunkt" in text  # noqa: PT018 - German
    assert "Gare du Midi" in text and "Minibus" in text  # noqa: PT018
    assert "Europe/Brussels" in text and "Africa/Dakar" in text  # noqa: PT018
    # The technical visit at 14:00 Paris time is 14:00 in Brussels too (same zone that day).
    assert "14:00" in text and "Visite de la station" in text  # noqa: PT018
    italian = delegation.members[2].registration  # no address: the head prints it
    head = client.get(
        f"/d/{dl.link_token(delegation)}/members/{delegation.members[2].id}/itinerary.pdf"
    )
    assert head.status_code == 200
    assert "Itinerario" in _text(head.data, tmp_path)
    assert italian.language == "it"


def test_the_organiser_adds_and_removes_days(client, db, forum):
    event = forum()
    login(client, event.owner)
    page = client.get(f"/manage/events/{event.id}/delegations/trip")
    assert page.status_code == 200
    bad = client.post(f"/manage/events/{event.id}/delegations/trip", data={"day": FUTURE.isoformat(), "site": "",
                                                                          "timezone": "Europe/Brussels"})  # fmt: skip
    assert bad.status_code == 422
    assert "Indiquez le lieu de la journée." in bad.get_data(as_text=True)
    good = client.post(
        f"/manage/events/{event.id}/delegations/trip",
        data={
            "day": FUTURE.isoformat(),
            "site": "Namur",
            "timezone": "Europe/Brussels",
            "meeting_time": "08:15",
        },
    )
    assert good.status_code == 302
    [day] = trips.trip_days(event)
    assert day.site == "Namur" and day.meeting_time == "08:15"  # noqa: PT018
    assert (
        client.post(f"/manage/events/{event.id}/delegations/trip/{day.id}/delete").status_code
        == 302
    )
    assert trips.trip_days(event) == []
