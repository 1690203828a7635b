"""g tables of g people, everyone visiting each table once (issue 18, part 1).

Plans are recounted by the independent checker; the lower bounds are computed here from the
format's definitions, not taken from the planner: two rounds share at least one pair per table
(a table's g people spread over the g - 1 other tables), so pair overlap >= g * C(R, 2), and a
pair meeting m times has m - 1 >= 2 * C(m, 2) / R, so repeats >= g * (R - 1).
"""

from __future__ import annotations

import pytest

from eventsys.planner import plan_rotation
from eventsys.planner.constructions import _punctured_rounds
from tests.networking.checker import check_rounds


def _tables(g: int, rounds: int, **extra) -> tuple[dict, dict]:
    instance = {
        "participants": g * g,
        "rounds": rounds,
        "stations": [{"id": f"t{i}", "theme": f"Thème {i}"} for i in range(1, g + 1)],
        **extra,
    }
    out = plan_rotation(instance)
    figures = check_rounds(
        out["rounds"], list(range(1, g * g + 1)), [f"t{i}" for i in range(1, g + 1)], {g}
    )
    assert figures["revisits"] == 0
    return out, figures


def _overlap_bound(g: int, rounds: int) -> int:
    return g * rounds * (rounds - 1) // 2


@pytest.mark.parametrize(("g", "rounds"), [(7, 7), (8, 8), (9, 9), (8, 5)])
def test_prime_power_tables_meet_both_bounds(g: int, rounds: int) -> None:
    out, figures = _tables(g, rounds, time_limit_s=2)
    assert figures["overlap"] == _overlap_bound(g, rounds)
    assert figures["repeats"] == g * (rounds - 1)
    m = out["metrics"]
    assert m["lower_bound_pair_overlap"] == _overlap_bound(g, rounds)
    assert m["lower_bound_repeat_encounters"] == g * (rounds - 1)
    assert m["optimal"] is True
    assert m["optimal_pair_overlap"] is True
    assert m["bound_met"] == "both"
    assert m["seconds"] < 2


@pytest.mark.parametrize("rounds", [5, 6])
def test_six_tables_of_six_meet_the_pair_overlap_bound(rounds: int) -> None:
    # No pair of orthogonal Latin squares of order 6 exists, yet every two rounds can share
    # exactly one pair per table: the affine orbit design does, so the plan is proven optimal
    # for pair overlap (the repeat bound, 6 * (R - 1), stays out of reach: it would need 30
    # people pairwise meeting at most once, a projective plane of order 6).
    out, figures = _tables(6, rounds, time_limit_s=2)
    m = out["metrics"]
    assert figures["overlap"] == m["pair_overlap"] == _overlap_bound(6, rounds)
    assert m["repeat_encounters"] == figures["repeats"]
    assert m["lower_bound_pair_overlap"] == _overlap_bound(6, rounds)
    assert m["optimal_pair_overlap"] is True
    assert m["bound_met"] == "pair_overlap"
    # 2 * overlap / R repeats would need 30 people pairwise meeting at most once over six
    # rounds (a projective plane of order 6, which does not exist): one more over six rounds.
    assert m["lower_bound_repeat_encounters"] == {5: 24, 6: 31}[rounds]


def test_ten_tables_of_ten_start_from_the_punctured_design() -> None:
    # The planner before issue 18 left 1,172 repeats and an overlap of 1,397 here.
    out, figures = _tables(10, 10, time_limit_s=2)
    assert figures["max_meetings"] <= 2
    assert figures["overlap"] <= 800
    assert out["metrics"]["lower_bound_pair_overlap"] == _overlap_bound(10, 10)
    assert out["metrics"]["lower_bound_repeat_encounters"] == 91  # no plane of order 10


@pytest.mark.parametrize("g", [6, 10, 12])
def test_punctured_design_keeps_every_rule(g: int) -> None:
    rounds = _punctured_rounds(g * g, g, g)
    assert len(rounds) == g
    seen = [set() for _ in range(g * g)]
    pairs: dict[tuple[int, int], int] = {}
    for rnd in rounds:
        assert sorted(p for grp in rnd for p in grp) == list(range(g * g))
        assert all(len(grp) == g for grp in rnd)
        for table, grp in enumerate(rnd):
            for p in grp:
                assert table not in seen[p]
                seen[p].add(table)
            for i, a in enumerate(grp):
                for b in grp[i + 1 :]:
                    pairs[a, b] = pairs.get((a, b), 0) + 1
    assert max(pairs.values()) <= 3
    assert _punctured_rounds(g * g, g, g + 1) == []  # more rounds than tables
    assert _punctured_rounds(g * g - 1, g, g) == []


def test_replanning_anneals_only_the_rounds_to_plan(monkeypatch: pytest.MonkeyPatch) -> None:
    stations = [{"id": f"s{i}", "theme": f"Thème {i}"} for i in range(1, 8)]
    first = plan_rotation({"participants": 40, "rounds": 7, "stations": stations})
    played = [[{"station": g["station"], "members": g["members"]} for g in rnd] for rnd in first["rounds"][:2]]  # fmt: skip
    people = [{"id": i, **({"absent_rounds": [3, 4, 5, 6, 7]} if i in (5, 17, 29) else {})}
              for i in range(1, 41)]  # fmt: skip
    people += [{"id": 41, "absent_rounds": [1, 2]}, {"id": 42, "absent_rounds": [1, 2]}]
    instance = {"participants": people, "rounds": 7, "stations": stations, "played": played,
                "time_limit_s": 2}  # fmt: skip
    out = plan_rotation(instance)
    assert out["rounds"][:2] == [
        [
            {"station": g["station"], "group": i, "members": g["members"]}
            for i, g in enumerate(rnd, 1)
        ]
        for rnd in played
    ]
    for number, rnd in enumerate(out["rounds"][2:], start=3):
        members = sorted(m for g in rnd for m in g["members"])
        assert members == sorted({*range(1, 43)} - {5, 17, 29}), number
    visits: dict = {}
    for rnd in out["rounds"]:
        for g in rnd:
            for m in g["members"]:
                assert g["station"] not in visits.setdefault(m, set()), "a station visited twice"
                visits[m].add(g["station"])
    assert "annealing" in out["metrics"]["method"]
    monkeypatch.setattr("eventsys.planner.tables.applies", lambda prob: False)
    without = plan_rotation(instance)
    assert out["metrics"]["repeat_encounters"] < without["metrics"]["repeat_encounters"]
