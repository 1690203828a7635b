"""An opening morning under load: programme views, registrations and check-ins at once.

    .venv/bin/python benchmarks/load.py [--duration 30] [--programme-rate 300]
        [--registration-rate 25] [--checkin-rate 10] [--workers 2] [--threads 4]
        [--admin-url postgresql://postgres@127.0.0.1:5432/postgres]
        [--redis-url redis://127.0.0.1:6379/12] [--keep]
    .venv/bin/python benchmarks/load.py --only programme [--connections 8] [--duration 20]

What it runs: a scratch PostgreSQL database (bench_load_<pid>) with a published one-day event of
today (Z26LD 001: 24 sessions in 6 rooms, speakers, descriptions, English titles, two time
slots of workshops with limited seats), --preregistered people already registered with their
badges' QR codes, four desk tokens and an organiser API token. Then gunicorn with the project's
production settings (`-c gunicorn.conf.py wsgi:app`, --workers workers of --threads threads, i.e.
EVENTSYS_WORKERS=2 EVENTSYS_THREADS=4: a thread waiting for PostgreSQL leaves the core to another
one) on that database and on Redis (rate limits, page cache; --no-redis for the laptop layout),
rate limits off (every client is 127.0.0.1), e-mail left in the outbox for `flask send-mail` as
in production.

Mixed load (default): open loop for --duration seconds, each stream at its own rate whatever
the server does, so a slow answer delays nothing else (latency is counted from the moment the
request was due, so queueing in the client counts too):
  * programme  GET /e/Z26LD001/programme, visitors' languages 75 % fr, 20 % en, 5 % de;
  * register   POST /api/v1/events/Z26LD001/registrations (JSON API), one new person each, 1 in
               25 a resubmission of an earlier person (must give 200 "already registered");
  * checkin    POST /api/v1/events/Z26LD001/checkins with a desk token (`evst_…`): each badge
               of the pre-registered people once, 1 in 20 a second scan of someone already in
               ("already_checked_in"), 1 in 30 the same scan sent again (same nonce: replayed);
  * edit       halfway, the organiser renames a room (PATCH …/rooms/<id>): every programme page
               asked for after that answer must show the new name (the page cache is never
               stale).
Errors: any connection failure or timeout, any unexpected status or answer, a stale page.

--only programme: closed loop, --connections clients each asking for the programme again as
soon as the previous answer arrives, for --duration seconds: the page's maximum throughput.

The client is asyncio with raw HTTP/1.1 streams (benchmarks/_load_support.py): one coroutine per
request, keep-alive when offered (gunicorn's sync workers close every connection, so one is
opened per request then); its own CPU time is printed so that its share of the 2 cores is known.
Like browsers and HTTP libraries, it sends a request once more on a new connection when a
kept-alive connection turns out to have been closed by the server before any byte of the answer
(a worker restarting after gunicorn's max_requests closes its idle connections); such retries
are counted and printed ("retried on a new connection"), every other failure is an error. The
retried POSTs are safe: a registration is unique by e-mail, a check-in by its nonce.

Prints, per endpoint: requests, good answers per second, p50/p95/p99/max latency, errors; the
page cache's hits; the CPU seconds of gunicorn (workers, reaped ones included), of the PostgreSQL
backends and of the client, i.e. the cost per request whatever else runs on the machine; then
checks the database: no event or session over capacity, no duplicate
registration, waiting lists only when full, every acknowledged registration stored once, every
check-in that answered "ok" recorded exactly once and nobody counted twice.
Targets on the 2-core machine: programme page >= 500 requests/s with p95 <= 50 ms (--only
programme); mixed load with zero errors and a correct end state. Exits 1 when one is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from datetime import time as dtime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import psycopg  # noqa: E402
from _load_support import (  # noqa: E402
    HEADER_LINE,
    HttpError,
    Pool,
    Stream,
    cpu_seconds,
    create_database,
    database_cpu,
    drop_database,
    free_port,
    plain_url,
    server_cpu,
    start_gunicorn,
    stop,
)

TARGET_PROGRAMME_RATE = 500.0
TARGET_PROGRAMME_P95_MS = 50.0
CODE = "Z26LD001"
CODE_DISPLAY = "Z26LD 001"
TIMEZONE = "Europe/Paris"
ROOM_NAMES = (
    "Amphithéâtre Garonne",
    "Salle Dordogne",
    "Salle Lot",
    "Salle Tarn",
    "Salle Aveyron",
    "Atelier Gers",
)
NEW_ROOM_NAME = "Amphithéâtre Jean-Jaurès"
REGISTERED_SHARE = 0.8  # of the new registrations expected: the rest goes to the waiting list
DESKS = 4
# (title, English title, start, end, type, room index, capacity for workshops with registration)
PLENARY = (
    ("Accueil café", "Welcome coffee", "08:30", "09:00", "break", None, None),
    (
        "Ouverture : la route de demain",
        "Opening: tomorrow's roads",
        "09:00",
        "09:45",
        "opening",
        0,
        None,
    ),
    ("Déjeuner", "Lunch", "12:30", "14:00", "meal", None, None),
    ("Clôture et synthèse", "Closing and summary", "17:15", "17:45", "closing", 0, None),
)
PARALLEL_SLOTS = (("10:00", "11:00"), ("11:15", "12:15"), ("14:00", "15:00"), ("15:30", "17:00"))
TOPICS = (
    ("Ponts et ouvrages d'art", "Bridges and structures"),
    ("Chaussées à faible carbone", "Low-carbon pavements"),
    ("Éclairage public et sobriété", "Street lighting and energy saving"),
    ("Marchés publics de travaux", "Public works procurement"),
    ("Gestion des eaux pluviales", "Stormwater management"),
    ("Mobilités actives", "Active mobility"),
)
DESCRIPTION = (
    "Retours d'expérience de collectivités, points de vigilance réglementaires et échanges "
    "avec la salle.\n\n- Diagnostic et priorisation\n- Financements mobilisables\n- Suivi "
    "des travaux et réception\n\nPublic : ingénieurs et techniciens territoriaux."
)


# ------------------------------------------------------------------ seeding


def letters(n: int) -> str:
    """A number as letters (names may not hold digits): 0 → "Aa", 27 → "Bb"."""
    text = ""
    while True:
        n, rest = divmod(n, 26)
        text = "abcdefghijklmnopqrstuvwxyz"[rest] + text
        if not n:
            return text.capitalize()


def seed(db_url: str, preregistered: int, new_registrations: int) -> dict:
    """Tables, an organiser with an API token, today's event with its programme, people, desks."""
    from eventsys import create_app
    from eventsys.extensions import db
    from eventsys.models import ProgrammeSession, Room, Speaker, Track
    from eventsys.security import create_user, issue_api_token
    from eventsys.services import checkin as desk
    from eventsys.services import programme
    from eventsys.services import registration as reg

    app = create_app({"TESTING": True, "SECRET_KEY": SECRET_KEY, "SQLALCHEMY_DATABASE_URI": db_url,
                      "MAIL_BACKEND": "log", "MAIL_SEND_AFTER_REQUEST": False})  # fmt: skip
    with app.app_context():
        db.create_all()
        owner = create_user("bench@example.org", "correct horse battery staple", name="Bench")
        day = datetime.now(ZoneInfo(TIMEZONE)).date()
        event = programme.create_event(
            owner,
            {"title": "Rencontres techniques territoriales (banc de charge)", "code": CODE_DISPLAY,
             "kind": "conference", "start_date": day, "end_date": day, "timezone": TIMEZONE,
             "venue_name": "Centre de congrès Pierre-Baudis, Toulouse", "languages": "fr,en"},
            "{kind}{yy}EV {seq:03d}",
        )  # fmt: skip
        event.set_translations({"en": {"title": "Local-government engineering days (load bench)"}})
        rooms = [programme.save_room(event, Room(), {"name": name, "capacity": 300 if i == 0 else 80})
                 for i, name in enumerate(ROOM_NAMES)]  # fmt: skip
        tracks = [
            programme.save_track(event, Track(), {"name": name})
            for name in ("Voirie", "Eau", "Énergie")
        ]
        speakers = [
            programme.save_speaker(event, Speaker(), {
                "name": f"{first} {last}", "function": "Ingénieur·e en chef",
                "organisation": f"Conseil départemental n°{i}"})
            for i, (first, last) in enumerate(
                (f, la) for f in ("Camille", "Dominique", "Élise", "Jean", "Oksana", "Mohamed")
                for la in ("Martin", "Durand", "Lefèvre", "Benali", "Nguyễn"))
        ]  # fmt: skip

        def add(title, english, start, end, kind, room, capacity=None, speaker_ids=(), track=None):
            session = programme.save_session(
                event, ProgrammeSession(),
                {"title": title, "type": kind, "room_id": rooms[room].id if room is not None else None,
                 "description": DESCRIPTION if kind not in ("break", "meal") else "",
                 "requires_registration": capacity is not None, "capacity": capacity,
                 "track_id": track.id if track else None},
                programme.local_to_utc(event, day, dtime.fromisoformat(start)),
                programme.local_to_utc(event, day, dtime.fromisoformat(end)),
                speakers=[(sid, "speaker") for sid in speaker_ids],
            )  # fmt: skip
            session.set_translations({"en": {"title": english}})
            return session

        for title, english, start, end, kind, room, capacity in PLENARY:
            add(
                title,
                english,
                start,
                end,
                kind,
                room,
                capacity,
                [speakers[0].id] if room is not None else [],
            )
        workshops: list[list] = []
        for n, (start, end) in enumerate(PARALLEL_SLOTS):
            slot = []
            for r in range(1, len(ROOM_NAMES)):
                title, english = TOPICS[(n + r) % len(TOPICS)]
                # Slots 2 and 4: workshops on registration, two of them small (waiting lists grow).
                capacity = (40 if r % 2 else 120) if n in (1, 3) and r <= 2 else None
                session = add(f"{title} ({n + 1}.{r})", f"{english} ({n + 1}.{r})", start, end,
                              "workshop" if capacity else "talk", r, capacity,
                              [speakers[(n * 5 + r) % len(speakers)].id, speakers[(n * 7 + r + 3) % len(speakers)].id],
                              tracks[r % len(tracks)])  # fmt: skip
                if capacity:
                    slot.append(session)
            if slot:
                workshops.append(slot)
        programme.publish_event(event)
        event_capacity = preregistered + int(new_registrations * REGISTERED_SHARE)
        reg.save_settings(event, {"capacity": event_capacity})
        _token, raw = issue_api_token(owner, name="bench")
        db.session.commit()

        badges = []
        for n in range(preregistered):
            data = reg.RegistrationInput(
                first_name="Agent", last_name=f"Préinscrit-{letters(n)}", email=f"preinscrit{n}@collectivite.fr",
                organisation=f"Commune n°{n % 211}", organisation_type="local_authority",
                job_title="Technicien·ne territorial·e", language="fr", sessions=[], consent=True,
            )  # fmt: skip
            outcome = reg.register_attendee(
                event, data, source="organiser", by_organiser=True, notify=False
            )
            badges.append((outcome.registration.id, desk.badge_token(outcome.registration)))
            if n % 50 == 49:
                db.session.commit()
        desks = [desk.issue_staff_token(event, f"Accueil {n + 1}")[1] for n in range(DESKS)]
        db.session.commit()
        info = {
            "event_id": event.id,
            "token": raw,
            "event_capacity": event_capacity,
            "slots": [[s.id for s in slot] for slot in workshops],
            "capacities": {s.id: s.capacity for slot in workshops for s in slot},
            "room_id": rooms[0].id,
            "badges": badges,
            "desks": desks,
        }
        db.engine.dispose()
    return info


