"""Shared helpers for the exports tests: sample programmes and the two schedule validators."""

from __future__ import annotations

import json
import os
import subprocess
import uuid
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import jsonschema
import pytest
from lxml import etree

from eventsys.render.export_data import EventData, RoomData, SessionData, SpeakerPart, TrackData

# Our own sample files (written for this project) and the two public schemas they are checked against.
FORMATS = Path(__file__).resolve().parents[1] / "fixtures" / "formats"
# Optional extra run: real exports from other tools, kept outside the repository (../shared/formats
# beside the clone, or wherever EVENTSYS_SHARED_FORMATS points). Tests that use it skip when absent.
SHARED_FORMATS = Path(
    os.environ.get("EVENTSYS_SHARED_FORMATS") or Path(__file__).resolve().parents[2].parent / "shared" / "formats"
)
LONG_ABSTRACT = " ".join(f"mot{i:04d}" for i in range(380))  # about 3,000 characters, every word unique


def shared_file(name: str) -> Path:
    """A real file from another tool, or a skip saying where it was looked for."""
    path = SHARED_FORMATS / name
    if not path.is_file():
        pytest.skip(f"optional run over real files from other tools: {path} not found "
                    "(put the reference corpus beside the clone as ../shared/formats or set EVENTSYS_SHARED_FORMATS)")
    return path


SHARED_SAMPLES = frozenset({"debconf23.xml", "pretalx-democon.json", "frab-camp2019.json"})


def sample(name: str) -> bytes:
    """A schedule file by name: ours from tests/fixtures/formats, or one of the optional shared ones."""
    return (shared_file(name) if name in SHARED_SAMPLES else FORMATS / name).read_bytes()


@cache
def xsd() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(FORMATS / "schedule.xml.xsd")))


@cache
def json_validator() -> jsonschema.Validator:
    schema = json.loads((FORMATS / "schema.json").read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def assert_valid_xml(body: bytes) -> etree._Element:
    root = etree.fromstring(body)
    schema = xsd()
    assert schema.validate(root), schema.error_log
    return root


def assert_valid_json(body: bytes) -> dict:
    document = json.loads(body)
    errors = [f"{list(e.path)}: {e.message}" for e in json_validator().iter_errors(document)]
    assert not errors, errors[:5]
    return document


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "programme.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def small_event(tz: str = "Europe/Paris", start: date = date(2026, 3, 28), days: int = 3) -> EventData:
    """Three days across the change to summer time in Paris: 10:00 each day, plus a cancelled talk."""
    zone = ZoneInfo(tz)
    room_a = RoomData(1, "Salle Émile-Zola", 80, "Rez-de-chaussée", True)
    room_b = RoomData(2, "Amphi; B, étage", 200, "", False)
    track = TrackData(1, "Eau & assainissement", "#1f5f99")
    camille = SpeakerPart(1, "Camille Durand", "moderator", "directrice", "CNFPT", True)
    jean = SpeakerPart(2, "Jean Martin", "speaker", "ingénieur", "Ville de Fort-de-France")
    sessions = []
    for n in range(days):
        day = start + timedelta(days=n)
        begins = datetime.combine(day, datetime.min.time(), zone).replace(hour=10)
        sessions.append(SessionData(
            id=n + 1, guid=str(uuid.UUID(int=n + 1)), title=f"Atelier du jour {n + 1}, réseaux; eau",
            starts_at=begins.astimezone(UTC), ends_at=(begins + timedelta(minutes=90)).astimezone(UTC),
            type="workshop", room=room_a if n % 2 == 0 else room_b, track=track if n == 0 else None,
            description="Présentation des retours d'expérience.\nDeuxième ligne.", sequence=n,
            speakers=(camille, jean), created_at=datetime(2026, 1, 1, tzinfo=UTC),
            updated_at=datetime(2026, 1, 2, tzinfo=UTC),
            url=f"https://events.example.org/e/Z26IN001/programme#session-{n + 1}",
        ))  # fmt: skip
    cancelled_start = datetime.combine(start, datetime.min.time(), zone).replace(hour=14)
    sessions.append(SessionData(
        id=99, guid=str(uuid.UUID(int=99)), title="Exposé annulé", starts_at=cancelled_start.astimezone(UTC),
        ends_at=(cancelled_start + timedelta(hours=1)).astimezone(UTC), type="talk", room=room_a,
        cancelled=True, sequence=4, url="https://events.example.org/e/Z26IN001/programme#session-99",
    ))  # fmt: skip
    return EventData(
        code="Z26IN001", code_display="Z26IN 001", title="Journée d'actualité <eau> & réseaux",
        start_date=start, end_date=start + timedelta(days=days - 1), timezone=tz,
        venue_name="Hôtel de région", venue_address="1 place de la Mairie\n97200 Fort-de-France",
        url="https://events.example.org/e/Z26IN001", rooms=(room_a, room_b), tracks=(track,),
        sessions=tuple(sessions),
    )  # fmt: skip


def big_event(sessions: int = 300, days: int = 3, rooms: int = 10) -> EventData:
    """A conference of `days` days and `rooms` parallel rooms; one session in ten has a long abstract."""
    zone = ZoneInfo("Europe/Paris")
    start = date(2026, 10, 6)
    room_list = tuple(RoomData(i + 1, f"Salle {i + 1}", 50) for i in range(rooms))
    tracks = tuple(TrackData(i + 1, f"Thème {i + 1}") for i in range(3))
    per_day = -(-sessions // days)
    made = []
    for n in range(sessions):
        day, rest = divmod(n, per_day)
        slot, room = divmod(rest, rooms)
        begins = datetime.combine(start + timedelta(days=day), datetime.min.time(), zone) + timedelta(
            hours=8, minutes=40 * slot
        )
        speakers = tuple(
            SpeakerPart(k + 1, f"Personne{k + 1:03d} Nom", ("speaker", "moderator")[k % 2], "chargée de mission",
                        f"Organisme {k}", k % 5 == 0)
            for k in ((n * 3) % 120, (n * 3 + 1) % 120)
        )
        made.append(SessionData(
            id=n + 1, guid=str(uuid.UUID(int=n + 1)), title=f"Titre{n + 1:03d} gestion patrimoniale",
            starts_at=begins.astimezone(UTC), ends_at=(begins + timedelta(minutes=35)).astimezone(UTC),
            type=("talk", "workshop", "plenary")[n % 3], room=room_list[room], track=tracks[n % 3],
            description=LONG_ABSTRACT if n % 10 == 0 else "Résumé court de la session.",
            speakers=speakers, cancelled=n == 7,
        ))  # fmt: skip
    return EventData(
        code="RNIT26", code_display="RNIT 26", title="Rencontres nationales de l'ingénierie territoriale",
        kind="conference", start_date=start, end_date=start + timedelta(days=days - 1),
        venue_name="Centre des congrès", venue_address="1 esplanade\n67000 Strasbourg",
        access_notes="Tram A, arrêt Wacken.", rooms=room_list, tracks=tracks, sessions=tuple(made),
    )  # fmt: skip
