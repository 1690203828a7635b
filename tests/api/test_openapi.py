"""The OpenAPI document is generated from the code, valid, and documents every operation."""

from __future__ import annotations

import json

import jsonschema
import pytest

METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture
def spec(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return response.get_json()


def _resolve(spec: dict, ref: str):
    node = spec
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node


def _refs(node):
    if isinstance(node, dict):
        if "$ref" in node:
            yield node["$ref"]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def _operations(spec: dict):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


def test_document_is_valid_openapi_3(spec):
    from schemathesis.specs.openapi.definitions import OPENAPI_30

    assert spec["openapi"].startswith("3.0")
    errors = sorted(
        jsonschema.Draft4Validator(OPENAPI_30).iter_errors(spec), key=lambda e: list(e.path)
    )
    assert [f"{list(e.path)}: {e.message}" for e in errors] == []
    unresolved = {ref for ref in _refs(spec) if not ref.startswith("#/")}
    assert unresolved == set()
    for ref in set(_refs(spec)):
        assert _resolve(spec, ref) is not None, ref


def test_schemathesis_accepts_the_document(app):
    import schemathesis

    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    schema.validate()
    operations = {
        (op.method.upper(), op.path)
        for op in (result.ok() for result in schema.get_all_operations())
    }
    assert ("POST", "/api/v1/events/{code}/sessions") in operations


def test_bearer_security_scheme(spec):
    assert spec["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": spec["components"]["securitySchemes"]["bearerAuth"]["description"],
    }
    assert spec["security"] == [{"bearerAuth": []}]


def test_every_operation_is_documented(spec):
    problems = []
    for path, method, operation in _operations(spec):
        where = f"{method.upper()} {path}"
        if not operation.get("summary"):
            problems.append(f"{where}: no summary")
        if operation.get("security") != [{"bearerAuth": []}]:
            problems.append(f"{where}: not secured by bearerAuth")
        responses = operation["responses"]
        success = [code for code in responses if code.startswith("2")]
        if not success:
            problems.append(f"{where}: no success response")
        for code in success:
            if code != "204" and "content" not in responses[code]:
                problems.append(f"{where}: {code} has no schema")
        for code in ("401", "429", "default"):
            if code not in responses:
                problems.append(f"{where}: {code} not documented")
        if "{code}" in path and not {"403", "404"} <= set(responses):
            problems.append(f"{where}: 403/404 not documented")
        if method in ("post", "put", "patch") and "requestBody" in operation:
            if not {"400", "415", "422"} <= set(responses):
                problems.append(f"{where}: body errors not documented")
            body = operation["requestBody"]["content"]["application/json"]["schema"]
            if "$ref" not in body:
                problems.append(f"{where}: request body has no named schema")
    assert problems == []
    assert len(list(_operations(spec))) >= 24


def test_errors_are_documented_with_the_real_shape(spec, api, event):
    error = spec["components"]["schemas"]["Error"]
    assert error["required"] == ["error"]
    body = _resolve(spec, error["properties"]["error"]["$ref"])
    assert set(body["required"]) == {"code", "message"}
    assert set(body["properties"]) == {"code", "message", "details"}
    # and a real error matches it
    actual = api.post("/events/Z26IN001/rooms", {"nom": "x"}).get_json()
    resolved = {**error, "properties": {"error": body}}
    jsonschema.validate(actual, resolved)


def test_session_fields_are_described(spec):
    session_in = spec["components"]["schemas"]["SessionIn"]
    assert set(session_in["required"]) == {"title", "starts_at", "ends_at"}
    assert session_in["properties"]["starts_at"]["format"] == "date-time"
    assert "talk" in session_in["properties"]["type"]["enum"]
    assert session_in["additionalProperties"] is False
    assert "required" not in spec["components"]["schemas"]["SessionPatch"]



def test_the_document_is_the_one_described_at_registration(app, client, monkeypatch):
    """The operations are described when the document is first read, not when the app is made
    (that is most of what making an app costs): the document must not change by it."""
    from flask_smorest import Api

    from eventsys import create_app
    from eventsys.blueprints.api import EventsysApi

    printed = app.test_cli_runner().invoke(args=["openapi", "print"])  # read first by the CLI
    assert printed.exit_code == 0, printed.output
    described_late = client.get("/api/v1/openapi.json").data
    assert json.loads(printed.output) == json.loads(described_late)

    # flask-smorest's own registration describes each blueprint's views as it registers it
    monkeypatch.setattr(EventsysApi, "register_blueprint", Api.register_blueprint)
    # … and registers its default responses and headers when the app is made
    for name in ("_register_responses", "_register_etag_headers", "_register_pagination_header"):
        monkeypatch.setattr(EventsysApi, name, getattr(Api, name))
    other = create_app(app.config)
    assert other.test_client().get("/api/v1/openapi.json").data == described_late
    # each app serves its own document, also once another app was made in the process
    assert client.get("/api/v1/openapi.json").data == described_late