SECRET_KEY = "benchmark-secret-key-not-for-production"


# ------------------------------------------------------------------ the load


@dataclass
class Run:
    """Everything the load observed, for the report and the end-state check."""

    streams: dict[str, Stream]
    registered: set[str] = field(default_factory=set)  # e-mails acknowledged (201 or 200)
    registration_failures: int = 0
    scanned: set[int] = field(default_factory=set)  # registrations whose scan was answered
    ok_answers: Counter = field(default_factory=Counter)  # registration id → non-replayed "ok"
    nonces_answered: set[str] = field(default_factory=set)
    checkin_failures: int = 0
    plan: list[tuple] = field(default_factory=list)  # the scans sent
    edit_sent: float | None = None
    edit_done: float | None = None
    wall: float = 0.0


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


PROGRAMME_PATH = f"/e/{CODE}/programme"
LANGUAGES = ("fr-FR,fr;q=0.9",) * 15 + ("en-GB,en;q=0.8",) * 4 + ("de-DE,de;q=0.9",)


async def get_programme(
    pool: Pool, stream: Stream, run: Run, due: float, rng: random.Random
) -> None:
    sent = time.perf_counter()
    try:
        answer = await pool.request(
            "GET", PROGRAMME_PATH, headers={"Accept-Language": rng.choice(LANGUAGES)}
        )
    except HttpError as error:
        stream.error(str(error).split(":")[0])
        return
    elapsed = time.perf_counter() - due
    if answer.status != 200 or CODE_DISPLAY.encode() not in answer.body:
        stream.error(f"HTTP {answer.status}", answer.status)
        return
    if (
        run.edit_done is not None
        and sent > run.edit_done
        and NEW_ROOM_NAME.encode() not in answer.body
    ):
        stream.error("stale page after the edit", answer.status)
        return
    stream.note("cache " + answer.headers.get("x-page-cache", "?"))
    stream.ok(answer.status, elapsed)


