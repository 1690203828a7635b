"""Run the rotation planner on the public benchmark instances and print one row per instance.

Usage (from the repository root):

    python benchmarks/rotation.py [INSTANCES.json] [--only ID ...] [--seed N] [--time-limit S]

The default instances file is benchmarks/rotation_instances.json (our copy of the ten public
instances; pass ../shared/bench/rotation-instances.json to run the shared file itself). Each row shows the measure the instance names a known optimum for (repeat
encounters, or pair overlap), its lower bound, the known optimum, the seconds taken and OK when
the known optimum was reached within the time limit. Repeats are recounted here from the plan
itself, so a wrong metric cannot make a row OK. Exit status 1 if any row is a MISS.
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

DEFAULT_INSTANCES = ROOT / "benchmarks" / "rotation_instances.json"


def recount(plan: dict[str, Any]) -> dict[str, int]:
    """Repeat encounters and pair overlap counted from the rounds of a plan."""
    meetings: Counter[tuple[Any, Any]] = Counter()
    for rnd in plan["rounds"]:
        for group in rnd:
            for a, b in itertools.combinations(sorted(group["members"], key=str), 2):
                meetings[a, b] += 1
    return {
        "repeat_encounters": sum(m - 1 for m in meetings.values() if m > 1),
        "pair_overlap": sum(m * (m - 1) // 2 for m in meetings.values()),
    }


def run(path: Path, only: list[str], seed: int | None, time_limit: float | None) -> bool:
    """Plan every instance, print the table, and say whether all rows are OK."""
    data = json.loads(path.read_text(encoding="utf-8"))
    header = (
        f"{'instance':<18} {'measure':<17} {'achieved':>8} {'lower bound':>11} "
        f"{'known optimum':>13} {'seconds':>8}  result  method"
    )
    print(header)
    print("-" * len(header))
    all_ok = True
    for inst in data["instances"]:
        if only and inst["id"] not in only:
            continue
        instance = dict(inst)
        if seed is not None:
            instance["seed"] = seed
        if time_limit is not None:
            instance["time_limit_s"] = time_limit
        limit = instance.get("time_limit_s", DEFAULT_TIME_LIMIT_S)
        if "known_optimum_pair_overlap" in inst:
            measure, known = "pair_overlap", inst["known_optimum_pair_overlap"]
        else:
            measure, known = "repeat_encounters", inst["known_optimum_repeat_encounters"]
        started = time.perf_counter()
        plan = plan_rotation(instance)
        seconds = time.perf_counter() - started
        achieved = recount(plan)[measure]
        metrics = plan["metrics"]
        ok = achieved <= known and seconds <= limit and metrics[measure] == achieved
        all_ok &= ok
        print(
            f"{inst['id']:<18} {measure:<17} {achieved:>8} "
            f"{metrics['lower_bound_' + measure]:>11} {known:>13} {seconds:>8.2f}  "
            f"{'OK' if ok else 'MISS':<6}  {metrics['method']}",
            flush=True,
        )
    return all_ok


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instances", nargs="?", type=Path, default=DEFAULT_INSTANCES)
    parser.add_argument("--only", nargs="*", default=[], help="instance ids to run")
    parser.add_argument("--seed", type=int, default=None, help="override every seed")
    parser.add_argument("--time-limit", type=float, default=None, help="override time_limit_s")
    args = parser.parse_args(argv)
    return 0 if run(args.instances, args.only, args.seed, args.time_limit) else 1


if __name__ == "__main__":
    sys.exit(main())
