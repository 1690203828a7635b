"""An independent checker for stored speed-networking plans.

It reads the plan as stored (JSON) and the participants as they are in the database, and checks
what an organiser relies on, without using the planner's code: every round is a partition of the
people present, group sizes differ by at most one, nobody revisits a station, rounds already played
are unchanged, and every metric is recomputed from the plan itself.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections import Counter
from typing import Any

from eventsys.models.networking import (
    MODE_KEEP_GROUPS,
    MODE_PAIRS,
    NetworkingActivity,
    NetworkingPlan,
)


def org_key(value: str | None) -> str:
    text = unicodedata.normalize("NFKD", value or "")
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).casefold().split())


def expected_present(activity: NetworkingActivity, number: int) -> set[int]:
    """Who should be in round `number`, from the database rows alone."""
    out = set()
    for p in activity.participants:
        if not p.present:
            continue
        if p.walk_in:
            eligible = True
        else:
            eligible = (
                p.registration is not None
                and p.registration.status == "confirmed"
                and p.registration.networking_opt_in
            )
        if not eligible:
            continue
        if p.absent_from_round is not None and number >= p.absent_from_round:
            continue
        if p.joins_from_round is not None and number < p.joins_from_round:
            continue
        out.add(p.id)
    return out


def check_stored_plan(
    activity: NetworkingActivity, plan: NetworkingPlan, previous: dict[str, Any] | None = None
) -> dict[str, int]:
    """Assert the plan is sound; returns the recomputed figures."""
    rounds = plan.data["rounds"]
    benches = plan.data["sitting_out"]
    assert len(rounds) == activity.round_count
    assert len(benches) == len(rounds)
    played = plan.rounds_played
    if played:
        assert previous is not None, "a re-plan must be checked against the plan it follows"
        for r in range(played):
            got = {(g.get("station"), frozenset(g["members"])) for g in rounds[r] if g["members"]}
            want = {
                (g.get("station"), frozenset(g["members"]))
                for g in previous["rounds"][r]
                if g["members"]
            }
            assert got == want, f"played round {r + 1} changed"

    station_ids = [s.id for s in activity.stations] if activity.uses_stations else None
    orgs = {p.id: org_key(p.organisation) for p in activity.participants}
    meetings: Counter[tuple[int, int]] = Counter()
    visits: Counter[tuple[int, Any]] = Counter()
    colleagues = 0
    for number, (rnd, bench) in enumerate(zip(rounds, benches, strict=True), start=1):
        members = [m for g in rnd for m in g["members"]]
        assert len(members) == len(set(members)), f"someone is in two groups of round {number}"
        assert not set(members) & set(bench), f"someone both meets and sits out in round {number}"
        if number > played:
            assert set(members) | set(bench) == expected_present(activity, number), (
                f"round {number} is not a partition of the people present"
            )
        sizes = [len(g["members"]) for g in rnd]
        if station_ids is not None:
            assert sorted(g["station"] for g in rnd) == sorted(station_ids), (
                f"round {number}: one group per station"
            )
        if number > played and sizes and activity.mode != MODE_KEEP_GROUPS:
            capped = {
                g["station"]
                for g in rnd
                if station_ids is not None and _capacity(activity, g["station"])
            }
            free = [len(g["members"]) for g in rnd if g.get("station") not in capped]
            if free:
                assert max(free) - min(free) <= 1, (
                    f"round {number}: sizes {sizes} differ by more than one"
                )
        if activity.mode == MODE_PAIRS and number > played:
            assert set(sizes) <= {2}
            assert len(bench) == len(members + bench) % 2
        elif activity.mode != MODE_PAIRS:
            assert not bench
        for g in rnd:
            for m in g["members"]:
                if station_ids is not None:
                    visits[m, g["station"]] += 1
            for a, b in itertools.combinations(sorted(g["members"]), 2):
                meetings[a, b] += 1
                if orgs.get(a) and orgs.get(a) == orgs.get(b):
                    colleagues += 1
    repeats = sum(m - 1 for m in meetings.values() if m > 1)
    overlap = sum(m * (m - 1) // 2 for m in meetings.values())
    revisits = sum(c - 1 for c in visits.values() if c > 1)
    if station_ids is not None and activity.mode != MODE_KEEP_GROUPS:
        if (
            len(rounds) <= len(station_ids)
            and not played
            and not any(s.capacity for s in activity.stations)
        ):
            assert revisits == 0, "someone visits a station twice"
        # Revisits can be forced: more rounds than stations, full stations, or, after rounds
        # already played, a station whose share of the remaining rounds exceeds the people who have
        # not been there yet (group sizes stay within one). The plan has no more than that.
        assert revisits == _forced_revisits(activity, rounds, played), (
            "more station revisits than needed"
        )

    m = plan.metrics
    assert m["repeat_encounters"] == repeats
    assert m["pair_overlap"] == overlap
    assert m["max_meetings_per_pair"] == max(meetings.values(), default=0)
    assert m["station_revisits"] == revisits
    if activity.avoid_same_organisation:
        assert m["same_organisation_pairs"] == colleagues
    assert 0 <= m["lower_bound_repeat_encounters"] <= repeats
    assert 0 <= m["lower_bound_pair_overlap"] <= overlap
    assert 0 <= m["lower_bound_station_revisits"] <= revisits
    assert m["optimal"] == (repeats <= m["lower_bound_repeat_encounters"])
    return {"repeats": repeats, "overlap": overlap, "revisits": revisits, "colleagues": colleagues}


def _capacity(activity: NetworkingActivity, station_id: Any) -> int | None:
    for s in activity.stations:
        if s.id == station_id:
            return s.capacity
    return None


def _forced_revisits(
    activity: NetworkingActivity, rounds: list[list[dict[str, Any]]], played: int
) -> int:
    """The fewest station revisits any plan with these played rounds and group sizes can have."""
    stations = [s.id for s in activity.stations]
    capped = any(s.capacity for s in activity.stations)
    visits: Counter[tuple[int, Any]] = Counter()
    seen: dict[Any, set[int]] = {s: set() for s in stations}
    for rnd in rounds[:played]:
        for g in rnd:
            for m in g["members"]:
                visits[m, g["station"]] += 1
                seen[g["station"]].add(m)
    already = sum(c - 1 for c in visits.values() if c > 1)
    later = rounds[played:]
    coming = {m for rnd in later for g in rnd for m in g["members"]}
    forced = 0
    for station in stations:
        needed = 0
        for rnd in later:
            sizes = {g["station"]: len(g["members"]) for g in rnd}
            # With capacities the sizes by station are fixed; otherwise any station may get the
            # smaller of the balanced sizes.
            needed += sizes[station] if capped else min(sizes.values())
        forced += max(0, needed - len(coming - seen[station]))
    per_person = Counter(m for rnd in rounds for g in rnd for m in g["members"])
    by_person = sum(max(0, n - len(stations)) for n in per_person.values())
    return max(already + forced, by_person)


def check_rounds(
    rounds: list[list[dict[str, Any]]],
    people: list[Any],
    stations: list[Any] | None = None,
    sizes: set[int] | None = None,
) -> dict[str, Any]:
    """Check a planner output's rounds on their own (no database) and recount its figures.

    Every round must place each person exactly once; with `stations`, one group per station and
    nobody at a station twice; with `sizes`, every group has one of those sizes.
    """
    everyone = set(people)
    meetings: Counter[tuple[Any, Any]] = Counter()
    visits: Counter[tuple[Any, Any]] = Counter()
    for number, rnd in enumerate(rounds, start=1):
        members = [m for g in rnd for m in g["members"]]
        assert len(members) == len(set(members)), f"someone is in two groups of round {number}"
        assert set(members) == everyone, f"round {number} is not a partition of the people"
        if stations is not None:
            assert sorted(map(str, (g["station"] for g in rnd))) == sorted(map(str, stations))
        for g in rnd:
            if sizes is not None:
                assert len(g["members"]) in sizes, f"round {number}: a group of {len(g['members'])}"
            for m in g["members"]:
                if stations is not None:
                    visits[m, g["station"]] += 1
            for a, b in itertools.combinations(sorted(g["members"], key=str), 2):
                meetings[a, b] += 1
    return {
        "repeats": sum(m - 1 for m in meetings.values() if m > 1),
        "overlap": sum(m * (m - 1) // 2 for m in meetings.values()),
        "revisits": sum(c - 1 for c in visits.values() if c > 1),
        "max_meetings": max(meetings.values(), default=0),
        "meetings": meetings,
        "visits": visits,
    }
