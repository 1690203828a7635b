"""Property-based run of the whole API against its own OpenAPI document (schemathesis).

For every operation, schemathesis generates valid and invalid requests (its coverage and
fuzzing phases, deterministic, bounded) with an organiser's token for a seeded event, and
checks that no answer is a server error and that every answer, errors included, matches the
document (status, content type, schema), that invalid requests are refused and that the token
is really required.

The seeded objects have fixed ids, given to schemathesis as path parameters: random codes and
ids would only ever meet 404. Each operation runs on a fresh database; before each generated
request that changed something, the seed is put back (a DELETE or a renaming PATCH may
have removed it).
"""

from __future__ import annotations

from datetime import date, time

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from eventsys import create_app
from eventsys.extensions import db
from eventsys.models import ApiToken, Event, EventRole, ProgrammeSession, Room, Speaker, Track, User
from eventsys.services import programme

TOKEN = "evs_schemathesis-fixed-token-for-the-seeded-organiser"  # noqa: S105 - test data
CODE = "Z26IN001"
SEED_ID = 900_001  # far above what the sequences hand out during a test
MAX_EXAMPLES = 25
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
    ignored_auth,
]


def _load_schema():
    """The document as the app serves it, loaded at collection from a throwaway app.

    (`schemathesis.pytest.from_fixture` would load it from the test's own app, but it relies on
    a pytest internal that pytest 9 removed; each test sends its requests to its own app.)
    """
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "schemathesis", "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    )
    config = SchemathesisConfig.from_dict(
        {
            "seed": 20260625,
            "generation": {"deterministic": True, "max-examples": MAX_EXAMPLES, "mode": "all"},
            "phases": {"stateful": {"enabled": False}},
            "auth": {"openapi": {"bearerAuth": {"bearer": TOKEN}}},
            "parameters": {
                "path.code": CODE,
                "path.room_id": SEED_ID,
                "path.speaker_id": SEED_ID,
                "path.session_id": SEED_ID,
                "path.track_id": SEED_ID,
            },
            "warnings": False,
        }
    )
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, config=config)


schema = _load_schema()


def ensure_seed(organiser_id: int) -> None:
    """The event Z26IN 001 (two days) with room, speaker, track and session #900001."""
    db.session.rollback()
    event = db.session.get(Event, SEED_ID)
    if event is None:
        event = Event(id=SEED_ID)
        programme.save_event(
            event,
            {"title": "Journée voirie", "code": "Z26IN 001", "start_date": date(2026, 6, 25),
             "end_date": date(2026, 6, 26), "timezone": "Europe/Paris"},
            "{kind}{yy}EV {seq:03d}",
        )  # fmt: skip
        db.session.add(EventRole(event=event, user_id=organiser_id, role="organiser"))
    elif (event.code, event.start_date, event.end_date, event.timezone) != (
        CODE, date(2026, 6, 25), date(2026, 6, 26), "Europe/Paris"
    ):  # fmt: skip
        event.code, event.code_display = CODE, "Z26IN 001"
        event.start_date, event.end_date, event.timezone = (
            date(2026, 6, 25),
            date(2026, 6, 26),
            "Europe/Paris",
        )
    if db.session.get(Track, SEED_ID) is None:
        programme.save_track(event, Track(id=SEED_ID), {"name": "Ouvrages d'art"})
    room = db.session.get(Room, SEED_ID) or programme.save_room(
        event, Room(id=SEED_ID), {"name": "Salle A"}
    )
    speaker = db.session.get(Speaker, SEED_ID) or programme.save_speaker(
        event, Speaker(id=SEED_ID), {"name": "Camille Durand"}
    )
    if db.session.get(ProgrammeSession, SEED_ID) is None:
        programme.save_session(
            event,
            ProgrammeSession(id=SEED_ID),
            {"title": "Exposé", "type": "talk", "room_id": room.id},
            programme.local_to_utc(event, date(2026, 6, 25), time(10)),
            programme.local_to_utc(event, date(2026, 6, 25), time(11)),
            speakers=[(speaker.id, "speaker")],
        )
    db.session.commit()


@pytest.fixture
def app_config():
    # In memory: thousands of small commits, and no file to sync after each (PostgreSQL runs
    # keep their own database: conftest replaces the URI).
    return {"SQLALCHEMY_DATABASE_URI": "sqlite://"}


@pytest.fixture
def fuzz_organiser(app):
    """The account whose token (TOKEN, known in advance for schemathesis) organises the seed."""
    user = User(email="fuzz@example.org", password_hash="!", platform_role="organiser")  # noqa: S106 - never logs in
    db.session.add_all(
        [
            user,
            ApiToken(
                user=user, name="schemathesis", token_hash=ApiToken.hash(TOKEN), prefix=TOKEN[:12]
            ),
        ]
    )
    db.session.commit()
    ensure_seed(user.id)
    return user


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_has_no_server_error_and_keeps_its_contract(case, app, fuzz_organiser, caplog):
    caplog.clear()
    response = case.call_and_validate(app=app, checks=CHECKS)
    # A value the database refused is answered 422, not 500, but a schema should have caught it.
    refused = [r.getMessage() for r in caplog.records if "database refused" in r.getMessage()]
    assert refused == [], f"{case.method} {case.formatted_path}: validate this value in the schema"
    if case.method.upper() in ("DELETE", "PUT", "PATCH") and response.status_code < 300:
        ensure_seed(fuzz_organiser.id)  # it may have deleted or renamed what the next case needs
