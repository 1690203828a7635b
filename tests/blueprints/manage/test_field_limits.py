"""One source of truth for text limits: the form's maxlength, the form's and the API's checks and the
server's registration checks all equal the database column's length."""

from __future__ import annotations

import re

import pytest
from marshmallow import validate
from wtforms.validators import AnyOf, Length, Regexp

from eventsys.blueprints.api import schemas
from eventsys.blueprints.manage import forms as manage_forms
from eventsys.models import Event, ProgrammeSession, Room, Speaker, Track
from eventsys.models.registration import Registration
from eventsys.services import registration as reg

PAIRS = [
    (manage_forms.EventForm, schemas.EventInSchema, Event),
    (manage_forms.RoomForm, schemas.RoomInSchema, Room),
    (manage_forms.SpeakerForm, schemas.SpeakerInSchema, Speaker),
    (manage_forms.TrackForm, schemas.TrackInSchema, Track),
    (manage_forms.SessionForm, schemas.SessionInSchema, ProgrammeSession),
]
ALIASES = {"code": "code_display"}  # typed as printed ("Z26IN 001"), stored canonical too


def _limited_columns(model) -> dict[str, int]:
    return {
        column.key: column.type.length
        for column in model.__table__.columns
        if getattr(column.type, "length", None)
    }


def _column(name: str, columns: dict[str, int]) -> int | None:
    return columns.get(ALIASES.get(name, name))


@pytest.mark.parametrize(("form_class", "schema_class", "model"), PAIRS, ids=lambda p: getattr(p, "__name__", ""))
def test_forms_and_api_schemas_take_their_limits_from_the_columns(app, form_class, schema_class, model):
    columns = _limited_columns(model)
    with app.test_request_context("/"):
        form = form_class(meta={"csrf": False})
        checked = 0
        for field in form:
            length = _column(field.name, columns)
            if length is None or field.type not in ("StringField", "EmailField", "TextAreaField"):
                continue
            if any(isinstance(v, Regexp | AnyOf) for v in field.validators):
                continue  # a code or a colour: its pattern bounds it
            limits = [v.max for v in field.validators if isinstance(v, Length)]
            assert limits == [length], (form_class.__name__, field.name, limits, length)
            assert f'maxlength="{length}"' in field(), (form_class.__name__, field.name)
            checked += 1
        assert checked, form_class.__name__
    checked = 0
    for name, field in schema_class().fields.items():
        length = _column(name, columns)
        if length is None:
            continue
        validators = field.validators if isinstance(field.validators, list) else [field.validators]
        if any(isinstance(v, validate.OneOf | validate.Regexp) for v in validators) or not isinstance(
            field, schemas.fields.String
        ):
            continue  # a choice from a list or a pattern: bounded by it
        limits = [v.max for v in validators if isinstance(v, validate.Length)]
        assert limits == [length], (schema_class.__name__, name, limits, length)
        checked += 1
    assert checked, schema_class.__name__


def test_the_registration_form_says_the_limit_the_server_checks(client, make_event, app):
    from eventsys.services import programme
    from tests.registration.helpers import FUTURE

    event = make_event(start_date=FUTURE, end_date=FUTURE)
    programme.publish_event(event)
    from eventsys.extensions import db

    db.session.commit()
    html = client.get(f"/e/{event.code}/register").get_data(as_text=True)
    for name, column in (("first_name", Registration.first_name), ("last_name", Registration.last_name),
                         ("organisation", Registration.organisation), ("job_title", Registration.job_title)):  # fmt: skip
        length = column.property.columns[0].type.length
        found = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
        assert found, name
        tag = found.group(0)
        assert f'maxlength="{length}"' in tag, tag
    assert reg.NAME_MAX == Registration.first_name.property.columns[0].type.length == 100
    too_long = "A" * (reg.NAME_MAX + 1)
    response = client.post(f"/e/{event.code}/register", data={
        "first_name": too_long, "last_name": "Martin", "email": "a@b.fr", "organisation": "Ville",
        "language": "fr", "consent": "y"})  # fmt: skip
    assert response.status_code == 422
    assert "ne doit pas dépasser 100 caractères (101 saisis)" in response.get_data(as_text=True)
