"""Speed-networking service: settings, stations, participants, planning and re-planning.

Every stored plan goes through the independent checker (tests/networking/checker.py).
"""

from __future__ import annotations

from datetime import time

import pytest
from sqlalchemy import select

from eventsys.extensions import db
from eventsys.models.networking import NetworkingParticipant, NetworkingPlan, Station
from eventsys.services import networking as svc
from eventsys.services import registration as reg
from eventsys.services.errors import NetworkingInvalid, RotationImpossible
from eventsys.services.programme import local_to_utc
from tests.networking.checker import check_stored_plan
from tests.networking.conftest import THEMES


def _plan(activity, **kw):
    plan = svc.plan_activity(activity, **kw)
    db.session.commit()
    return plan


# ------------------------------------------------------------------ settings


def test_activity_gets_a_station_per_facilitator_with_the_offered_themes(
    speed_event, make_activity
):
    event = speed_event(people=12)
    activity = make_activity(event)
    assert [s.facilitator.name for s in activity.stations] == [s.name for s in event.speakers_list]
    assert [s.theme for s in activity.stations] == THEMES
    assert [s.name for s in activity.stations] == [f"Table {n}" for n in range(1, 8)]
    assert len(activity.participants) == 12


def test_round_count_follows_the_end_time_when_no_number_is_given(speed_event, make_activity):
    event = speed_event(people=8)
    day = event.start_date
    activity = make_activity(
        event,
        rounds=None,
        ends_at=local_to_utc(event, day, time(14, 0)),
        round_minutes=10,
        changeover_minutes=1,
    )
    # 75 minutes: 6 rounds of 10 min with 5 changes of 1 min take 65 min; a 7th would end at 14:01.
    assert activity.round_count == 6
    assert activity.round_start(2) == local_to_utc(event, day, time(12, 56))
    assert activity.round_end(6) == local_to_utc(event, day, time(13, 50))


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"round_minutes": -5}, "round_minutes"),
        ({"round_minutes": 0}, "round_minutes"),
        ({"changeover_minutes": -1}, "changeover_minutes"),
        ({"group_size": 1, "mode": "remix"}, "group_size"),
        ({"rounds": 0}, "rounds"),
        ({"rounds": None, "ends_at": None}, "rounds"),
        ({"mode": "tombola"}, "mode"),
    ],
)
def test_bad_settings_are_refused_and_name_the_field(speed_event, make_activity, data, field):
    event = speed_event(people=4)
    activity = make_activity(event)
    before = (activity.round_minutes, activity.changeover_minutes, activity.rounds, activity.mode)
    with pytest.raises(NetworkingInvalid) as caught:
        svc.save_activity(activity, data)
    assert caught.value.params["field"] == field
    db.session.rollback()
    assert (
        activity.round_minutes,
        activity.changeover_minutes,
        activity.rounds,
        activity.mode,
    ) == before


def test_end_before_start_and_no_room_for_a_round_are_refused(speed_event, make_activity):
    event = speed_event(people=4)
    activity = make_activity(event)
    day = event.start_date
    with pytest.raises(NetworkingInvalid, match="suivre"):
        svc.save_activity(
            activity, {"rounds": None, "ends_at": local_to_utc(event, day, time(12, 0))}
        )
    db.session.rollback()
    with pytest.raises(NetworkingInvalid, match="Aucun tour"):
        svc.save_activity(
            activity,
            {
                "rounds": None,
                "ends_at": local_to_utc(event, day, time(12, 50)),
                "round_minutes": 10,
            },
        )


def test_only_speed_networking_sessions_of_the_event_and_one_activity_each(
    speed_event, make_activity, make_session
):
    event = speed_event(people=4)
    talk = make_session(event, "Exposé", "10:00", "11:00")
    with pytest.raises(NetworkingInvalid):
        svc.create_activity(event, talk, {"rounds": 3})
    db.session.rollback()
    make_activity(event)
    with pytest.raises(NetworkingInvalid, match="déjà"):
        svc.create_activity(event, event.session, {"rounds": 3})


