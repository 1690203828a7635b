"""Rotation planner: every plan is checked by an independent checker (no app fixtures needed)."""

from __future__ import annotations

import itertools
import json
from collections import Counter
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventsys.planner import RotationInputError, candidates, plan_rotation, validate_instance
from eventsys.planner.fields import _Field
from eventsys.planner.greedy import _greedy_plan
from eventsys.planner.problem import _build_problem
from eventsys.planner.search import _Search

# --------------------------------------------------------------------------------------------
# Independent checker
# --------------------------------------------------------------------------------------------


def _people(instance: dict[str, Any]) -> list[dict[str, Any]]:
    """Participants of an instance as objects."""
    raw = instance["participants"]
    if isinstance(raw, int):
        return [{"id": i} for i in range(1, raw + 1)]
    return raw


def check_plan(instance: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    """Verify a plan against its instance and recompute its metrics; returns them."""
    people = _people(instance)
    ids = [p["id"] for p in people]
    org = {p["id"]: p.get("organisation") for p in people}
    absent = {p["id"]: set(p.get("absent_rounds") or []) for p in people}
    stations = instance.get("stations")
    station_ids = [s["id"] for s in stations] if stations else None
    capacity = {s["id"]: s.get("capacity") for s in stations} if stations else {}
    theme = {s["id"]: s.get("theme") for s in stations} if stations else {}
    played = instance.get("played") or []
    rounds = out["rounds"]
    assert len(rounds) == instance["rounds"]
    assert len(out["sitting_out"]) == len(rounds)

    # Played rounds come back unchanged.
    for r, rnd in enumerate(played):
        got = {(g.get("station"), frozenset(g["members"])) for g in rounds[r] if g["members"]}
        want = {(g.get("station"), frozenset(g["members"])) for g in rnd if g["members"]}
        assert got == want, f"played round {r + 1} changed"

    meetings: Counter[tuple[Any, Any]] = Counter()
    visits: Counter[tuple[Any, Any]] = Counter()
    colleagues = 0
    seq: dict[Any, list[Any]] = {i: [] for i in ids}
    for r, rnd in enumerate(rounds, start=1):
        members = [m for g in rnd for m in g["members"]]
        sitting = out["sitting_out"][r - 1]
        assert len(members) == len(set(members)), f"someone is twice in round {r}"
        assert not set(members) & set(sitting)
        if r <= len(played):
            present = {m for g in played[r - 1] for m in g["members"]}
        else:
            present = {i for i in ids if r not in absent[i]}
        assert set(members) | set(sitting) == present, f"round {r} is not a partition"
        sizes = [len(g["members"]) for g in rnd]
        if stations:
            assert sorted(g["station"] for g in rnd) == sorted(station_ids)
            for g in rnd:
                cap = capacity[g["station"]]
                assert cap is None or len(g["members"]) <= cap
            if r > len(played) and not instance.get("keep_groups"):
                # Within one of each other, except where a full station holds fewer.
                for a, b in itertools.permutations(rnd, 2):
                    if len(a["members"]) < len(b["members"]) - 1:
                        assert len(a["members"]) == capacity[a["station"]]
        elif r > len(played) and sizes and not instance.get("keep_groups"):
            assert max(sizes) - min(sizes) <= 1, f"round {r} sizes {sizes}"
            if instance.get("group_size") == 2:
                assert set(sizes) == {2}
                assert len(sitting) == len(present) % 2
        if not (instance.get("group_size") == 2 and not stations):
            assert not sitting
        for g in rnd:
            ms = sorted(g["members"], key=str)
            for m in ms:
                if stations:
                    visits[m, g["station"]] += 1
                    seq[m].append(g["station"])
            for a, b in itertools.combinations(ms, 2):
                meetings[a, b] += 1
                if org[a] is not None and org[a] == org[b]:
                    colleagues += 1
    repeats = sum(m - 1 for m in meetings.values() if m > 1)
    overlap = sum(m * (m - 1) // 2 for m in meetings.values())
    revisits = sum(c - 1 for c in visits.values() if c > 1)
    if stations and len(rounds) <= len(stations) and not instance.get("keep_groups"):
        assert revisits == 0, "someone visits a station twice"

    met = []
    if stations:
        themes = {t for t in theme.values() if t}
        for p in people:
            wanted = [t for t in p.get("themes") or [] if t in themes]
            k = min(len(wanted), len(seq[p["id"]]))
            if wanted and k:
                seen = {theme[s] for s in seq[p["id"]][:k]}
                met.append(len(set(wanted[:k]) & seen) / k)
    preferences = sum(met) / len(met) if met else 1.0

    m = out["metrics"]
    assert m["repeat_encounters"] == repeats
    assert m["pair_overlap"] == overlap
    assert m["max_meetings_per_pair"] == max(meetings.values(), default=0)
    assert m["station_revisits"] == revisits
    assert m["same_organisation_pairs"] == colleagues
    assert m["preferences_met"] == pytest.approx(preferences, abs=1e-3)
    assert 0 <= m["lower_bound_repeat_encounters"] <= repeats
    assert 0 <= m["lower_bound_pair_overlap"] <= overlap
    assert 0 <= m["lower_bound_station_revisits"] <= revisits
    assert 0 <= m["lower_bound_same_organisation_pairs"] <= colleagues
    assert m["seconds"] >= 0
    return {"repeats": repeats, "overlap": overlap, "revisits": revisits, "colleagues": colleagues}


def solve(instance: dict[str, Any]) -> dict[str, Any]:
    """Plan, check, and return the plan."""
    out = plan_rotation(instance)
    json.dumps(out)  # the result must be plain JSON
    check_plan(instance, out)
    return out


# --------------------------------------------------------------------------------------------
# Finite fields
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("q", [2, 3, 4, 5, 7, 8, 9, 16, 25, 27])
def test_finite_field_axioms(q: int) -> None:
    field = _Field(q)
    elems = range(q)
    for a in elems:
        assert field.add(a, 0) == a
        assert field.mul(a, 1) == a
        if a:
            assert sorted(field.mul(a, b) for b in elems) == list(elems), "no inverse"
    for a, b, c in itertools.product(elems, repeat=3):
        if (a + b + c) % 3 == 0:  # a sample keeps q = 27 quick
            assert field.mul(a, field.add(b, c)) == field.add(field.mul(a, b), field.mul(a, c))
            assert field.mul(field.mul(a, b), c) == field.mul(a, field.mul(b, c))


# --------------------------------------------------------------------------------------------
# Modes
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("people", "size", "rounds"),
    [
        (15, 3, 7),  # Kirkman's schoolgirls
        (16, 4, 5),  # affine plane over GF(4)
        (64, 8, 9),  # affine plane over GF(8)
        (81, 9, 10),  # affine plane over GF(9)
        (36, 6, 3),  # Latin square of order 6 (Euler's officers: not 4 rounds)
        (47, 5, 6),  # uneven: 7 groups of 5 and 2 of 6
        (12, 3, 4),
    ],
)
def test_mixed_groups_without_repeats(people: int, size: int, rounds: int) -> None:
    out = solve({"participants": people, "group_size": size, "rounds": rounds, "time_limit_s": 5})
    assert out["metrics"]["repeat_encounters"] == 0
    assert out["metrics"]["lower_bound_repeat_encounters"] == 0


def test_euler_officers_bound() -> None:
    out = solve({"participants": 36, "group_size": 6, "rounds": 4, "time_limit_s": 1})
    # Only N(6) + 2 = 3 rounds of 6 groups of 6 can be repeat-free.
    assert out["metrics"]["lower_bound_repeat_encounters"] >= 1


def test_overlap_bound_reached() -> None:
    out = solve({"participants": 24, "group_size": 6, "rounds": 3, "time_limit_s": 5})
    m = out["metrics"]
    assert m["lower_bound_pair_overlap"] == 24
    assert m["lower_bound_repeat_encounters"] == 16
    assert (m["repeat_encounters"], m["pair_overlap"]) == (16, 24)


def test_stations_everyone_visits_every_station_once() -> None:
    stations = [{"id": f"s{i}", "theme": f"T{i}"} for i in range(1, 8)]
    out = solve({"participants": 35, "rounds": 7, "stations": stations, "time_limit_s": 5})
    m = out["metrics"]
    assert m["repeat_encounters"] == 0
    assert m["station_revisits"] == 0
    assert [g["station"] for g in out["rounds"][0]] == [s["id"] for s in stations]


def test_station_capacities_respected() -> None:
    stations = [{"id": "a", "capacity": 3}, {"id": "b"}, {"id": "c"}, {"id": "d", "capacity": 4}]
    out = solve({"participants": 20, "rounds": 3, "stations": stations, "time_limit_s": 1})
    for rnd in out["rounds"]:
        sizes = {g["station"]: len(g["members"]) for g in rnd}
        assert sizes["a"] == 3
        assert sizes["d"] == 4
        assert sizes["b"] + sizes["c"] == 13


def test_keep_groups_rotate_together() -> None:
    stations = [{"id": f"s{i}"} for i in range(4)]
    instance = {"participants": 18, "rounds": 4, "stations": stations, "keep_groups": True}
    out = solve(instance)
    groups = [{frozenset(g["members"]) for g in rnd} for rnd in out["rounds"]]
    assert all(g == groups[0] for g in groups)
    assert out["metrics"]["station_revisits"] == 0
    m = out["metrics"]
    assert m["repeat_encounters"] == m["lower_bound_repeat_encounters"]


def test_speed_meetings_odd_number() -> None:
    out = solve({"participants": 9, "group_size": 2, "rounds": 9, "time_limit_s": 2})
    m = out["metrics"]
    assert m["repeat_encounters"] == 0
    assert m["max_meetings_per_pair"] == 1
    assert m["pair_overlap"] == 0
    sat = Counter(p for r in out["sitting_out"] for p in r)
    assert sorted(sat.values()) == [1] * 9  # everyone sits out exactly once
    assert all(len(r) == 1 for r in out["sitting_out"])


def test_speed_meetings_even_number_more_rounds_than_partners() -> None:
    out = solve({"participants": 6, "group_size": 2, "rounds": 7, "time_limit_s": 1})
    m = out["metrics"]
    assert m["repeat_encounters"] == m["lower_bound_repeat_encounters"] == 6


def test_absences() -> None:
    people = [
        {"id": i, "absent_rounds": [r for r in (1, 2, 3, 4) if (i + r) % 7 == 0]}
        for i in range(1, 25)
    ]
    out = solve({"participants": people, "group_size": 4, "rounds": 4, "time_limit_s": 3})
    assert out["metrics"]["repeat_encounters"] == out["metrics"]["lower_bound_repeat_encounters"]


def test_absences_with_stations() -> None:
    stations = [{"id": f"s{i}"} for i in range(5)]
    people = [{"id": i, "absent_rounds": [3] if i in (4, 9) else []} for i in range(1, 21)]
    out = solve({"participants": people, "rounds": 4, "stations": stations, "time_limit_s": 3})
    assert out["metrics"]["station_revisits"] == 0


def test_replanning_after_leavers_and_late_arrivals() -> None:
    # A generous limit: the search stops on reaching the bound (0 repeats) in about a second, and
    # on a loaded CI machine a 3 s clock could stop it before (it failed so once).
    settings_ = {"group_size": 4, "rounds": 6, "seed": 1, "time_limit_s": 20}
    first = solve({"participants": 24, **settings_})
    played = first["rounds"][:2]
    leavers = {3, 11, 17}
    people = [
        {"id": i, "absent_rounds": [3, 4, 5, 6] if i in leavers else []} for i in range(1, 25)
    ]
    people += [{"id": 25}, {"id": 26}]  # late arrivals: not in the played rounds
    out = solve({"participants": people, "played": played, **settings_})
    assert out["rounds"][:2] == played
    later = [m for rnd in out["rounds"][2:] for g in rnd for m in g["members"]]
    assert not leavers & set(later)
    assert {25, 26} <= set(later)
    m = out["metrics"]
    # The rest of the first plan, mended, is the start: nobody meets anyone twice.
    assert m["method"].startswith("continuation")
    assert m["repeat_encounters"] == m["lower_bound_repeat_encounters"] == 0


def test_replanning_someone_elses_plan() -> None:
    played = [[{"members": [1, 2, 3]}, {"members": [4, 5, 6]}, {"members": [7, 8, 9]}]]
    out = solve({"participants": 9, "group_size": 3, "rounds": 4, "played": played})
    assert out["metrics"]["repeat_encounters"] == 0  # an affine plane of order 3 completes it


def test_replanning_with_stations_keeps_station_rule() -> None:
    stations = [{"id": f"s{i}", "theme": f"T{i}"} for i in range(1, 8)]
    first = solve({"participants": 35, "rounds": 7, "stations": stations, "time_limit_s": 3})
    people = [{"id": i, "absent_rounds": [4, 5, 6, 7] if i in (2, 5) else []} for i in range(1, 36)]
    people.append({"id": 36})
    out = solve(
        {
            "participants": people,
            "rounds": 7,
            "stations": stations,
            "played": first["rounds"][:3],
            "time_limit_s": 3,
        }
    )
    assert out["metrics"]["station_revisits"] == 0


def test_avoid_same_organisation() -> None:
    people = [{"id": i, "organisation": f"org{i % 6}"} for i in range(1, 25)]
    base = {"participants": people, "group_size": 4, "rounds": 3, "time_limit_s": 3, "seed": 3}
    without = solve(base)
    with_rule = solve({**base, "avoid_same_organisation": True})
    assert with_rule["metrics"]["same_organisation_pairs"] == 0
    assert with_rule["metrics"]["repeat_encounters"] == 0
    assert without["metrics"]["same_organisation_pairs"] > 0


def test_avoid_same_organisation_keep_groups() -> None:
    people = [{"id": i, "organisation": "big" if i <= 8 else None} for i in range(1, 17)]
    stations = [{"id": f"s{i}"} for i in range(4)]
    out = solve(
        {
            "participants": people,
            "rounds": 4,
            "stations": stations,
            "keep_groups": True,
            "avoid_same_organisation": True,
        }
    )
    # 8 colleagues over 4 groups: two per group, one pair per group per round.
    assert out["metrics"]["same_organisation_pairs"] == 4 * 4


def test_theme_preferences_first_rounds() -> None:
    themes = [f"T{i}" for i in range(1, 8)]
    stations = [{"id": f"s{i}", "theme": t} for i, t in enumerate(themes, start=1)]
    # Five people rank each theme first: everyone can start at their favourite.
    people = [{"id": i, "themes": [themes[i % 7], themes[(i + 3) % 7]]} for i in range(1, 36)]
    out = solve(
        {"participants": people, "rounds": 5, "stations": stations, "time_limit_s": 5, "seed": 2}
    )
    m = out["metrics"]
    assert m["repeat_encounters"] == 0
    first = {m: g["station"] for g in out["rounds"][0] for m in g["members"]}
    assert all(first[p["id"]] == f"s{themes.index(p['themes'][0]) + 1}" for p in people)
    # Both top themes in the first two rounds would force repeats (each group of round 1
    # could only go to two stations), so at least the first choices count.
    assert m["preferences_met"] >= 0.5


def test_single_theme_preferences_fully_met() -> None:
    stations = [{"id": s, "theme": s.upper()} for s in "abcd"]
    people = [{"id": i, "themes": ["ABCD"[i % 4]]} for i in range(16)]
    out = solve({"participants": people, "rounds": 4, "stations": stations, "time_limit_s": 3})
    assert out["metrics"]["preferences_met"] == 1.0


def test_deterministic_for_a_seed() -> None:
    people = [{"id": i, "organisation": f"o{i % 5}"} for i in range(1, 31)]
    instance = {
        "participants": people,
        "group_size": 5,
        "rounds": 4,
        "seed": 7,
        "avoid_same_organisation": True,
        "time_limit_s": 1.5,
    }
    a, b = solve(instance), solve(instance)
    assert a["rounds"] == b["rounds"]
    c = solve({**instance, "seed": 8})
    assert c["rounds"] != a["rounds"]


def test_time_limit_respected() -> None:
    # Near the limit of what is possible (8 groups of 4 over 10 rounds), so it cannot stop early.
    out = solve({"participants": 32, "group_size": 4, "rounds": 10, "time_limit_s": 1})
    assert out["metrics"]["seconds"] <= 1.3


def test_search_alone_finds_repeat_free_plan(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(candidates, "_USE_CONSTRUCTIONS", False)
    out = solve({"participants": 60, "group_size": 6, "rounds": 6, "time_limit_s": 5})
    assert out["metrics"]["repeat_encounters"] == 0
    assert "tabu" in out["metrics"]["method"] or out["metrics"]["method"] == "greedy"


def test_search_caches_stay_consistent() -> None:
    prob = _build_problem(
        validate_instance(
            {
                "participants": [
                    {
                        "id": i,
                        "organisation": f"o{i % 3}",
                        "themes": ["A"],
                        "absent_rounds": [2] if i == 4 else [],
                    }
                    for i in range(1, 14)
                ],
                "rounds": 3,
                "stations": [{"id": "a", "theme": "A"}, {"id": "b", "theme": "B"}, {"id": "c"}],
                "avoid_same_organisation": True,
            }
        )
    )
    import random

    rng = random.Random(5)
    search = _Search(prob, _greedy_plan(prob, rng, {}), rng)
    for step in range(300):
        ri = rng.randrange(search.n_plan)
        a, b = rng.sample(search.present[ri], 2)
        ga, gb = search.pos[ri][a], search.pos[ri][b]
        if ga == gb:
            continue
        if step % 3 == 0 and len(search.members[ri][gb]) == len(search.members[ri][ga]) - 1:
            d = search.T[ri][a][gb] - search.D[ri][a]
            search.move(ri, a, gb)
            search.cost += d
        elif step % 3 == 1:
            swaps = search.chain(ri, a, gb)
            search.apply_swaps(swaps)
        else:
            d = search.delta(ri, a, b)
            search.swap(ri, a, b)
            search.cost += d
        assert search.cost == search.total_cost()
    fresh_T, fresh_D = search.T, search.D
    search.rebuild()
    assert fresh_T == search.T
    assert fresh_D == search.D


# --------------------------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------------------------


def test_more_rounds_than_stations_warns_and_minimises_revisits() -> None:
    stations = [{"id": f"s{i}"} for i in range(4)]
    out = solve({"participants": 12, "rounds": 6, "stations": stations, "time_limit_s": 2})
    assert any("only 4 stations" in w for w in out["warnings"])
    m = out["metrics"]
    assert m["lower_bound_station_revisits"] == 12 * 2
    assert m["station_revisits"] == m["lower_bound_station_revisits"]


@pytest.mark.parametrize(
    ("instance", "code"),
    [
        ([1, 2, 3], "not_an_instance"),
        ("participants", "not_an_instance"),
        (None, "not_an_instance"),
        (42, "not_an_instance"),
        (
            {"participants": 3, "rounds": 2, "stations": [{"id": i} for i in range(5)]},
            "not_enough_participants",
        ),
        ({"participants": 1, "rounds": 2, "group_size": 2}, "not_enough_participants"),
        (
            {"participants": 4, "rounds": 2, "group_size": 2, "played": [[{"members": [1, 99]}]]},
            "unknown_played_id",
        ),
        (
            {
                "participants": 4,
                "rounds": 2,
                "group_size": 2,
                "played": [[{"members": [1, 2]}, {"members": [2, 3]}]],
            },
            "duplicate_played_member",
        ),
        (
            {"participants": 4, "rounds": 1, "group_size": 2, "played": [[], []]},
            "too_many_played_rounds",
        ),
        (
            {"participants": [{"id": 1}, {"id": 2}, {"id": 1}], "rounds": 1, "group_size": 2},
            "duplicate_id",
        ),
        ({"participants": [{"id": 1}, {"id": "1"}], "rounds": 1, "group_size": 2}, "duplicate_id"),
        ({"participants": 6, "rounds": -1, "group_size": 2}, "bad_rounds"),
        ({"participants": 6, "rounds": 0, "group_size": 2}, "bad_rounds"),
        ({"participants": 6, "rounds": 2.5, "group_size": 2}, "bad_rounds"),
        ({"participants": 6, "rounds": True, "group_size": 2}, "bad_rounds"),
        ({"participants": 6, "rounds": 2}, "missing_group_size"),
        ({"participants": 6, "rounds": 2, "group_size": 1}, "bad_group_size"),
        ({"rounds": 2, "group_size": 2}, "missing_participants"),
        ({"participants": 6, "group_size": 2}, "missing_rounds"),
        ({"participants": 6, "rounds": 2, "group_size": 2, "time_limit_s": -1}, "bad_time_limit"),
        ({"participants": 6, "rounds": 2, "group_size": 2, "seed": "x"}, "bad_seed"),
        (
            {
                "participants": [{"id": 1, "absent_rounds": [3]}, {"id": 2}],
                "rounds": 2,
                "group_size": 2,
            },
            "bad_absent_round",
        ),
        (
            {"participants": 6, "rounds": 2, "stations": [{"id": "a"}, {"id": "a"}]},
            "duplicate_station_id",
        ),
        (
            {
                "participants": 9,
                "rounds": 2,
                "stations": [{"id": "a", "capacity": 2}, {"id": "b", "capacity": 2}],
            },
            "not_enough_capacity",
        ),
        (
            {
                "participants": 4,
                "rounds": 2,
                "stations": [{"id": "a"}, {"id": "b"}],
                "played": [[{"station": "z", "members": [1, 2]}]],
            },
            "unknown_played_station",
        ),
        (
            {"participants": 4, "rounds": 2, "group_size": 2, "keep_groups": "yes"},
            "bad_keep_groups",
        ),
    ],
)
def test_bad_input(instance: Any, code: str) -> None:
    with pytest.raises(RotationInputError) as err:
        plan_rotation(instance)
    assert err.value.code == code
    assert isinstance(err.value, ValueError)
    assert len(str(err.value)) > 20  # a sentence, not just the code


def test_absent_in_a_round_below_station_count() -> None:
    people = [{"id": i, "absent_rounds": [2] if i <= 3 else []} for i in range(1, 6)]
    with pytest.raises(RotationInputError, match="Round 2") as err:
        validate_instance(
            {"participants": people, "rounds": 2, "stations": [{"id": i} for i in range(4)]}
        )
    assert err.value.code == "not_enough_participants"


def test_unknown_keys_are_reported_not_fatal() -> None:
    out = solve({"participants": 6, "rounds": 1, "group_size": 3, "grup_size": 2, "note": "x"})
    assert any("grup_size" in w for w in out["warnings"])
    assert not any("note" in w for w in out["warnings"])


# --------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------


@st.composite
def instances(draw: st.DrawFn) -> dict[str, Any]:
    """Small random instances across the modes."""
    rounds = draw(st.integers(1, 5))
    n = draw(st.integers(4, 18))
    with_stations = draw(st.booleans())
    people = []
    for i in range(1, n + 1):
        absent = (
            draw(st.lists(st.integers(1, rounds), max_size=2, unique=True)) if i % 4 == 0 else []
        )
        person: dict[str, Any] = {"id": i, "absent_rounds": absent}
        person["organisation"] = draw(st.sampled_from([None, "a", "b"]))
        if with_stations:
            person["themes"] = draw(
                st.lists(st.sampled_from(["x", "y", "z"]), max_size=2, unique=True)
            )
        people.append(person)
    instance: dict[str, Any] = {
        "participants": people,
        "rounds": rounds,
        "time_limit_s": 0.3,
        "seed": draw(st.integers(0, 3)),
        "avoid_same_organisation": draw(st.booleans()),
    }
    present_min = min(
        sum(1 for p in people if r not in p["absent_rounds"]) for r in range(1, rounds + 1)
    )
    if with_stations:
        k = draw(st.integers(2, max(2, min(5, present_min))))
        instance["stations"] = [
            {"id": f"s{j}", "theme": ["x", "y", "z", None][j % 4]} for j in range(k)
        ]
        instance["keep_groups"] = draw(st.booleans())
    else:
        instance["group_size"] = draw(st.integers(2, 5))
    return instance


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_random_instances_give_valid_plans(instance: dict[str, Any]) -> None:
    if instance.get("stations") and any(
        sum(1 for p in instance["participants"] if r not in p["absent_rounds"])
        < len(instance["stations"])
        for r in range(1, instance["rounds"] + 1)
    ):
        with pytest.raises(RotationInputError):
            plan_rotation(instance)
        return
    solve(instance)
