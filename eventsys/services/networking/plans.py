"""Reading a stored speed-networking plan: the round × station matrix, its quality in words, itineraries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from eventsys.extensions import db
from eventsys.models.networking import (
    MODE_PAIRS,
    NetworkingActivity,
    NetworkingParticipant,
    NetworkingPlan,
    Station,
)
from eventsys.models.registration import Registration
from eventsys.services.networking.limits import (
    is_count,
    match_key,
)

# ------------------------------------------------------------------------------ reading a plan


@dataclass
class PersonView:
    id: Any
    name: str
    organisation: str = ""
    walk_in: bool = False


@dataclass
class Column:
    key: str
    label: str
    theme: str = ""
    facilitator: str = ""
    station: Station | None = None


@dataclass
class RoundView:
    number: int
    starts_at: datetime
    ends_at: datetime
    played: bool
    cells: list[list[PersonView]]  # aligned with PlanView.columns
    sitting_out: list[PersonView] = field(default_factory=list)


@dataclass
class PlanView:
    plan: NetworkingPlan
    columns: list[Column]
    rounds: list[RoundView]
    people: dict[str, PersonView]


def _people(activity: NetworkingActivity) -> dict[str, PersonView]:
    return {
        str(p.id): PersonView(p.id, p.name, p.organisation, p.walk_in)
        for p in activity.participants
    }


def _person(people: dict[str, PersonView], pid: Any) -> PersonView:
    return people.get(str(pid)) or PersonView(pid, _("Participant·e retiré·e (n° %(id)s)", id=pid))


def _group_label(activity: NetworkingActivity, number: int) -> str:
    if activity.mode == MODE_PAIRS:
        return _("Table %(number)d", number=number)
    return _("Groupe %(number)d", number=number)


def plan_view(activity: NetworkingActivity, plan: NetworkingPlan | None = None) -> PlanView | None:
    """The plan as a round × station (or round × group) matrix with names."""
    plan = plan or activity.current_plan
    if plan is None:
        return None
    people = _people(activity)
    rounds = plan.rounds
    columns: list[Column] = []
    if any(g.get("station") is not None for rnd in rounds for g in rnd):
        for s in activity.stations:
            columns.append(
                Column(str(s.id), s.name, s.theme, s.facilitator.name if s.facilitator else "", s)
            )
        known = {c.key for c in columns}
        for rnd in rounds:
            for g in rnd:
                key = str(g.get("station"))
                if key not in known:
                    known.add(key)
                    columns.append(Column(key, _("Table supprimée")))
        index = {c.key: i for i, c in enumerate(columns)}

        def place(g: dict[str, Any], _i: int) -> int:
            return index[str(g.get("station"))]
    else:
        width = max((len(rnd) for rnd in rounds), default=0)
        columns = [Column(str(n), _group_label(activity, n)) for n in range(1, width + 1)]

        def place(g: dict[str, Any], i: int) -> int:
            number = g.get("group")
            return number - 1 if is_count(number) and 1 <= number <= width else i

    benches = plan.sitting_out
    views = []
    for r, rnd in enumerate(rounds, start=1):
        cells: list[list[PersonView]] = [[] for _ in columns]
        for i, g in enumerate(rnd):
            cells[place(g, i)] = sorted(
                (_person(people, m) for m in g.get("members", [])), key=lambda v: match_key(v.name)
            )
        bench = [_person(people, m) for m in (benches[r - 1] if r - 1 < len(benches) else [])]
        views.append(
            RoundView(
                r,
                activity.round_start(r),
                activity.round_end(r),
                r <= plan.rounds_played,
                cells,
                bench,
            )
        )
    return PlanView(plan, columns, views, people)


def describe_quality(activity: NetworkingActivity, plan: NetworkingPlan) -> list[tuple[str, str]]:
    """The quality figures in words, as (label, text) pairs, each beside its lower bound."""
    m = plan.metrics or {}
    repeats = int(m.get("repeat_encounters", 0))
    bound = int(m.get("lower_bound_repeat_encounters", 0))
    lines: list[tuple[str, str]] = []
    if repeats == 0:
        text = _("0 répétition (optimal)")
    else:
        count = ngettext("%(num)d répétition", "%(num)d répétitions", repeats)
        if m.get("optimal") or repeats <= bound:
            text = _("%(count)s (optimal : aucune ne peut être évitée)", count=count)
        elif bound > 0:
            text = ngettext("%(count)s (au moins %(num)d inévitable)", "%(count)s (au moins %(num)d inévitables)",
                            bound, count=count)  # fmt: skip
        else:
            text = _(
                "%(count)s (aucune n'est prouvée inévitable : le minimum théorique est 0)",
                count=count,
            )
    lines.append((_("Rencontres répétées"), text))
    lines.extend(_distance_to_best(m))
    most = int(m.get("max_meetings_per_pair", 0))
    if most <= 1:
        lines.append(
            (_("Rencontres par paire"), _("Deux personnes ne se retrouvent jamais deux fois."))
        )
    else:
        lines.append(
            (
                _("Rencontres par paire"),
                _("Deux personnes se retrouvent au plus %(num)d fois.", num=most),
            )
        )
    if activity.uses_stations:
        revisits = int(m.get("station_revisits", 0))
        rbound = int(m.get("lower_bound_station_revisits", 0))
        if revisits == 0:
            text = _("Personne ne revient à une table déjà visitée.")
        else:
            count = ngettext("%(num)d retour à une table déjà visitée", "%(num)d retours à une table déjà visitée",
                             revisits)  # fmt: skip
            text = (
                ngettext("%(count)s (au moins %(num)d inévitable)", "%(count)s (au moins %(num)d inévitables)",
                         rbound, count=count)
                if rbound
                else count
            )  # fmt: skip
        lines.append((_("Tables"), text))
    if activity.avoid_same_organisation:
        same = int(m.get("same_organisation_pairs", 0))
        sbound = int(m.get("lower_bound_same_organisation_pairs", 0))
        if same == 0:
            text = _("Aucune paire de collègues d'une même organisation dans un même groupe.")
        else:
            count = ngettext("%(num)d paire de collègues dans un même groupe",
                             "%(num)d paires de collègues dans un même groupe", same)  # fmt: skip
            text = (
                ngettext("%(count)s (au moins %(num)d inévitable)", "%(count)s (au moins %(num)d inévitables)",
                         sbound, count=count)
                if sbound
                else count
            )  # fmt: skip
        lines.append((_("Collègues"), text))
    if activity.uses_stations and any(p.ranked_themes for p in activity.participants):
        share = float(m.get("preferences_met", 1.0))
        percent = round(share * 100)
        if "upper_bound_preferences_met" not in m:
            text = _("%(percent)d %% des thèmes préférés sont vus dans les premiers tours.", percent=percent)
        elif share >= float(m["upper_bound_preferences_met"]) - 1e-9:
            text = _("%(percent)d %% des thèmes préférés sont vus dans les premiers tours : optimal prouvé.",
                     percent=percent)
        else:
            text = _("%(percent)d %% des thèmes préférés sont vus dans les premiers tours, sur %(bound)d %% au mieux.",
                     percent=percent, bound=int(float(m["upper_bound_preferences_met"]) * 100 + 1e-9))
        lines.append((_("Thèmes préférés"), text))  # fmt: skip
    return lines


def _distance_to_best(m: dict[str, Any]) -> list[tuple[str, str]]:
    """How far the plan is from the best possible, in words, against the proven lower bounds."""
    if "lower_bound_repeat_encounters" not in m:
        return []
    repeats = int(m.get("repeat_encounters", 0))
    more = repeats - int(m.get("lower_bound_repeat_encounters", 0))
    if more <= 0:
        text = _("Optimal prouvé : aucun plan ne peut avoir moins de rencontres répétées.")
    else:
        text = ngettext("%(num)d rencontre répétée de plus que le minimum prouvé",
                        "%(num)d rencontres répétées de plus que le minimum prouvé", more)  # fmt: skip
    lines = [(_("Écart au meilleur possible"), text)]
    overlap = int(m.get("pair_overlap", 0))
    if overlap > 0:
        extra = overlap - int(m.get("lower_bound_pair_overlap", 0))
        if extra <= 0:
            words = _("%(count)d, optimal prouvé", count=overlap)
        else:
            words = ngettext("%(count)d, soit %(num)d de plus que le minimum prouvé",
                             "%(count)d, soit %(num)d de plus que le minimum prouvé",
                             extra, count=overlap)  # fmt: skip
        lines.append((_("Paires retrouvées d'un tour à l'autre"), words))
    return lines


@dataclass
class Stop:
    """One round of a person's itinerary."""

    number: int
    starts_at: datetime
    ends_at: datetime
    place: str = ""
    theme: str = ""
    facilitator: str = ""
    sitting_out: bool = False
    absent: bool = False


