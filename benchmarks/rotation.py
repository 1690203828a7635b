"""Run the rotation planner on benchmark instances and print value, bound, gap and seconds.

Usage (from the repository root):

    python benchmarks/rotation.py [INSTANCES.json ...] [--only ID ...] [--seed N] [--time-limit S]

Without files, it runs our two data files: benchmarks/rotation_instances.json (a copy of the ten
public instances, each with a known optimum) and benchmarks/rotation_hard.json (harder instances
of our own: themed tables where no design exists, ranked wishes, colleagues kept apart,
re-planning after two rounds). It does not read ../shared; pass
../shared/bench/rotation-instances.json to run the shared file itself.

Each row: the measure, its value recounted here from the plan (so a wrong metric cannot make a
row OK), the bound (the planner's proven lower bound; for wishes the upper bound its exact
solver proved), the gap to the bound, the seconds taken, and the result:
- OK / MISS against a known optimum (the ten public instances), a target gap (`target_gap`,
  e.g. 2 %), or a target share of the wish bound (`target_share_of_bound`, e.g. 97 %);
- "-" when the instance only reports its figures.
A row over its time limit is a MISS. Exit status 1 if any row is a MISS.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from eventsys.planner import DEFAULT_TIME_LIMIT_S, plan_rotation  # noqa: E402

DEFAULT_FILES = [
    ROOT / "benchmarks" / "rotation_instances.json",
    ROOT / "benchmarks" / "rotation_hard.json",
]
PLANNER_KEYS = {"participants", "rounds", "group_size", "stations", "keep_groups", "played",
                "avoid_same_organisation", "time_limit_s", "seed"}  # fmt: skip


def recount(instance: dict[str, Any], plan: dict[str, Any]) -> dict[str, float]:
    """Figures counted from the rounds of a plan, not taken from its metrics."""
    meetings: Counter[tuple[Any, Any]] = Counter()
    seen: dict[Any, list[Any]] = {}
    people = instance["participants"]
    org = {p["id"]: p.get("organisation") for p in people} if isinstance(people, list) else {}
    colleagues = 0
    theme = {s["id"]: s.get("theme") for s in instance.get("stations") or []}
    for rnd in plan["rounds"]:
        for group in rnd:
            for m in group["members"]:
                seen.setdefault(m, []).append(theme.get(group.get("station")))
            for a, b in itertools.combinations(sorted(group["members"], key=str), 2):
                meetings[a, b] += 1
                colleagues += bool(org.get(a)) and org.get(a) == org.get(b)
    shares = []
    for p in people if isinstance(people, list) else []:
        wanted = [t for t in p.get("themes") or [] if t in theme.values()]
        visits = seen.get(p["id"], [])
        k = min(len(wanted), len(visits))
        if k:
            shares.append(len(set(wanted[:k]) & set(visits[:k])) / k)
    return {
        "repeat_encounters": sum(m - 1 for m in meetings.values() if m > 1),
        "pair_overlap": sum(m * (m - 1) // 2 for m in meetings.values()),
        "same_organisation_pairs": colleagues,
        "wishes": sum(shares) / len(shares) if shares else 1.0,
    }


def _measure(inst: dict[str, Any]) -> tuple[str, float | None]:
    if "known_optimum_pair_overlap" in inst:
        return "pair_overlap", inst["known_optimum_pair_overlap"]
    if "known_optimum_repeat_encounters" in inst:
        return "repeat_encounters", inst["known_optimum_repeat_encounters"]
    return inst.get("measure", "repeat_encounters"), None


def _gap(measure: str, value: float, bound: float) -> float | None:
    if measure == "wishes":
        return (bound - value) / bound if bound else 0.0
    if bound:
        return (value - bound) / bound
    return 0.0 if value == bound else None


def row(inst: dict[str, Any], seed: int | None, time_limit: float | None) -> tuple[bool, str]:
    """Plan one instance; whether it is OK and its printed row."""
    instance = {k: v for k, v in inst.items() if k in PLANNER_KEYS}
    if seed is not None:
        instance["seed"] = seed
    if time_limit is not None:
        instance["time_limit_s"] = time_limit
    limit = instance.get("time_limit_s", DEFAULT_TIME_LIMIT_S)
    measure, known = _measure(inst)
    started = time.perf_counter()
    plan = plan_rotation(instance)
    seconds = time.perf_counter() - started
    metrics = plan["metrics"]
    value = recount(instance, plan)[measure]
    if measure == "wishes":
        bound = metrics["upper_bound_preferences_met"]
        assert abs(metrics["preferences_met"] - value) < 1e-3, "the plan's wish metric is wrong"
    else:
        bound = metrics["lower_bound_" + measure]
        assert metrics[measure] == value, "the plan's metric is wrong"
    gap = _gap(measure, value, bound)
    if known is not None:
        ok: bool | None = value <= known
    elif "target_gap" in inst:
        ok = gap is not None and gap <= inst["target_gap"] + 1e-9
    elif "target_share_of_bound" in inst:
        ok = bound == 0 or value / bound >= inst["target_share_of_bound"] - 1e-9
    else:
        ok = None
    ok = None if ok is None and seconds <= limit else bool(ok) and seconds <= limit
    shown = (lambda x: f"{100 * x:.1f} %") if measure == "wishes" else (lambda x: f"{x:g}")
    gap_text = "-" if gap is None else f"{100 * gap:.1f} %"
    result = "-" if ok is None else ("OK" if ok else "MISS")
    text = (
        f"{inst['id']:<26} {measure:<23} {shown(value):>8} {shown(bound):>8} {gap_text:>8} "
        f"{seconds:>8.2f}  {result:<6} {metrics.get('bound_met', ''):<17} {metrics['method']}"
    )
    return ok is not False, text


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instances", nargs="*", type=Path, default=DEFAULT_FILES)
    parser.add_argument("--only", nargs="*", default=[], help="instance ids to run")
    parser.add_argument("--seed", type=int, default=None, help="override every seed")
    parser.add_argument("--time-limit", type=float, default=None, help="override time_limit_s")
    args = parser.parse_args(argv)
    header = (
        f"{'instance':<26} {'measure':<23} {'value':>8} {'bound':>8} {'gap':>8} {'seconds':>8}  "
        f"{'result':<6} {'bound met':<17} method"
    )
    print(header)
    print("-" * len(header))
    all_ok = True
    for path in args.instances:
        for inst in json.loads(path.read_text(encoding="utf-8"))["instances"]:
            if args.only and inst["id"] not in args.only:
                continue
            ok, text = row(inst, args.seed, args.time_limit)
            all_ok &= ok
            print(text, flush=True)
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