async def post_registration(
    pool: Pool, stream: Stream, run: Run, due: float, n: int, info: dict
) -> None:
    payload = registration_payload(n, info["slots"])
    body = json.dumps(payload).encode()
    headers = {"Authorization": f"Bearer {info['token']}", "Content-Type": "application/json"}
    try:
        answer = await pool.request("POST", f"/api/v1/events/{CODE}/registrations", body, headers)
    except HttpError as error:
        run.registration_failures += 1
        stream.error(str(error).split(":")[0])
        return
    elapsed = time.perf_counter() - due
    data = json.loads(answer.body or b"{}")
    if answer.status == 201 and data.get("registration_status") in (
        "confirmed",
        "waitlisted",
        "pending",
    ):
        workshop = (
            " (a workshop's waiting list)"
            if data.get("status") != data["registration_status"]
            else ""
        )
        stream.note(data["registration_status"] + workshop)
    elif answer.status == 200 and data.get("already_registered"):
        stream.note("already registered")
    else:
        run.registration_failures += 1
        code = (data.get("error") or {}).get("code", "")
        stream.error(f"HTTP {answer.status} {code}".strip(), answer.status)
        return
    run.registered.add(payload["email"])
    stream.ok(answer.status, elapsed)


async def post_checkin(
    pool: Pool, stream: Stream, run: Run, due: float, scan: tuple, info: dict
) -> None:
    registration_id, qr, nonce, desk = scan
    body = json.dumps({"qr": qr, "nonce": nonce, "device": f"Accueil {desk + 1}"}).encode()
    headers = {"Authorization": f"Bearer {info['desks'][desk]}", "Content-Type": "application/json"}
    try:
        answer = await pool.request("POST", f"/api/v1/events/{CODE}/checkins", body, headers)
    except HttpError as error:
        run.checkin_failures += 1
        stream.error(str(error).split(":")[0])
        return
    elapsed = time.perf_counter() - due
    data = json.loads(answer.body or b"{}")
    result = data.get("result")
    if answer.status != 200 or result not in ("ok", "already_checked_in"):
        run.checkin_failures += 1
        stream.error(
            f"HTTP {answer.status} {result or (data.get('error') or {}).get('code', '')}",
            answer.status,
        )
        return
    run.scanned.add(registration_id)
    run.nonces_answered.add(nonce)
    if result == "ok" and not data.get("replayed"):
        run.ok_answers[registration_id] += 1
    stream.note(result + (" (replayed)" if data.get("replayed") else ""))
    stream.ok(answer.status, elapsed)


