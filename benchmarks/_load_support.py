"""Shared pieces of benchmarks/load.py: scratch PostgreSQL database, gunicorn, an asyncio HTTP client.

The HTTP client speaks HTTP/1.1 over raw asyncio streams: one coroutine per request in flight, no
thread per connection, keep-alive when the server offers it (gunicorn's sync workers close each
connection, so a new one is opened then). Parsing is limited to what the app sends (status line,
headers, Content-Length body, or a body up to the close), which keeps the client's own CPU cost at
a fraction of the server's on a 2-core machine.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent


# ------------------------------------------------------------------ database and server


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _admin(admin_url: str) -> str:
    return make_url(admin_url).set(drivername="postgresql").render_as_string(hide_password=False)


def create_database(admin_url: str, name: str) -> str:
    """A new empty database; returns its SQLAlchemy URL (psycopg 3)."""
    with psycopg.connect(_admin(admin_url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    url = make_url(admin_url).set(drivername="postgresql+psycopg", database=name)
    return url.render_as_string(hide_password=False)


def drop_database(admin_url: str, name: str) -> None:
    with psycopg.connect(_admin(admin_url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def plain_url(db_url: str) -> str:
    """The libpq form of a SQLAlchemy URL, for psycopg.connect."""
    return make_url(db_url).set(drivername="postgresql").render_as_string(hide_password=False)


def start_gunicorn(
    port: int, workers: int, threads: int, log: Path, env: dict[str, str]
) -> subprocess.Popen:
    """gunicorn with the project's production settings (gunicorn.conf.py, wsgi:app)."""
    full_env = {
        **os.environ,
        "EVENTSYS_BIND": f"127.0.0.1:{port}",
        "EVENTSYS_WORKERS": str(workers),
        "EVENTSYS_THREADS": str(threads),
        **env,
    }
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "-c",
        str(ROOT / "gunicorn.conf.py"),
        "wsgi:app",
    ]
    with open(log, "wb") as output:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=full_env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
                sock.sendall(
                    b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                )
                if sock.recv(64).startswith(b"HTTP/1.1 200"):
                    return process
        except OSError:
            pass
        time.sleep(0.2)
    stop(process)
    raise SystemExit(f"gunicorn did not start; see {log}")


