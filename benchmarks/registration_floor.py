"""What this machine can do at best, for comparison with benchmarks/registration.py.

    .venv/bin/python benchmarks/registration_floor.py [--clients 50] [--requests 3000]
        [--modes answer,sql] [--database-url postgresql://postgres@127.0.0.1:5432/mine]

Runs the same load (the same clients, the same JSON bodies, gunicorn with 2 sync workers) against
two WSGI applications that are not eventsys, and prints their registrations per second and
latency:

* `answer`: reads the body, answers 201 with a fixed JSON document. The cost of HTTP alone (the
  clients, gunicorn, a new TCP connection per request).
* `sql`: reads the body, then runs through plain psycopg the same round trips as a registration
  (BEGIN; token, event, settings, sessions looked up; the event's row locked and its counters
  read; the e-mail looked up; the registration, its choices and its e-mail inserted; COMMIT) on
  tables of the same shape, in a scratch database (or, with --database-url, in tables f_* created
  in that existing database and dropped after). No Flask, no SQLAlchemy, no validation: the
  cost of the database work and of the HTTP around it.

The gap between `sql` and eventsys is the cost of the framework and of the rules (Flask, the
ORM, validation, the notice): what tuning eventsys can reduce. `sql` itself is the ceiling for
an application that talks to PostgreSQL in this many round trips on this machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import psycopg  # noqa: E402
import registration as bench  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

APP = """
import json, os
import psycopg

URL = os.environ["FLOOR_DATABASE_URL"]
SQL = os.environ["FLOOR_MODE"] == "sql"
_connection = None


def _database():
    global _connection
    if _connection is None:
        _connection = psycopg.connect(URL)
    return _connection


