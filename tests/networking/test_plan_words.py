"""The plan page says in words how far a plan is from the best possible (issue 18, part 3)."""

from __future__ import annotations

import html
import re

from flask_babel import force_locale

from eventsys.services import networking as svc
from tests.conftest import login
from tests.networking.checker import check_stored_plan
from tests.networking.test_service import _plan_with

DISTANCE = "Écart au meilleur possible"
OVERLAP = "Paires retrouvées d'un tour à l'autre"


def test_one_repeat_above_the_bound_is_said_in_words(speed_event, make_activity):
    activity = make_activity(speed_event(people=8))
    plan = _plan_with(activity, repeat_encounters=7, lower_bound_repeat_encounters=6, optimal=False,
                      pair_overlap=90, lower_bound_pair_overlap=90, max_meetings_per_pair=2)  # fmt: skip
    lines = dict(svc.describe_quality(activity, plan))
    assert lines[DISTANCE] == "1 rencontre répétée de plus que le minimum prouvé"
    assert lines[OVERLAP] == "90, optimal prouvé"
    with force_locale("en"):
        lines = {str(k): str(v) for k, v in svc.describe_quality(activity, plan)}
    assert lines["Distance from the best possible"] == (
        "1 repeated meeting more than the proven minimum"
    )
    assert lines["Pairs meeting again from one round to another"] == "90, proven optimal"


def test_several_above_the_bound_and_a_proven_optimum(speed_event, make_activity):
    activity = make_activity(speed_event(people=8))
    lines = dict(svc.describe_quality(activity, _plan_with(activity,
        repeat_encounters=98, lower_bound_repeat_encounters=30, optimal=False,
        pair_overlap=109, lower_bound_pair_overlap=90, max_meetings_per_pair=3,
    )))  # fmt: skip
    assert lines[DISTANCE] == "68 rencontres répétées de plus que le minimum prouvé"
    assert lines[OVERLAP] == "109, soit 19 de plus que le minimum prouvé"
    lines = dict(svc.describe_quality(activity, _plan_with(activity)))
    assert lines[DISTANCE] == (
        "Optimal prouvé : aucun plan ne peut avoir moins de rencontres répétées."
    )
    assert OVERLAP not in lines  # nobody meets twice: nothing to say about overlap


def test_the_organiser_reads_proven_optimal_on_the_plan_page(client, speed_event, make_activity):
    # 49 people at 7 tables over 7 rounds: everyone visits every table once; the plan meets both
    # lower bounds (7 * 6 repeats, 7 * C(7, 2) pairs shared between rounds).
    event = speed_event(people=49, facilitators=7)
    activity = make_activity(event, rounds=7)
    login(client, event.owner)
    assert (
        client.post(f"/manage/events/{event.id}/networking/{activity.id}/plan").status_code == 302
    )
    figures = check_stored_plan(activity, activity.current_plan)
    assert figures["repeats"] == 42
    assert figures["overlap"] == 147
    page = client.get(f"/manage/events/{event.id}/networking/{activity.id}")
    text = html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.get_data(as_text=True))))
    assert "Optimal prouvé : aucun plan ne peut avoir moins de rencontres répétées." in text
    assert "147, optimal prouvé" in text