def checkin_plan(info: dict, count: int, seed_value: int = 7) -> list[tuple]:
    """The scans in order: first scans of shuffled badges, some second scans, some retries."""
    rng = random.Random(seed_value)
    badges = list(info["badges"])
    rng.shuffle(badges)
    plan: list[tuple] = []
    for n in range(count):
        if n % 30 == 29 and plan:  # the desk lost the answer and sends the same scan again
            plan.append(plan[-3] if len(plan) >= 3 else plan[-1])
        elif n % 20 == 19 and len(plan) > 10:  # someone comes back through the entrance
            registration_id, qr, _nonce, _desk = plan[rng.randrange(len(plan) - 10)]
            plan.append((registration_id, qr, uuid.uuid4().hex, rng.randrange(DESKS)))
        else:
            registration_id, qr = badges.pop()
            plan.append((registration_id, qr, uuid.uuid4().hex, rng.randrange(DESKS)))
    return plan


async def open_loop(rate: float, duration: float, start: float, limit: int, action) -> None:
    """Call action(n, due) at its scheduled time, at most `limit` at once, for `duration` seconds."""
    if rate <= 0:
        return
    gate = asyncio.Semaphore(limit)
    tasks = set()

    async def one(n: int, due: float) -> None:
        async with gate:
            await action(n, due)

    n = 0
    while True:
        due = start + n / rate
        if due - start >= duration:
            break
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        task = asyncio.create_task(one(n, due))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
        n += 1
    if tasks:
        await asyncio.wait(tasks, timeout=120)


