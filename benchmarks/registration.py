"""Registration under load: gunicorn (2 workers) on PostgreSQL, many clients at once, JSON API.

    .venv/bin/python benchmarks/registration.py [--clients 50] [--requests 3000] [--workers 2]
        [--threads 1] [--admin-url postgresql://postgres@127.0.0.1:5432/postgres] [--rate 0] [--keep]
        [--database-url postgresql://postgres@127.0.0.1:5432/mine]

Creates a scratch database (bench_registration_<pid>) — or, with --database-url, empties the
public schema of that existing database (before and after the run) and uses it — seeds a published event with a limited
number of places and four workshops in two time slots (two of them small, so waiting lists grow),
starts `gunicorn -w 2 'eventsys:create_app()'` on it with rate limits off (sync workers by default,
as in production; `--threads N` > 1 runs gthread workers with N threads each instead: on two cores
they measured slower, their thread hand-offs costing more CPU than the overlapped database waits
save), and has --clients clients POST /api/v1/events/<CODE>/registrations until --requests
registrations are done.

The clients are asyncio coroutines in one process, each speaking HTTP/1.1 on a raw socket and
keeping its connection alive when the server allows it (sync workers close every connection, so
each request then opens a new one, as http.client did). That costs a few hundred microseconds of
client CPU per request, instead of fifty threads competing with the server for the same two
cores. Each client has at most one request in flight. A request's latency runs from just before
it is written (the TCP connect included when a new connection is needed) to the last byte of the
answer read. By default every client sends its next request as soon as the previous answer
arrives (closed loop: the maximum throughput); with --rate R the clients together send R requests
per second (open loop: latency at a given load).

Prints registrations per second and p50/p95/p99 latency, then checks the end state in the database:
no session and no event over capacity, no duplicate registration, no free seat while someone
waits, first come first served (everyone given a place or a seat drew an earlier ticket than
everyone still waiting for it; positions are computed from tickets, so lists read 1..N), and the
places/seats counters equal to a count of the rows.
Exits 1 if the check fails or a target is missed.
Targets on the 2-core machine: >= 300 registrations/s, p95 <= 150 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from datetime import time as dtime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

TARGET_RATE = 300.0
TARGET_P95_MS = 150.0
EVENT_CAPACITY_SHARE = 0.8  # of the registrations sent: the rest go to the event's waiting list
WORKSHOPS = (("Atelier 1", "14:30", "16:00", 120), ("Atelier 2", "14:30", "16:00", 60),
             ("Visite A", "10:15", "11:15", None), ("Visite B", "10:15", "11:15", 40))  # fmt: skip


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def create_database(admin_url: str, name: str) -> str:
    url = make_url(admin_url)
    with psycopg.connect(
        url.set(drivername="postgresql").render_as_string(hide_password=False), autocommit=True
    ) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url.set(drivername="postgresql+psycopg", database=name).render_as_string(
        hide_password=False
    )


def drop_database(admin_url: str, name: str) -> None:
    url = make_url(admin_url)
    with psycopg.connect(
        url.set(drivername="postgresql").render_as_string(hide_password=False), autocommit=True
    ) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def reset_schema(db_url: str) -> str:
    """Empty an existing database's public schema (for --database-url); returns its SQLAlchemy URL."""
    url = make_url(db_url)
    with psycopg.connect(
        url.set(drivername="postgresql").render_as_string(hide_password=False), autocommit=True
    ) as conn:
        conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
        conn.execute("CREATE SCHEMA public")
    return url.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


def seed(db_url: str, event_capacity: int) -> dict:
    """Tables, an organiser with a token, a published event with workshops."""
    from eventsys import create_app
    from eventsys.extensions import db
    from eventsys.models import ProgrammeSession
    from eventsys.security import create_user, issue_api_token
    from eventsys.services import programme
    from eventsys.services import registration as reg

    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": db_url})
    with app.app_context():
        db.create_all()
        owner = create_user("bench@example.org", "correct horse battery staple", name="Bench")
        day = datetime.now(UTC).date() + timedelta(days=30)
        event = programme.create_event(
            owner,
            {
                "title": "Journée d'actualité (banc d'essai)",
                "code": "Z26BE 001",
                "start_date": day,
                "end_date": day,
            },
            "{kind}{yy}EV {seq:03d}",
        )
        workshops = []
        for title, start, end, capacity in WORKSHOPS:
            session = programme.save_session(
                event, ProgrammeSession(),
                {"title": title, "type": "workshop", "requires_registration": True, "capacity": capacity},
                programme.local_to_utc(event, day, dtime.fromisoformat(start)),
                programme.local_to_utc(event, day, dtime.fromisoformat(end)),
            )  # fmt: skip
            workshops.append(session)
        programme.publish_event(event)
        reg.save_settings(event, {"capacity": event_capacity})
        _token, raw = issue_api_token(owner, name="bench")
        db.session.commit()
        info = {
            "code": event.code,
            "event_id": event.id,
            "token": raw,
            "slots": [[workshops[0].id, workshops[1].id], [workshops[2].id, workshops[3].id]],
            "capacities": {s.id: s.capacity for s in workshops},
        }
        db.engine.dispose()
    return info