def participant_itinerary(view: PlanView, participant_id: Any) -> list[Stop]:
    """Where one person goes, round by round (absent rounds included, marked)."""
    key = str(participant_id)
    stops = []
    for rnd in view.rounds:
        stop = Stop(rnd.number, rnd.starts_at, rnd.ends_at, absent=True)
        for column, cell in zip(view.columns, rnd.cells, strict=True):
            if any(str(p.id) == key for p in cell):
                stop.place, stop.theme, stop.facilitator, stop.absent = (
                    column.label,
                    column.theme,
                    column.facilitator,
                    False,
                )
                break
        else:
            if any(str(p.id) == key for p in rnd.sitting_out):
                stop.sitting_out, stop.absent = True, False
        stops.append(stop)
    return stops


def registration_itineraries(
    registration: Registration,
) -> list[tuple[NetworkingActivity, NetworkingParticipant, list[Stop]]]:
    """Every planned activity of the registration's event that names this person, with their itinerary.

    Also meant for the badge back and the personal calendar (plain data, times in UTC).
    """
    rows = db.session.scalars(
        select(NetworkingParticipant)
        .join(NetworkingActivity, NetworkingParticipant.activity_id == NetworkingActivity.id)
        .where(NetworkingParticipant.registration_id == registration.id)
        .order_by(NetworkingActivity.starts_at, NetworkingActivity.id)
    )
    out = []
    for participant in rows:
        activity = participant.activity
        view = plan_view(activity)
        if view is None:
            continue
        stops = participant_itinerary(view, participant.id)
        if any(not s.absent for s in stops):
            out.append((activity, participant, stops))
    return out
