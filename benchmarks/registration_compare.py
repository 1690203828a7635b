"""eventsys against the bare-database floor, in alternating runs on the same machine.

    .venv/bin/python benchmarks/registration_compare.py [--pairs 3] [--clients 50] [--requests 3000]
        [--database-url postgresql://postgres@127.0.0.1:5432/mine | --admin-url …]

Runs the `sql` line of benchmarks/registration_floor.py, then benchmarks/registration.py (same
clients, same bodies, gunicorn with 2 sync workers, PostgreSQL, end state checked), and again,
--pairs times: floor, eventsys, floor, eventsys … On a shared machine absolute figures drift from
one minute to the next; a floor measured just before eventsys drifts with it, so the ratio of a
pair is what means something.

The target: in every pair, eventsys registers at least half as many people per second as the
floor (ratio >= 0.5) with a p95 latency at most twice the floor's, and the end state is right.
Exits 1 when a pair misses it.

With --database-url both run in that existing database (the floor's f_* tables are dropped after
each run; eventsys empties the public schema before and after); otherwise in a scratch database
made with --admin-url and dropped at the end.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import registration as bench  # noqa: E402
import registration_floor as floor  # noqa: E402

RATE_RATIO = 0.5  # eventsys's registrations per second / the floor's, at least
P95_RATIO = 2.0  # eventsys's p95 / the floor's, at most


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--admin-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    args = parser.parse_args()

    name = f"bench_compare_{os.getpid()}"
    url = args.database_url or bench.create_database(args.admin_url, name)
    pairs = []
    try:
        for number in range(1, args.pairs + 1):
            print(f"--- pair {number}: floor (sql)", flush=True)
            plain = floor.plain_url(url)
            floor.create_tables(plain)
            try:
                base = floor.run("sql", plain, args.clients, args.requests)
            finally:
                floor.drop_tables(plain)
            print(base, flush=True)
            print(f"--- pair {number}: eventsys", flush=True)
            db_url = bench.reset_schema(url)
            try:
                ours = bench.measure(db_url, clients=args.clients, requests=args.requests)
            finally:
                bench.reset_schema(url)
            pairs.append((base, ours))
            print(flush=True)
    finally:
        if not args.database_url:
            bench.drop_database(args.admin_url, name)

    print(f"{'pair':>4}  {'floor/s':>8} {'p95 ms':>7}  {'eventsys/s':>10} {'p95 ms':>7}  "
          f"{'rate ratio':>10} {'p95 ratio':>9}  verdict")  # fmt: skip
    missed = 0
    for number, (base, ours) in enumerate(pairs, 1):
        rate_ratio = ours.rate / base.rate if base.rate else 0.0
        p95_ratio = ours.p95 / base.p95 if base.p95 else float("inf")
        good = rate_ratio >= RATE_RATIO and p95_ratio <= P95_RATIO and not ours.problems
        missed += not good
        verdict = "met" if good else "missed" + (" (end state wrong)" if ours.problems else "")
        print(f"{number:>4}  {base.rate:>8.0f} {base.p95:>7.0f}  {ours.rate:>10.0f} {ours.p95:>7.0f}  "
              f"{rate_ratio:>9.2f}x {p95_ratio:>8.2f}x  {verdict}")  # fmt: skip
    print(
        f"target: rate >= {RATE_RATIO}x the floor's, p95 <= {P95_RATIO}x the floor's, in every pair"
    )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