# ------------------------------------------------------------------ participants


def test_only_confirmed_registrations_that_opted_in_take_part(speed_event, make_activity, register):
    event = speed_event(people=6)
    register(event, opt_in=False)
    cancelled = register(event)
    reg.cancel_registration(cancelled, notify=False)
    db.session.commit()
    activity = make_activity(event)
    names = {p.registration_id for p in activity.participants}
    assert names == {r.id for r in event.registrations}
    # Someone who cancels later leaves the rotation without losing their place in played rounds.
    leaving = event.registrations[0]
    reg.cancel_registration(leaving, notify=False)
    db.session.commit()
    row = next(p for p in activity.participants if p.registration_id == leaving.id)
    assert not row.eligible
    assert row.id not in {p["id"] for p in svc.build_instance(activity)["participants"]}


def test_sync_adds_new_registrations_once(speed_event, make_activity, register):
    event = speed_event(people=3)
    activity = make_activity(event)
    register(event)
    db.session.commit()
    assert len(svc.pending_registrations(activity)) == 1
    assert svc.sync_participants(activity) == 1
    assert svc.sync_participants(activity) == 0
    assert len(activity.participants) == 4


def test_instance_maps_ranked_themes_and_organisations(speed_event, make_activity, register):
    event = speed_event(people=7)
    person = register(
        event,
        themes=["Formation AICT", "Cadre juridique de l'AICT"],
        organisation="  VILLE   d'Exemple ",
    )
    db.session.commit()
    activity = make_activity(event)
    # The station is written differently from the registration form: case and accents ignored.
    station = next(s for s in activity.stations if s.theme == "Formation AICT")
    station.theme = "formation aict"
    other = next(s for s in activity.stations if s.theme == "Cadre juridique de l'AICT")
    other.theme = ""
    db.session.commit()
    instance = svc.build_instance(activity)
    row = next(p for p in activity.participants if p.registration_id == person.id)
    entry = next(p for p in instance["participants"] if p["id"] == row.id)
    assert entry["themes"] == ["formation aict"]  # the second theme has no station any more
    assert entry["organisation"] == "ville d'exemple"
    assert instance["rounds"] == 7
    assert len(instance["stations"]) == 7


def test_absences_and_late_arrivals_become_absent_rounds(speed_event, make_activity):
    event = speed_event(people=10)
    activity = make_activity(event)
    a, b, c = activity.participants[:3]
    svc.set_attendance(a, True, absent_from_round=4)
    svc.set_attendance(b, True, joins_from_round=3)
    svc.set_attendance(c, False)
    db.session.commit()
    entries = {p["id"]: p for p in svc.build_instance(activity)["participants"]}
    assert entries[a.id]["absent_rounds"] == [4, 5, 6, 7]
    assert entries[b.id]["absent_rounds"] == [1, 2]
    assert c.id not in entries
    with pytest.raises(NetworkingInvalid):
        svc.set_attendance(a, True, absent_from_round=3, joins_from_round=3)
    db.session.rollback()
    with pytest.raises(NetworkingInvalid):
        svc.set_attendance(a, True, absent_from_round=8)


def test_walk_ins_are_deleted_only_while_no_plan_names_them(speed_event, make_activity):
    event = speed_event(people=14)
    activity = make_activity(event)
    early = svc.add_walk_in(activity, " Zoé  Lambert ", "Mairie de Port-Lagune")
    assert early.name == "Zoé Lambert"
    assert svc.remove_participant(early) is True
    kept = svc.add_walk_in(activity, "Yann Kervella", "")
    db.session.commit()
    _plan(activity)
    assert svc.remove_participant(kept) is False
    assert kept.present is False
    with pytest.raises(NetworkingInvalid):
        svc.add_walk_in(activity, "   ")


# ------------------------------------------------------------------ planning