async def edit_room(port: int, info: dict, run: Run, at: float) -> None:
    await asyncio.sleep(max(0.0, at - time.perf_counter()))
    pool = Pool("127.0.0.1", port)
    body = json.dumps({"name": NEW_ROOM_NAME}).encode()
    headers = {"Authorization": f"Bearer {info['token']}", "Content-Type": "application/json"}
    run.edit_sent = time.perf_counter()
    answer = await pool.request(
        "PATCH", f"/api/v1/events/{CODE}/rooms/{info['room_id']}", body, headers
    )
    if answer.status != 200:
        raise SystemExit(f"the organiser's edit failed: HTTP {answer.status} {answer.body[:200]!r}")
    run.edit_done = time.perf_counter()
    await pool.close()


async def mixed(port: int, info: dict, args: argparse.Namespace) -> Run:
    run = Run({name: Stream(name) for name in ("programme", "register", "checkin")})
    pools = {name: Pool("127.0.0.1", port) for name in run.streams}
    rng = random.Random(1)
    checkins = int(args.checkin_rate * args.duration)
    plan = run.plan = checkin_plan(info, checkins)
    start = time.perf_counter() + 0.2

    def registration_number(n: int) -> int:
        return n - 10 if n % 25 == 24 else n  # every 25th: someone submits the form again

    await asyncio.gather(
        open_loop(args.programme_rate, args.duration, start, 64,
                  lambda n, due: get_programme(pools["programme"], run.streams["programme"], run, due, rng)),
        open_loop(args.registration_rate, args.duration, start, 32,
                  lambda n, due: post_registration(pools["register"], run.streams["register"], run, due,
                                                   registration_number(n), info)),
        open_loop(args.checkin_rate, args.duration, start, 16,
                  lambda n, due: post_checkin(pools["checkin"], run.streams["checkin"], run, due, plan[n], info)),
        edit_room(port, info, run, start + args.duration / 2),
    )  # fmt: skip
    run.wall = time.perf_counter() - start
    for name, pool in pools.items():
        run.streams[name].notes["retried on a new connection"] = pool.retries
        await pool.close()
    return run