def stop(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


# ------------------------------------------------------------------ HTTP client


class HttpError(Exception):
    """The connection failed or the answer could not be read."""


class StaleConnection(HttpError):
    """A kept-alive connection was closed by the server before any byte of the answer came back.

    The request may be sent again on a new connection, as browsers and HTTP libraries do: the
    server closes idle keep-alive connections (timeout, a worker restarting after max_requests)
    without telling the client, which learns it only by using the connection.
    """


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


class Connection:
    """One HTTP/1.1 connection, reopened when the server closed it."""

    def __init__(self, host: str, port: int, timeout: float) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.answered = 0  # answers read on the current connection
        self.got_bytes = False

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None
        self.answered = 0

    async def request(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> Answer:
        try:
            return await asyncio.wait_for(
                self._request(method, path, body, headers or {}), self.timeout
            )
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as error:
            reused, got_bytes = self.answered > 0, self.got_bytes
            await self.close()
            if reused and not got_bytes and not isinstance(error, TimeoutError):
                raise StaleConnection(f"{type(error).__name__}: {error}") from error
            raise HttpError(f"{type(error).__name__}: {error}") from error

    async def _request(
        self, method: str, path: str, body: bytes, headers: dict[str, str]
    ) -> Answer:
        self.got_bytes = False
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        lines = [
            f"{method} {path} HTTP/1.1",
            f"Host: {self.host}:{self.port}",
            "Connection: keep-alive",
        ]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        if body or method in ("POST", "PUT", "PATCH"):
            lines.append(f"Content-Length: {len(body)}")
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        first = await self.reader.readexactly(1)
        self.got_bytes = True
        head = first + await self.reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head[:-4].decode("latin-1").split("\r\n")
        status = int(status_line.split(" ", 2)[1])
        answer_headers = {}
        for line in header_lines:
            name, _sep, value = line.partition(":")
            answer_headers[name.strip().lower()] = value.strip()
        length = answer_headers.get("content-length")
        if method == "HEAD" or status in (204, 304):
            data = b""
        elif length is not None:
            data = await self.reader.readexactly(int(length))
        elif answer_headers.get("transfer-encoding", "").lower() == "chunked":
            data = await self._chunked()
        else:
            data = await self.reader.read()  # until the server closes
            answer_headers["connection"] = "close"
        self.answered += 1
        if answer_headers.get("connection", "").lower() == "close":
            await self.close()
        return Answer(status, answer_headers, data)

    async def _chunked(self) -> bytes:
        parts = []
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await self.reader.readuntil(b"\r\n")
                return b"".join(parts)
            parts.append(await self.reader.readexactly(size))
            await self.reader.readexactly(2)


class Pool:
    """Idle keep-alive connections of one kind of client."""

    def __init__(self, host: str, port: int, timeout: float = 30.0) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self.idle: list[Connection] = []
        self.retries = 0  # requests sent again after a kept-alive connection turned out closed

    async def request(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> Answer:
        connection = (
            self.idle.pop() if self.idle else Connection(self.host, self.port, self.timeout)
        )
        try:
            answer = await connection.request(method, path, body, headers)
        except StaleConnection:
            self.retries += 1  # once, on a new connection; a second failure is an error
            connection = Connection(self.host, self.port, self.timeout)
            answer = await connection.request(method, path, body, headers)
        if connection.writer is not None:
            self.idle.append(connection)
        return answer

    async def close(self) -> None:
        while self.idle:
            await self.idle.pop().close()


# ------------------------------------------------------------------ figures


@dataclass
class Stream:
    """What one endpoint's requests gave: latencies of the good answers, and what went wrong."""

    name: str
    latencies: list[float] = field(default_factory=list)  # seconds
    errors: dict[str, int] = field(default_factory=dict)
    statuses: dict[int, int] = field(default_factory=dict)
    notes: dict[str, int] = field(default_factory=dict)

    def ok(self, status: int, seconds: float) -> None:
        self.statuses[status] = self.statuses.get(status, 0) + 1
        self.latencies.append(seconds)

    def error(self, what: str, status: int = 0) -> None:
        if status:
            self.statuses[status] = self.statuses.get(status, 0) + 1
        self.errors[what] = self.errors.get(what, 0) + 1

    def note(self, what: str) -> None:
        self.notes[what] = self.notes.get(what, 0) + 1

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    def p(self, q: float) -> float:
        """The q-th percentile in milliseconds (nearest rank)."""
        return (
            percentile([value * 1000 for value in self.latencies], q)
            if self.latencies
            else float("nan")
        )

    def line(self, wall: float) -> str:
        count = len(self.latencies) + self.error_count
        rate = len(self.latencies) / wall if wall else 0.0
        return (
            f"{self.name:<13} {count:>7} {rate:>8.1f} {self.p(50):>8.1f} {self.p(95):>8.1f} "
            f"{self.p(99):>8.1f} {max(self.latencies, default=0) * 1000:>8.1f} {self.error_count:>7}"
        )


HEADER_LINE = f"{'endpoint':<13} {'requests':>7} {'ok/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} {'errors':>7}"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))
    return ordered[index]


def cpu_seconds() -> float:
    """This process's CPU time (user + system): what the client itself cost."""
    times = os.times()
    return times.user + times.system


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()  # fields from the 3rd (state) on


def server_cpu(group: int) -> float:
    """CPU seconds of gunicorn: its live processes, and the workers it has reaped (max_requests)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        fields = _stat(int(entry.name))
        if fields is None or int(fields[2]) != group:  # fields[2]: process group
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
        if int(entry.name) == group:
            total += int(fields[13]) + int(fields[14])  # cutime, cstime: reaped workers
    return total / ticks


def database_cpu(admin_url: str, database: str) -> float:
    """CPU seconds of the PostgreSQL backends now connected to the database (same machine)."""
    with psycopg.connect(_admin(admin_url), autocommit=True) as conn:
        pids = [row[0] for row in conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s", (database,)
        ).fetchall()]  # fmt: skip
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = _stat(pid)
        if fields is not None:
            total += int(fields[11]) + int(fields[12])
    return total / ticks
