"""Search the bases of an affine orbit design for g themed tables of g people (offline).

Usage (from the repository root):

    python benchmarks/rotation_orbits.py G [--time-limit S] [--projective]

Rounds and tables are the points of GF(q) + {inf}, q = G - 1 a prime power. A person is a
permutation s of the points (table s(x) in round x: nobody visits a table twice). The group of
affine maps x -> a*x + b (with --projective: all of PGL(2, q), x -> (a*x + b) / (c*x + d)) acts
on people by conjugation. The integer program (HiGHS through scipy.optimize.milp) chooses whole
orbits so that every round holds G people at every table and every two rounds cross every two
different tables once or twice. That is exactly the condition for the pair overlap to meet its
lower bound G * C(R, 2), so a solution is a proven optimal plan for every R <= G rounds.

It prints one base permutation per chosen orbit (images of 0, 1, ..., q - 1, inf = q), the
form `eventsys/planner/orbits.py` stores. For G = 6 it answers in a few seconds. For G = 10 it
enumerates the 3.6 million permutations of 10 points first (minutes) and, for the affine group
and for PGL(2, 9), reports the program infeasible: no design with these symmetries exists.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from eventsys.planner.orbits import group, solve  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("g", type=int)
    parser.add_argument("--time-limit", type=float, default=600)
    parser.add_argument("--projective", action="store_true")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    maps = group(args.g - 1, args.projective)
    bases = solve(args.g, maps, args.time_limit)
    print(f"group of order {len(maps)}, {time.perf_counter() - started:.1f} s")
    if bases is None:
        print("no design with these symmetries (or out of time)")
        return 1
    for base in bases:
        print(base)
    return 0


if __name__ == "__main__":
    sys.exit(main())