async def programme_only(port: int, args: argparse.Namespace) -> Run:
    run = Run({"programme": Stream("programme")})
    rng = random.Random(1)
    start = time.perf_counter()
    end = start + args.duration

    async def client() -> None:
        pool = Pool("127.0.0.1", port)
        while time.perf_counter() < end:
            await get_programme(pool, run.streams["programme"], run, time.perf_counter(), rng)
        stream = run.streams["programme"]
        stream.notes["retried on a new connection"] = (
            stream.notes.get("retried on a new connection", 0) + pool.retries
        )
        await pool.close()

    await asyncio.gather(*(client() for _ in range(args.connections)))
    run.wall = time.perf_counter() - start
    return run


async def warm_up(port: int, workers: int) -> None:
    """Each worker renders the page once per language: the figures are of a running site."""
    pool = Pool("127.0.0.1", port)
    for _ in range(4 * workers):
        for language in ("fr", "en", "de"):
            await pool.request("GET", PROGRAMME_PATH, headers={"Accept-Language": language})
    await pool.close()


# ------------------------------------------------------------------ end state


def check_end_state(db_url: str, info: dict, run: Run, preregistered: int) -> list[str]:
    """What must hold whatever the load: returns the problems found."""
    problems: list[str] = []
    with psycopg.connect(plain_url(db_url)) as conn:
        rows = conn.execute(
            "SELECT email_key, status, ticket FROM registrations WHERE event_id = %s",
            (info["event_id"],),
        ).fetchall()
        new = len(rows) - preregistered
        acknowledged = len(run.registered)
        if not acknowledged <= new <= acknowledged + run.registration_failures:
            problems.append(f"{new} new registrations stored for {acknowledged} acknowledged")
        duplicates = [k for k, n in Counter(r[0] for r in rows).items() if n > 1]
        if duplicates:
            problems.append(f"duplicate registrations: {duplicates[:5]}")
        holding = sum(1 for r in rows if r[1] in ("confirmed", "pending"))
        if holding > info["event_capacity"]:
            problems.append(f"event overbooked: {holding} > {info['event_capacity']}")
        if holding < min(len(rows), info["event_capacity"]):
            problems.append(
                f"places left empty while people wait: {holding} < {min(len(rows), info['event_capacity'])}"
            )
        if len({r[2] for r in rows}) != len(rows):
            problems.append("two registrations share a ticket")
        for session_id, capacity in info["capacities"].items():
            seats, waiting = conn.execute(
                "SELECT count(*) FILTER (WHERE status = 'confirmed'), count(*) FILTER (WHERE status = 'waitlisted') "
                "FROM registration_choices WHERE session_id = %s",
                (session_id,),
            ).fetchone()
            if seats > capacity:
                problems.append(f"session {session_id} overbooked: {seats} > {capacity}")
            if waiting and seats < capacity:
                problems.append(
                    f"session {session_id} has free seats ({seats}/{capacity}) but {waiting} waiting"
                )

        counted = dict(
            conn.execute(
                "SELECT registration_id, count(*) FROM checkins WHERE event_id = %s AND result = 'ok' "
                "GROUP BY registration_id",
                (info["event_id"],),
            ).fetchall()
        )
        twice = [rid for rid, n in counted.items() if n > 1]
        if twice:
            problems.append(f"people counted in twice: {twice[:5]}")
        answered_ok = set(run.ok_answers)
        if any(n > 1 for n in run.ok_answers.values()):
            problems.append("a desk was told 'ok' twice for the same person")
        if not answered_ok <= set(counted):
            problems.append(f"'ok' answers not recorded: {sorted(answered_ok - set(counted))[:5]}")
        planned = {scan[0] for scan in run.plan}
        if not set(counted) <= planned:
            problems.append("check-ins recorded for people nobody scanned")
        if not run.checkin_failures and not (answered_ok == run.scanned == set(counted)):
            problems.append(
                f"{len(run.scanned)} people scanned, {len(answered_ok)} answered 'ok', {len(counted)} recorded"
            )
        nonces = conn.execute(
            "SELECT count(*), count(DISTINCT nonce) FROM checkins WHERE event_id = %s",
            (info["event_id"],),
        ).fetchone()
        if (
            nonces[0] != nonces[1]
            or not len(run.nonces_answered)
            <= nonces[0]
            <= len(run.nonces_answered) + run.checkin_failures
        ):
            problems.append(
                f"{nonces[0]} scans recorded for {len(run.nonces_answered)} distinct scans answered"
            )
        stale = conn.execute("SELECT name FROM rooms WHERE id = %s", (info["room_id"],)).fetchone()
        if run.edit_done is not None and stale[0] != NEW_ROOM_NAME:
            problems.append("the organiser's edit was not stored")
    return problems


