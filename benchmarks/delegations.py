"""Registering delegations through the service: time per group and per member, by group size.

    .venv/bin/python benchmarks/delegations.py [--groups 20] [--sizes 5,20,60] [--database-url URL]

Without --database-url, a scratch SQLite file; with a PostgreSQL URL, that (empty, scratch)
database, whose tables are created and dropped. A published event with a capacity smaller than
all the groups together: the first groups take places, the later "all of us or none" ones wait
whole. Prints, per group size, the median and p95 time of one registration (the group and every
member, committed) and the time per member, then checks that every waiting group holds a single
position on the waiting list.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from eventsys import create_app  # noqa: E402
from eventsys.extensions import db  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--groups", type=int, default=20, help="delegations per size")
    parser.add_argument("--sizes", default="5,20,60")
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    url = args.database_url or "sqlite:///" + str(Path(tempfile.mkdtemp()) / "delegations.sqlite3")
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url,
                      "MAIL_BACKEND": "memory", "RATELIMIT_ENABLED": False, "PASSWORD_HASH_FAST": True})  # fmt: skip
    with app.app_context():
        db.drop_all()
        db.create_all()
    with app.test_request_context("/"):
        from eventsys.security import create_user
        from eventsys.services import delegations as dl
        from eventsys.services import programme
        from eventsys.services import registration as reg

        day = datetime.now(UTC).date() + timedelta(days=60)
        owner = create_user(
            "bench@example.org", "correct horse battery staple", platform_role="organiser"
        )
        event = programme.create_event(owner, {"title": "Rencontres", "code": "B26EN 001", "kind": "conference",
                                               "start_date": day, "end_date": day, "languages": "fr,en,de,it"},
                                       "{kind}{yy}EV {seq:03d}")  # fmt: skip
        programme.publish_event(event)
        total = args.groups * sum(sizes)
        reg.save_settings(event, {"capacity": total // 2})
        db.session.commit()
        timings: dict[int, list[float]] = {size: [] for size in sizes}
        groups = []
        for n in range(args.groups):
            for size in sizes:
                members = [
                    dl.MemberInput(first_name="Membre", last_name=f"Groupe {chr(97 + n % 26)}{'abcdefghij'[size % 10]}",
                                   email=f"m{n}-{size}-{i}@example.org", language=("fr", "en", "de", "it")[i % 4])
                    for i in range(size)
                ]  # fmt: skip
                for i, member in enumerate(members):
                    member.last_name += "".join("abcdefghij"[int(d)] for d in str(i))
                data = dl.DelegationInput(name=f"Délégation {n}-{size}", country="BE", head_first_name="Marie",
                                          head_last_name="Dubois", head_email=f"head{n}-{size}@example.org",
                                          members=members, all_or_none=True)  # fmt: skip
                started = time.perf_counter()
                delegation = dl.register_delegation(event, data, source="organiser")
                db.session.commit()
                timings[size].append(time.perf_counter() - started)
                groups.append(delegation.id)
        for size, values in timings.items():
            values.sort()
            p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
            print(f"{size:3d} members: median {statistics.median(values) * 1000:7.1f} ms, p95 {p95 * 1000:7.1f} ms, "
                  f"{statistics.median(values) / size * 1000:5.1f} ms per member")  # fmt: skip
        from eventsys.models.delegation import Delegation

        waiting = 0
        for delegation_id in groups:
            seats = dl.member_seats(db.session.get(Delegation, delegation_id))
            statuses = {s.status for s in seats}
            if statuses == {"waitlisted"}:
                waiting += 1
                if len({s.position for s in seats}) != 1:
                    print("FAIL: a waiting group holds several positions")
                    return 1
            elif "waitlisted" in statuses:
                print("FAIL: an all-or-none group is split")
                return 1
        print(f"{len(groups)} groups, {waiting} waiting whole in one position each, none split: OK")
    if args.database_url:
        with app.app_context():
            db.drop_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