def test_plan_of_the_demo_shape_is_sound_and_reaches_zero_repeats(speed_event, make_activity):
    event = speed_event(people=40)
    activity = make_activity(event)
    plan = _plan(activity, time_limit_s=10)
    figures = check_stored_plan(activity, plan)
    # 40 people, 7 tables, 7 rounds: a repeat-free plan exists (transversal design) and is found.
    assert figures["repeats"] == 0
    assert plan.metrics["optimal"] is True
    assert plan.rounds_played == 0
    # The first round honours first choices where the tables allow it.
    assert plan.metrics["preferences_met"] > 0.5


def test_replan_after_three_leave_and_two_arrive_keeps_played_rounds(speed_event, make_activity):
    event = speed_event(people=40)
    activity = make_activity(event)
    first = _plan(activity, time_limit_s=10)
    previous = dict(first.data)
    leaving = activity.participants[:3]
    for p in leaving:
        svc.set_attendance(p, True, absent_from_round=4)
    late = [
        svc.add_walk_in(activity, name, "Ville nouvelle")
        for name in ("Zoé Lambert", "Yann Kervella")
    ]
    for p in late:
        svc.set_attendance(p, True, joins_from_round=4)
    db.session.commit()
    second = _plan(activity, from_round=4, time_limit_s=5)
    assert second.rounds_played == 3
    assert activity.current_plan is second
    figures = check_stored_plan(activity, second, previous)
    ids_later = {m for rnd in second.rounds[3:] for g in rnd for m in g["members"]}
    assert not ids_later & {p.id for p in leaving}
    assert {p.id for p in late} <= ids_later
    # Re-planning starts from the stored plan: the remaining rounds need few repeats.
    assert figures["repeats"] <= 40
    # The first plan is kept, unchanged, in the history.
    assert db.session.get(NetworkingPlan, first.id).data == previous


def test_replan_after_removing_participants_in_the_list(speed_event, make_activity):
    event = speed_event(people=24, facilitators=4)
    activity = make_activity(event, rounds=4)
    first = _plan(activity)
    for p in activity.participants[:3]:
        svc.remove_participant(p)
    db.session.commit()
    second = _plan(activity, from_round=2)
    check_stored_plan(activity, second, first.data)
    gone = {p.id for p in activity.participants[:3]}
    assert gone <= {m for g in second.rounds[0] for m in g["members"]}  # played round 1 untouched
    assert not gone & {m for rnd in second.rounds[1:] for g in rnd for m in g["members"]}


def test_more_rounds_than_stations_is_said_and_revisits_are_minimised(speed_event, make_activity):
    event = speed_event(people=12, facilitators=3)
    activity = make_activity(event, rounds=5)
    notes = svc.activity_warnings(activity)
    assert any("5 tours pour 3 tables" in n for n in notes)
    plan = _plan(activity)
    figures = check_stored_plan(activity, plan)
    # 12 people × 5 visits over 3 tables: each person revisits 2 times at least.
    assert plan.metrics["lower_bound_station_revisits"] == 24
    assert figures["revisits"] == 24


def test_fewer_participants_than_stations_names_the_round_and_the_numbers(
    speed_event, make_activity
):
    event = speed_event(people=5)
    activity = make_activity(event)
    with pytest.raises(RotationImpossible) as caught:
        svc.plan_activity(activity)
    message = str(caught.value)
    assert "Le tour 1 compte 5 participant·es pour 7 tables" in message
    db.session.rollback()
    assert activity.current_plan is None
    # Late arrivals only: round 1 is fine, round 3 is not.
    event2 = speed_event(people=8, facilitators=4)
    act2 = make_activity(event2, rounds=4)
    for p in act2.participants[:5]:
        svc.set_attendance(p, True, absent_from_round=3)
    with pytest.raises(RotationImpossible, match="Le tour 3 compte 3 participant·es pour 4 tables"):
        svc.plan_activity(act2)