# ------------------------------------------------------------------ main


def report(run: Run, client_cpu: float, server: float, database: float) -> None:
    print(HEADER_LINE)
    for stream in run.streams.values():
        print(stream.line(run.wall))
    for stream in run.streams.values():
        if stream.notes:
            print(
                f"  {stream.name}: "
                + ", ".join(f"{k} {v}" for k, v in sorted(stream.notes.items()))
            )
        if stream.errors:
            print(
                f"  {stream.name} errors: "
                + ", ".join(f"{k} ×{v}" for k, v in sorted(stream.errors.items()))
            )
    answered = sum(len(stream.latencies) + stream.error_count for stream in run.streams.values())
    print(
        f"wall {run.wall:.1f} s; CPU: gunicorn {server:.1f} s ({1000 * server / max(answered, 1):.1f} ms "
        f"per request), PostgreSQL backends {database:.1f} s, this client {client_cpu:.1f} s; "
        f"{(server + database + client_cpu) / run.wall:.2f} of the 2 cores"
    )


def redis_cleanup(redis_url: str, db_url: str, queue: str) -> None:
    """Remove this run's page-cache entries and job keys from Redis."""
    try:
        import hashlib

        from redis import Redis
        from sqlalchemy.engine import make_url

        from eventsys import cache

        database = make_url(db_url).render_as_string(hide_password=True)
        scope = hashlib.sha256(f"{database}|{cache._release()}".encode()).hexdigest()[:16]
        client = Redis.from_url(redis_url)
        for pattern in (f"eventsys:page:{scope}:*", f"*{queue}*"):
            keys = list(client.scan_iter(pattern))
            if keys:
                client.delete(*keys)
        client.close()
    except Exception as error:  # noqa: BLE001 - cleaning up must not hide the figures
        print(f"(Redis keys not cleaned: {error})")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--only", choices=["programme"], help="programme page alone, closed loop")
    parser.add_argument(
        "--duration", type=float, default=None, help="seconds of load (30 mixed, 20 programme)"
    )
    parser.add_argument(
        "--programme-rate", type=float, default=300.0, help="programme views per second"
    )
    parser.add_argument(
        "--registration-rate", type=float, default=25.0, help="registrations per second"
    )
    parser.add_argument("--checkin-rate", type=float, default=10.0, help="badge scans per second")
    parser.add_argument(
        "--connections", type=int, default=8, help="--only programme: clients at once"
    )
    parser.add_argument(
        "--preregistered", type=int, default=None, help="people registered before (badges to scan)"
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--threads", type=int, default=4,
        help="gunicorn threads per worker (EVENTSYS_THREADS; >1: gthread workers, keep-alive)",
    )  # fmt: skip
    parser.add_argument(
        "--admin-url",
        default=os.environ.get("BENCH_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
    )
    parser.add_argument(
        "--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
    )
    parser.add_argument(
        "--no-redis", action="store_true", help="no Redis: in-process page cache and limits"
    )
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args()
    args.duration = args.duration or (20.0 if args.only else 30.0)
    checkins = 0 if args.only else int(args.checkin_rate * args.duration)
    new_registrations = 0 if args.only else int(args.registration_rate * args.duration)
    preregistered = args.preregistered or max(50, checkins + 50)

    name = f"bench_load_{os.getpid()}"
    db_url = create_database(args.admin_url, name)
    log = Path(f"/tmp/{name}.gunicorn.log")
    env = {
        "EVENTSYS_DATABASE_URL": db_url,
        "EVENTSYS_SECRET_KEY": SECRET_KEY,
        "EVENTSYS_BASE_URL": "http://127.0.0.1",
        "EVENTSYS_RATELIMIT_ENABLED": "false",
        "EVENTSYS_MAIL_BACKEND": "log",
        "EVENTSYS_MAIL_SEND_AFTER_REQUEST": "false",
        "EVENTSYS_JOBS_QUEUE": name,
    }
    if not args.no_redis:
        env["EVENTSYS_REDIS_URL"] = args.redis_url
    process = None
    try:
        started = time.perf_counter()
        info = seed(db_url, preregistered, new_registrations)
        print(f"seeded in {time.perf_counter() - started:.1f} s: {preregistered} people registered, "
              f"event capacity {info['event_capacity']}")  # fmt: skip
        port = free_port()
        process = start_gunicorn(port, args.workers, args.threads, log, env)
        asyncio.run(warm_up(port, args.workers))
        redis = "no Redis" if args.no_redis else f"Redis {args.redis_url}"
        label = f"gunicorn -w {args.workers}" + (
            f" --threads {args.threads}" if args.threads > 1 else ""
        )
        cpu_before = cpu_seconds()
        server_before, database_before = server_cpu(process.pid), database_cpu(args.admin_url, name)
        if args.only:
            print(f"{label}, PostgreSQL, {redis}; programme page, {args.connections} clients, "
                  f"closed loop for {args.duration:g} s")  # fmt: skip
            run = asyncio.run(programme_only(port, args))
        else:
            print(f"{label}, PostgreSQL, {redis}; open loop for {args.duration:g} s: programme "
                  f"{args.programme_rate:g}/s, registrations {args.registration_rate:g}/s, "
                  f"check-ins {args.checkin_rate:g}/s, a room renamed halfway")  # fmt: skip
            run = asyncio.run(mixed(port, info, args))
        client_cpu = cpu_seconds() - cpu_before
        server = server_cpu(process.pid) - server_before
        database = database_cpu(args.admin_url, name) - database_before
    except BaseException:
        if process is not None:
            stop(process)
            process = None
        if not args.keep:
            drop_database(args.admin_url, name)
        raise
    finally:
        if process is not None:
            stop(process)
    report(run, client_cpu, server, database)
    problems = [] if args.only else check_end_state(db_url, info, run, preregistered)
    errors = sum(stream.error_count for stream in run.streams.values())
    if not args.only:
        print("end state: " + ("OK (no overbooking, no duplicate registration, waiting lists only when full, "
                               "every check-in recorded once, edit visible at once)" if not problems
                               else "; ".join(problems)))  # fmt: skip
    if not args.no_redis:
        redis_cleanup(args.redis_url, db_url, name)
    if args.keep:
        print(f"database kept: {db_url}")
    else:
        drop_database(args.admin_url, name)
    missed = []
    if errors:
        missed.append(f"{errors} errors (see {log})")
    programme = run.streams["programme"]
    if args.only:
        rate = len(programme.latencies) / run.wall if run.wall else 0.0
        if rate < TARGET_PROGRAMME_RATE:
            missed.append(f"programme {rate:.0f}/s < {TARGET_PROGRAMME_RATE:.0f}/s")
        if programme.latencies and programme.p(95) > TARGET_PROGRAMME_P95_MS:
            missed.append(
                f"programme p95 {programme.p(95):.0f} ms > {TARGET_PROGRAMME_P95_MS:.0f} ms"
            )
    print("targets: " + ("met" if not missed else "missed: " + ", ".join(missed)))
    return 1 if problems or missed else 0


if __name__ == "__main__":
    sys.exit(main())