def start_gunicorn(
    db_url: str, port: int, workers: int, threads: int, log: Path, mail_in_workers: bool
) -> subprocess.Popen:
    env = {
        **os.environ,
        "EVENTSYS_DATABASE_URL": db_url,
        "EVENTSYS_SECRET_KEY": "benchmark-secret-key-not-for-production",
        "EVENTSYS_BASE_URL": f"http://127.0.0.1:{port}",
        "EVENTSYS_RATELIMIT_ENABLED": "false",
        "EVENTSYS_MAIL_BACKEND": "log",
        # Delivery by the web workers' background thread (the default), or left in the outbox
        # for a separate `flask send-mail --loop` process (the production layout under load).
        "EVENTSYS_MAIL_SEND_AFTER_REQUEST": "true" if mail_in_workers else "false",
    }
    # gthread: each worker runs --threads requests at once (one waits for PostgreSQL while another
    # runs) and keeps connections alive; --threads 1 means gunicorn's sync workers.
    worker = ["-k", "gthread", "--threads", str(threads)] if threads > 1 else ["-k", "sync"]
    command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "-w", str(workers), *worker, "-b", f"127.0.0.1:{port}",
               "--log-level", "warning", "eventsys:create_app()"]  # fmt: skip
    with open(log, "wb") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
                                   start_new_session=True)  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.2)
    stop(process)
    raise SystemExit(f"gunicorn did not start; see {log}")


def stop(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, signal.SIGKILL)