def test_no_station_and_no_round_and_bad_replan_rounds_are_explained(speed_event, make_activity):
    event = speed_event(people=10)
    activity = make_activity(event)
    with pytest.raises(RotationImpossible, match="pas encore de plan"):
        svc.plan_activity(activity, from_round=3)
    for station in list(activity.stations):
        svc.delete_station(station)
    with pytest.raises(RotationImpossible, match="au moins une table"):
        svc.plan_activity(activity)
    db.session.rollback()
    with pytest.raises(RotationImpossible, match="entre 1 et 7"):
        svc.plan_activity(activity, from_round=9)


def test_replan_refuses_played_rounds_at_a_deleted_station(speed_event, make_activity):
    event = speed_event(people=14)
    activity = make_activity(event)
    _plan(activity)
    svc.delete_station(activity.stations[0])
    db.session.commit()
    with pytest.raises(RotationImpossible, match="table supprimée"):
        svc.plan_activity(activity, from_round=3)
    db.session.rollback()
    # Planning again from round 1 works, with the tables that are left.
    plan = _plan(activity)
    check_stored_plan(activity, plan)


def test_capacities_are_respected(speed_event, make_activity):
    event = speed_event(people=20, facilitators=4)
    activity = make_activity(event, rounds=4)
    activity.stations[0].capacity = 5
    db.session.commit()
    plan = _plan(activity)
    check_stored_plan(activity, plan)
    assert plan.metrics["station_revisits"] == 0
    # A smaller table cannot host everyone once in 4 rounds: 20 - 4 × 3 = 8 must revisit elsewhere.
    activity.stations[0].capacity = 3
    db.session.commit()
    plan = _plan(activity)
    check_stored_plan(activity, plan)
    station = activity.stations[0].id
    assert all(
        len(g["members"]) <= 3 for rnd in plan.rounds for g in rnd if g["station"] == station
    )
    assert plan.metrics["station_revisits"] == 8
    assert dict(svc.describe_quality(activity, plan))["Tables"] == (
        "8 retours à une table déjà visitée (au moins 8 inévitables)"
    )
    for s in activity.stations:
        s.capacity = 4
    db.session.commit()
    with pytest.raises(RotationImpossible, match="16 places"):
        svc.plan_activity(activity)


@pytest.mark.parametrize(("mode", "people"), [("remix", 23), ("pairs", 11), ("keep_groups", 21)])
def test_other_modes_are_sound(speed_event, make_activity, mode, people):
    event = speed_event(people=people, facilitators=4)
    activity = make_activity(event, mode=mode, rounds=4, group_size=5)
    plan = _plan(activity)
    check_stored_plan(activity, plan)
    view = svc.plan_view(activity)
    if mode == "pairs":
        assert all(len(b) == 1 for b in plan.sitting_out)  # 11 people: one sits out each round
        assert view.columns[0].label == "Table 1"
        assert activity.group_size == 2
    elif mode == "remix":
        assert view.columns[0].label == "Groupe 1"
        assert sorted(len(g["members"]) for g in plan.rounds[0]) == [
            5,
            6,
            6,
            6,
        ]  # ties go to fewer, larger groups
    else:
        first = {frozenset(g["members"]) for g in plan.rounds[0]}
        assert all({frozenset(g["members"]) for g in rnd} == first for rnd in plan.rounds)


def test_deleting_a_registration_keeps_the_name_in_played_rounds(speed_event, make_activity):
    event = speed_event(people=14)
    activity = make_activity(event)
    _plan(activity)
    victim = event.registrations[0]
    row = next(p for p in activity.participants if p.registration_id == victim.id)
    db.session.delete(victim)
    db.session.commit()
    db.session.refresh(row)
    assert row.registration_id is None
    assert row.name  # the stored name survives for the printed rosters
    view = svc.plan_view(activity)
    assert any(p.name == row.name for rnd in view.rounds for cell in rnd.cells for p in cell)


# ------------------------------------------------------------------ reading a plan


