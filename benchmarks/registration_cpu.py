"""CPU and SQL round trips of one registration, in process: no HTTP, no concurrency, no noise.

    .venv/bin/python benchmarks/registration_cpu.py --database-url postgresql://postgres@127.0.0.1:5432/mine
        [--requests 1500] [--warmup 200] [--profile 40] [--statements]

Empties the public schema of that database, seeds the event of benchmarks/registration.py, builds
the application as gunicorn does (the same EVENTSYS_* settings), then calls the WSGI application
directly with the same requests the benchmark's clients send (POST
/api/v1/events/<code>/registrations, bearer token, the same JSON bodies), one after another.
Prints the CPU time of this process per registration (mean and median, after --warmup requests),
the wall time per registration (the database's work included), the CPU of the PostgreSQL backend
(read from /proc: the server must run on this host) and the SQL statements each one runs. On two cores, a worker's CPU per registration bounds what two gunicorn workers can do:
PostgreSQL and the clients share the same cores.

--profile N prints the N most expensive functions (cProfile on CPU time, cumulative) over the measured
requests; --statements prints the statements of one registration.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

import registration as bench  # noqa: E402


def environ_for(path: str, token: str, body: bytes) -> dict:
    return {
        "REQUEST_METHOD": "POST",
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1:8000",
        "HTTP_AUTHORIZATION": f"Bearer {token}",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def backend_cpu(pids: set[int]) -> float:
    """CPU seconds (user + system) the PostgreSQL backends `pids` have used so far (same host)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime in clock ticks
    return total / os.sysconf("SC_CLK_TCK")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--requests", type=int, default=1500)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--profile", type=int, default=0)
    parser.add_argument("--statements", action="store_true")
    args = parser.parse_args()

    db_url = bench.reset_schema(args.database_url)
    total = args.warmup + args.requests
    try:
        info = bench.seed(db_url, int(total * bench.EVENT_CAPACITY_SHARE))
        os.environ.update({
            "EVENTSYS_DATABASE_URL": db_url,
            "EVENTSYS_SECRET_KEY": "benchmark-secret-key-not-for-production",
            "EVENTSYS_BASE_URL": "http://127.0.0.1:8000",
            "EVENTSYS_RATELIMIT_ENABLED": "false",
            "EVENTSYS_MAIL_BACKEND": "log",
            "EVENTSYS_MAIL_SEND_AFTER_REQUEST": "false",
        })  # fmt: skip
        from sqlalchemy import event as sa_event

        from eventsys import create_app
        from eventsys.extensions import db

        app = create_app()
        statements: list[str] = []
        with app.app_context():
            engine = db.engine

        backends: set[int] = set()

        @sa_event.listens_for(engine, "checkout")
        def _backend(dbapi_connection, record, proxy):  # noqa: ANN001
            backends.add(dbapi_connection.info.backend_pid)

        @sa_event.listens_for(engine, "before_cursor_execute")
        def _count(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
            statements.append(statement)

        path = f"/api/v1/events/{info['code']}/registrations"
        bodies = [
            json.dumps(bench.registration_payload(n, info["slots"])).encode() for n in range(total)
        ]
        cpu, wall, counts, statuses = [], [], [], {}
        profiler = cProfile.Profile(time.process_time) if args.profile else None
        sample: list[str] = []
        for n, body in enumerate(bodies):
            environ = environ_for(path, info["token"], body)
            answer: list[str] = []
            measured = n >= args.warmup
            if n == args.warmup:
                database_cpu = -backend_cpu(backends)
            del statements[:]
            if measured and profiler:
                profiler.enable()
            started_cpu, started = time.process_time(), time.perf_counter()
            chunks = app(environ, lambda status, headers, *_, answer=answer: answer.append(status))
            b"".join(chunks)
            getattr(chunks, "close", lambda: None)()
            elapsed_cpu, elapsed = time.process_time() - started_cpu, time.perf_counter() - started
            if measured and profiler:
                profiler.disable()
            statuses[answer[0]] = statuses.get(answer[0], 0) + 1
            if measured:
                cpu.append(elapsed_cpu * 1000)
                wall.append(elapsed * 1000)
                counts.append(len(statements))
                if not sample:
                    sample = list(statements)
        database_cpu += backend_cpu(backends)
        problems = bench.check_end_state(db_url, info, statuses.get("201 CREATED", 0),
                                         int(total * bench.EVENT_CAPACITY_SHARE))  # fmt: skip
    finally:
        bench.reset_schema(args.database_url)

    print(f"statuses: {statuses}")
    print(
        f"{len(cpu)} registrations: CPU per registration mean {statistics.mean(cpu):.2f} ms, "
        f"median {statistics.median(cpu):.2f} ms; wall mean {statistics.mean(wall):.2f} ms; "
        f"SQL statements per registration {statistics.mean(counts):.2f} "
        f"(min {min(counts)}, max {max(counts)})"
    )
    print(f"PostgreSQL backend CPU per registration: {database_cpu / len(cpu) * 1000:.2f} ms")
    print("end state: " + ("OK" if not problems else "; ".join(problems)))
    if args.statements:
        for statement in sample:
            print("  " + " ".join(statement.split())[:200])
    if profiler:
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(args.profile)
        stats.sort_stats("tottime").print_stats(args.profile)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