def app(environ, start_response):
    size = int(environ.get("CONTENT_LENGTH") or 0)
    body = json.loads(environ["wsgi.input"].read(size)) if size else {}
    answer = {"status": "confirmed"}
    if SQL:
        db = _database()
        with db.transaction():
            db.execute("SELECT id, user_id FROM f_tokens WHERE token_hash = %s", ("h",)).fetchone()
            db.execute("SELECT id, code FROM f_events WHERE code = %s", ("Z26BE 001",)).fetchone()
            db.execute("SELECT * FROM f_settings WHERE event_id = 1").fetchone()
            db.execute("SELECT id, capacity FROM f_sessions WHERE event_id = 1").fetchall()
            ticket, held = db.execute(
                "UPDATE f_settings SET ticket = ticket + 1 WHERE event_id = 1 RETURNING ticket, held"
            ).fetchone()
            db.execute(
                "SELECT id FROM f_registrations WHERE event_id = 1 AND email = %s"
                " UNION ALL SELECT seats FROM f_session_counts WHERE session_id = ANY(%s)",
                (body["email"], body["sessions"]),
            ).fetchall()
            registration = db.execute(
                "INSERT INTO f_registrations (event_id, email, first_name, last_name, ticket)"
                " VALUES (1, %s, %s, %s, %s) RETURNING id",
                (body["email"], body["first_name"], body["last_name"], ticket),
            ).fetchone()[0]
            db.execute(
                "INSERT INTO f_choices (registration_id, session_id, ticket) SELECT %s, s, %s"
                " FROM unnest(%s::int[]) AS s",
                (registration, ticket, body["sessions"]),
            )
            db.execute(
                "INSERT INTO f_outbox (registration_id, notice) VALUES (%s, %s)",
                (registration, json.dumps(answer)),
            )
        answer["id"] = registration
    data = json.dumps(answer).encode()
    start_response("201 Created", [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
    return [data]
"""

TABLES = """
CREATE TABLE f_tokens (id serial PRIMARY KEY, user_id int, token_hash text UNIQUE);
INSERT INTO f_tokens (user_id, token_hash) VALUES (1, 'h');
CREATE TABLE f_events (id serial PRIMARY KEY, code text UNIQUE, title text);
INSERT INTO f_events (code, title) VALUES ('Z26BE 001', 'Journée');
CREATE TABLE f_settings (event_id int PRIMARY KEY, capacity int, ticket int, held int, modes json);
INSERT INTO f_settings VALUES (1, 1000, 0, 0, '{}');
CREATE TABLE f_sessions (id serial PRIMARY KEY, event_id int, capacity int);
INSERT INTO f_sessions (event_id, capacity) VALUES (1, 120), (1, 60), (1, NULL), (1, 40);
CREATE TABLE f_session_counts (session_id int PRIMARY KEY, seats int);
CREATE TABLE f_registrations (id serial PRIMARY KEY, event_id int, email text, first_name text,
    last_name text, ticket int, UNIQUE (event_id, email));
CREATE TABLE f_choices (id serial PRIMARY KEY, registration_id int, session_id int, ticket int);
CREATE TABLE f_outbox (id serial PRIMARY KEY, registration_id int, notice json);
"""


DROP_TABLES = "DROP TABLE IF EXISTS " + ", ".join(
    f"f_{name}"
    for name in (
        "tokens",
        "events",
        "settings",
        "sessions",
        "session_counts",
        "registrations",
        "choices",
        "outbox",
    )
)


@dataclass
class Floor:
    mode: str
    statuses: list[int]
    rate: float  # requests per second
    p50: float  # milliseconds
    p95: float

    def __str__(self) -> str:
        return (
            f"{self.mode:7} statuses {self.statuses}: {self.rate:.0f} requests/s, latency p50 "
            f"{self.p50:.0f} ms, p95 {self.p95:.0f} ms"
        )


def create_tables(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(DROP_TABLES)
        connection.execute(TABLES)


def drop_tables(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(DROP_TABLES)


def run(mode: str, url: str, clients: int, requests: int) -> Floor:
    """One load on the bare application in `mode` (answer or sql), on tables made by create_tables."""
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "floor_app.py").write_text(APP)
        port = bench.free_port()
        env = {**os.environ, "FLOOR_MODE": mode, "FLOOR_DATABASE_URL": url}
        command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "-w", "2", "-k", "sync", "-b", f"127.0.0.1:{port}",
                   "--chdir", folder, "--log-level", "warning", "floor_app:app"]  # fmt: skip
        process = subprocess.Popen(command, cwd=folder, env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, start_new_session=True)  # fmt: skip
        try:
            time.sleep(2)
            info = {"code": "Z26BE001", "token": "t", "slots": [[1, 2], [3, 4]]}
            results, wall = bench.run_load(port, info, clients, requests, 0)
            failed = [body for status, body, *_rest in results if status != 201]
            if failed:
                raise SystemExit(f"{mode}: {len(failed)} requests failed, e.g. {failed[0]}")
        finally:
            bench.stop(process)
    statuses = sorted({status for status, *_rest in results})
    latencies = [latency * 1000 for _s, _b, latency, _t in results]
    return Floor(
        mode,
        statuses,
        len(results) / wall,
        statistics.median(latencies),
        bench.percentile(latencies, 95),
    )


def plain_url(url: str) -> str:
    """A SQLAlchemy URL as psycopg takes it."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--modes", default="answer,sql", help="comma-separated: answer, sql")
    parser.add_argument("--admin-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL"),
        help="an existing database to hold the f_* tables instead of a scratch database",
    )
    args = parser.parse_args()
    name = f"bench_floor_{os.getpid()}"
    if args.database_url:
        url = plain_url(args.database_url)
    else:
        url = plain_url(bench.create_database(args.admin_url, name))
    try:
        create_tables(url)
        print(
            f"gunicorn -w 2 (sync), {args.clients} clients, {args.requests} requests, closed loop"
        )
        for mode in args.modes.split(","):
            print(run(mode.strip(), url, args.clients, args.requests))
    finally:
        if args.database_url:
            drop_tables(url)
        else:
            bench.drop_database(args.admin_url, name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