def test_matrix_itinerary_and_registration_itineraries_agree(speed_event, make_activity):
    event = speed_event(people=21)
    activity = make_activity(event)
    _plan(activity)
    view = svc.plan_view(activity)
    assert [c.label for c in view.columns] == [s.name for s in activity.stations]
    assert [c.facilitator for c in view.columns] == [s.name for s in event.speakers_list]
    person = event.registrations[4]
    row = next(p for p in activity.participants if p.registration_id == person.id)
    stops = svc.participant_itinerary(view, row.id)
    assert len(stops) == 7
    assert sorted(s.place for s in stops) == sorted(s.name for s in activity.stations)
    for stop in stops:
        column = view.columns.index(next(c for c in view.columns if c.label == stop.place))
        assert row.id in {p.id for p in view.rounds[stop.number - 1].cells[column]}
    [(act, participant, again)] = svc.registration_itineraries(person)
    assert act is activity
    assert participant is row
    assert [(s.number, s.place) for s in again] == [(s.number, s.place) for s in stops]


def _plan_with(activity, **metrics):
    base = {
        "repeat_encounters": 0, "pair_overlap": 0, "lower_bound_repeat_encounters": 0,
        "lower_bound_pair_overlap": 0, "max_meetings_per_pair": 1, "station_revisits": 0,
        "lower_bound_station_revisits": 0, "preferences_met": 1.0, "same_organisation_pairs": 0,
        "lower_bound_same_organisation_pairs": 0, "optimal": True,
    }  # fmt: skip
    return NetworkingPlan(data={"rounds": [], "sitting_out": []}, metrics={**base, **metrics})


@pytest.mark.parametrize(
    ("metrics", "expected"),
    [
        ({}, "0 répétition (optimal)"),
        ({"repeat_encounters": 4, "lower_bound_repeat_encounters": 2, "optimal": False},
         "4 répétitions (au moins 2 inévitables)"),
        ({"repeat_encounters": 3, "lower_bound_repeat_encounters": 1, "optimal": False},
         "3 répétitions (au moins 1 inévitable)"),
        ({"repeat_encounters": 6, "lower_bound_repeat_encounters": 6, "optimal": True},
         "6 répétitions (optimal : aucune ne peut être évitée)"),
        ({"repeat_encounters": 5, "lower_bound_repeat_encounters": 0, "optimal": False},
         "5 répétitions (aucune n'est prouvée inévitable : le minimum théorique est 0)"),
    ],
)  # fmt: skip
def test_quality_in_words(speed_event, make_activity, metrics, expected):
    event = speed_event(people=8)
    activity = make_activity(event)
    lines = dict(svc.describe_quality(activity, _plan_with(activity, **metrics)))
    assert lines["Rencontres répétées"] == expected


def test_quality_words_for_tables_and_colleagues(speed_event, make_activity):
    event = speed_event(people=8)
    activity = make_activity(event)
    lines = dict(svc.describe_quality(activity, _plan_with(
        activity, station_revisits=5, lower_bound_station_revisits=5, same_organisation_pairs=2,
        max_meetings_per_pair=2,
    )))  # fmt: skip
    assert lines["Tables"] == "5 retours à une table déjà visitée (au moins 5 inévitables)"
    assert lines["Collègues"] == "2 paires de collègues dans un même groupe"
    assert lines["Rencontres par paire"] == "Deux personnes se retrouvent au plus 2 fois."


def test_stations_cascade_and_facilitator_deletion_keeps_the_station(speed_event, make_activity):
    event = speed_event(people=8)
    activity = make_activity(event)
    speaker = event.speakers_list[0]
    db.session.delete(speaker)
    db.session.commit()
    db.session.expire_all()
    assert activity.stations[0].facilitator_id is None
    svc.delete_activity(activity)
    db.session.commit()
    assert db.session.scalar(select(Station).limit(1)) is None
    assert db.session.scalar(select(NetworkingParticipant).limit(1)) is None
