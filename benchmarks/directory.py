"""The directory at the size of a national network: search, CSV export and volunteer proposals.

    .venv/bin/python benchmarks/directory.py [--profiles 5000] [--runs 30] [--db URL]

Seeds --profiles invented active profiles (1 to 4 languages each, levels, roles, topics, regions)
in a scratch SQLite file (or the database given with --db: its tables are created, use an empty
one), then times, in process, each criterion set a coordinator uses: the service call alone, the
whole search page and the CSV export (Flask test client, logged in as a coordinator), and the
organiser's volunteer proposal for French → German at B2. Prints min / median / p95 in ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from eventsys import create_app  # noqa: E402
from eventsys.extensions import db  # noqa: E402

LANGUAGES = ["en", "de", "es", "it", "pt", "ar", "nl", "pl", "ro", "wo"]
QUERIES = [
    {"language": "de", "role": "translation"},
    {"language": "de", "other_language": "fr", "min_level": "C1"},
    {"language": "es", "role": "interpreting", "region": "FR-OCC"},
    {"topic": "sdg11"},
    {},
]


def seed(count: int) -> None:
    from eventsys.models.directory import DirectoryLanguage, DirectoryProfile
    from eventsys.models.types import utcnow
    from eventsys.services.directory import vocabulary as vocab

    rng = random.Random(20)
    regions, topics, roles = list(vocab.REGIONS), list(vocab.TOPICS), list(vocab.ROLES)
    now = utcnow()
    for n in range(count):
        profile = DirectoryProfile(
            email=f"membre{n}@example.org", first_name=f"Prénom{n}", last_name=f"Nom{n:05d}",
            organisation=f"Ville {n % 300}", region=rng.choice(regions), language="fr",
            roles=rng.sample(roles, rng.randint(0, 2)), topics=rng.sample(topics, rng.randint(1, 4)),
            visibility=rng.choice(["coordinators", "members"]), status="active", link_secret=f"s{n}",
            consent_at=now, confirmed_at=now,
        )  # fmt: skip
        profile.languages = [DirectoryLanguage(code="fr", level="native")] + [
            DirectoryLanguage(code=code, level=rng.choice(vocab.LEVELS[:6]))
            for code in rng.sample(LANGUAGES, rng.randint(0, 3))
        ]
        db.session.add(profile)
    db.session.commit()


def timed(function, runs: int) -> str:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, int(len(samples) * 0.95))]
    return f"min {samples[0]:7.1f}  median {statistics.median(samples):7.1f}  p95 {p95:7.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profiles", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--db")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        url = args.db or "sqlite:///" + str(Path(scratch) / "directory.sqlite3")
        app = create_app({"TESTING": True, "SECRET_KEY": "benchmark", "SQLALCHEMY_DATABASE_URI": url,
                          "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False, "PASSWORD_HASH_FAST": True,
                          "MAIL_BACKEND": "memory"})  # fmt: skip
        with app.app_context():
            from eventsys.security import create_user
            from eventsys.services.directory import search, translations

            db.create_all()
            start = time.perf_counter()
            seed(args.profiles)
            print(
                f"{args.profiles} profiles seeded in {time.perf_counter() - start:.1f} s on {url.split(':')[0]}"
            )
            create_user("coord@example.org", "benchmark password", is_admin=True)
            db.session.commit()
            client = app.test_client()
            client.post(
                "/auth/login", data={"email": "coord@example.org", "password": "benchmark password"}
            )
            for query in QUERIES:
                found = len(search.search_profiles(search.Criteria(**query)))
                label = ", ".join(f"{k}={v}" for k, v in query.items()) or "(everyone)"
                print(f"\n{label}: {found} found")
                print(
                    "  service    ",
                    timed(lambda q=query: search.search_profiles(search.Criteria(**q)), args.runs),
                )
                print(
                    "  page       ",
                    timed(lambda q=query: client.get("/directory/", query_string=q), args.runs),
                )
                print(
                    "  CSV export ",
                    timed(
                        lambda q=query: client.get("/directory/export.csv", query_string=q),
                        args.runs,
                    ),
                )
            proposed = len(translations.propose_volunteers("fr", "de", "B2"))
            print(f"\nvolunteers fr→de at B2: {proposed}")
            print(
                "  proposal   ",
                timed(lambda: translations.propose_volunteers("fr", "de", "B2"), args.runs),
            )
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main()