class HttpClient:
    """One keep-alive HTTP/1.1 connection on a raw asyncio socket: write a request, read one answer."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, raw: bytes) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        try:
            self.writer.write(raw)
            head = await self.reader.readuntil(b"\r\n\r\n")
            lines = head.split(b"\r\n")
            status = int(lines[0].split()[1])
            length, close = None, False
            for line in lines[1:]:
                name, _sep, value = line.partition(b":")
                name, value = name.strip().lower(), value.strip().lower()
                if name == b"content-length":
                    length = int(value)
                elif name == b"connection" and value == b"close":
                    close = True
                elif name == b"transfer-encoding" and value != b"identity":
                    raise OSError(f"unexpected Transfer-Encoding: {value.decode()}")
            if length is None:  # no length: the body runs to the end of the connection
                body, close = await self.reader.read(), True
            else:
                body = await self.reader.readexactly(length)
        except (OSError, asyncio.IncompleteReadError):
            self.close()
            raise
        if close:
            self.close()
        return status, body

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def registration_payload(n: int, slots: list[list[int]]) -> dict:
    rng = random.Random(n)
    return {
        "first_name": rng.choice(
            ["Camille", "Dominique", "Élise", "Jean", "Oksana", "Mohamed", "Thi"]
        ),
        "last_name": rng.choice(["Martin", "Nguyễn", "Durand", "Lefèvre", "Шевченко", "Benali"]),
        "email": f"agent{n}@collectivite-{n % 97}.fr",
        "organisation": f"Collectivité n°{n % 97}",
        "organisation_type": "local_authority",
        "job_title": "Ingénieur·e territorial·e",
        "language": rng.choice(["fr", "fr", "fr", "en"]),
        "sessions": [rng.choice(slot) for slot in slots],
        "consent": True,
    }


async def _run_load(
    port: int, info: dict, clients: int, requests: int, rate: float
) -> tuple[list, float]:
    path = f"/api/v1/events/{info['code']}/registrations"
    counter = iter(range(requests))
    results: list[tuple[int, dict, float, float]] = []

    def encoded(n: int) -> bytes:
        body = json.dumps(registration_payload(n, info["slots"])).encode()
        head = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {info['token']}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        return head.encode() + body

    async def client() -> None:
        connection = HttpClient(port)
        try:
            # The single-threaded event loop hands out numbers in order: no lock needed.
            for n in counter:
                raw = encoded(n)
                if rate:
                    # Open loop: request n leaves at its scheduled time, whatever the previous ones do.
                    delay = began + n / rate - time.perf_counter()
                    if delay > 0:
                        await asyncio.sleep(delay)
                sent_at = time.perf_counter()
                try:
                    status, data = await asyncio.wait_for(connection.request(raw), timeout=30)
                    body = json.loads(data) if data else {}
                except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError) as error:
                    connection.close()
                    status, body = 0, {"error": f"{type(error).__name__}: {error}"}
                results.append((status, body, time.perf_counter() - sent_at, sent_at))
        finally:
            connection.close()

    began = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return results, time.perf_counter() - began


def run_load(port: int, info: dict, clients: int, requests: int, rate: float) -> tuple[list, float]:
    """Drive the server with `clients` concurrent clients; returns (status, body, latency, sent at)
    per request and the wall time."""
    return asyncio.run(_run_load(port, info, clients, requests, rate))


def check_end_state(db_url: str, info: dict, sent: int, event_capacity: int) -> list[str]:
    """What must hold whatever the load: returns the problems found."""
    problems = []
    url = make_url(db_url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT email_key, status, ticket FROM registrations WHERE event_id = %s",
            (info["event_id"],),
        ).fetchall()
        if len(rows) != sent:
            problems.append(f"{len(rows)} registrations stored for {sent} sent")
        duplicates = [k for k, n in Counter(r[0] for r in rows).items() if n > 1]
        if duplicates:
            problems.append(f"duplicate registrations: {duplicates[:5]}")
        holding = sum(1 for r in rows if r[1] in ("confirmed", "pending"))
        if holding > event_capacity:
            problems.append(f"event overbooked: {holding} > {event_capacity}")
        if holding < min(sent, event_capacity):
            problems.append(f"places left empty: {holding} < {min(sent, event_capacity)}")
        if len({r[2] for r in rows}) != len(rows):
            problems.append("two registrations share a ticket")
        for session_id, capacity in info["capacities"].items():
            seats = conn.execute(
                "SELECT count(*) FROM registration_choices WHERE session_id = %s AND status = 'confirmed'",
                (session_id,),
            ).fetchone()[0]
            waiting = conn.execute(
                "SELECT count(*) FROM registration_choices WHERE session_id = %s AND status = 'waitlisted'",
                (session_id,),
            ).fetchone()[0]
            if capacity is not None and seats > capacity:
                problems.append(f"session {session_id} overbooked: {seats} > {capacity}")
            if capacity is not None and waiting and seats < capacity:
                problems.append(
                    f"session {session_id} has free seats ({seats}/{capacity}) but {waiting} waiting"
                )
            # First come, first served: everyone seated arrived (drew a ticket) before everyone waiting.
            last_seated, first_waiting = conn.execute(
                "SELECT max(ticket) FILTER (WHERE status = 'confirmed'), min(ticket) FILTER (WHERE status = 'waitlisted')"
                " FROM registration_choices WHERE session_id = %s",
                (session_id,),
            ).fetchone()
            if (
                last_seated is not None
                and first_waiting is not None
                and last_seated > first_waiting
            ):
                problems.append(
                    f"session {session_id}: a later arrival got a seat before someone waiting"
                )
        drift = counter_drift(db_url)
        if drift:
            problems.append(f"counters differ from the rows: {drift[:5]}")
        last_holding = max((r[2] for r in rows if r[1] in ("confirmed", "pending")), default=None)
        first_waiting = min((r[2] for r in rows if r[1] == "waitlisted"), default=None)
        if last_holding is not None and first_waiting is not None and last_holding > first_waiting:
            problems.append("event: a later arrival got a place before someone waiting")
    return problems


def counter_drift(db_url: str) -> list:
    """The places/seats counters that differ from a count of the rows (the triggers keep them)."""
    from sqlalchemy import create_engine

    from eventsys.models import counters

    engine = create_engine(db_url)
    try:
        with engine.connect() as connection:
            return counters.counter_drift(connection)
    finally:
        engine.dispose()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))
    return ordered[index]


@dataclass
class Figures:
    rate: float  # registrations per second
    p50: float  # milliseconds
    p95: float
    p99: float
    slowest: float
    wall: float
    problems: list[str]


def measure(
    db_url: str,
    *,
    clients: int = 50,
    requests: int = 3000,
    workers: int = 2,
    threads: int = 1,
    rate: float = 0.0,
    mail_in_workers: bool = False,
    log: Path | None = None,
) -> Figures:
    """Seed `db_url` (an empty database), run the load on gunicorn, check the end state; prints as
    it goes and returns the figures."""
    event_capacity = int(requests * EVENT_CAPACITY_SHARE)
    log = log or Path(f"/tmp/bench_registration_{os.getpid()}.gunicorn.log")
    process = None
    try:
        info = seed(db_url, event_capacity)
        port = free_port()
        process = start_gunicorn(db_url, port, workers, threads, log, mail_in_workers)
        mode = f"open loop at {rate:g}/s" if rate else "closed loop (as fast as answers come)"
        print(
            f"gunicorn -w {workers} --threads {threads}, {clients} clients, {requests} registrations, {mode}"
        )
        results, wall = run_load(port, info, clients, requests, rate)
    finally:
        if process is not None:
            stop(process)

    statuses = Counter(status for status, *_ in results)
    latencies = [elapsed * 1000 for status, _, elapsed, _ in results if status == 201]
    done = len(latencies) / wall if wall else 0.0
    outcome = Counter(body.get("status") for status, body, *_ in results if status == 201)
    print(f"HTTP statuses: {dict(statuses)}")
    print(f"outcomes: {dict(outcome)}")
    figures = Figures(done, 0.0, 0.0, 0.0, 0.0, wall, [])
    if latencies:
        figures.p50, figures.p95 = statistics.median(latencies), percentile(latencies, 95)
        figures.p99, figures.slowest = percentile(latencies, 99), max(latencies)
        print(
            f"{done:.0f} registrations/s over {wall:.1f} s; latency p50 {figures.p50:.0f} ms, "
            f"p95 {figures.p95:.0f} ms, p99 {figures.p99:.0f} ms, max {figures.slowest:.0f} ms"
        )
    problems = check_end_state(db_url, info, statuses.get(201, 0), event_capacity)
    if statuses.get(201, 0) != requests:
        problems.append(f"{requests - statuses.get(201, 0)} requests did not register; see {log}")
    print(
        "end state: "
        + (
            "OK (no overbooking, no duplicates, waiting lists in order, counters agree)"
            if not problems
            else "; ".join(problems)
        )
    )
    figures.problems = problems
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--threads", type=int, default=1, help="threads per gunicorn worker (1: sync workers)"
    )
    parser.add_argument(
        "--rate", type=float, default=0.0, help="open loop: requests per second for all clients"
    )
    parser.add_argument(
        "--admin-url",
        default=os.environ.get("BENCH_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL"),
        help="an existing database to use instead of a scratch one (its public schema is emptied)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument(
        "--mail-in-workers", action="store_true",
        help="let the web workers deliver e-mail in a background thread (default: leave it to send-mail)",
    )  # fmt: skip
    args = parser.parse_args()

    name = f"bench_registration_{os.getpid()}"
    if args.database_url:
        db_url = reset_schema(args.database_url)
    else:
        db_url = create_database(args.admin_url, name)
    try:
        figures = measure(
            db_url, clients=args.clients, requests=args.requests, workers=args.workers,
            threads=args.threads, rate=args.rate, mail_in_workers=args.mail_in_workers,
            log=Path(f"/tmp/{name}.gunicorn.log"),
        )  # fmt: skip
    finally:
        if args.keep:
            print(f"database kept: {db_url}")
        elif args.database_url:
            reset_schema(args.database_url)
        else:
            drop_database(args.admin_url, name)
    missed = []
    if figures.rate < TARGET_RATE:
        missed.append(f"rate {figures.rate:.0f}/s < {TARGET_RATE:.0f}/s")
    if figures.p95 > TARGET_P95_MS:
        missed.append(f"p95 {figures.p95:.0f} ms > {TARGET_P95_MS:.0f} ms")
    if missed:
        print("targets missed: " + ", ".join(missed))
    return 1 if figures.problems or missed else 0


if __name__ == "__main__":
    sys.exit(main())
