"""Coordinators: granted by an administrator, they search by language pair, level, role, topic
and region and export CSV; visible members browse each other; everyone else is refused."""

from __future__ import annotations

import csv
import io

import pytest

from eventsys.extensions import db
from eventsys.services.directory import profiles
from tests.directory.conftest import text

ROUTES = ["/directory/", "/directory/export.csv", "/directory/invite", "/directory/coordinators"]


@pytest.fixture
def people(make_profile):
    return {
        "ada": make_profile(email="ada@example.org", first_name="Ada", last_name="Weber", region="FR-GES",
                            languages=[("fr", "native"), ("de", "C1")], roles=["translation"], topics=["water"],
                            visibility="members", show_email=True),
        "bruno": make_profile(email="bruno@example.org", first_name="Bruno", last_name="Costa", region="FR-974",
                              languages=[("fr", "native"), ("de", "B1"), ("pt", "native")], roles=["interpreting"],
                              topics=["sdg11"], visibility="members"),
        "chiara": make_profile(email="chiara@example.org", first_name="Chiara", last_name="Neri",
                               languages=[("it", "native"), ("de", "C2")], roles=["translation", "hosting"],
                               visibility="coordinators"),
    }  # fmt: skip


def _names(page: str) -> list[str]:
    return [name for name in ("Ada Weber", "Bruno Costa", "Chiara Neri") if name in page]


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ({"language": "de", "role": "translation"}, ["Ada Weber", "Chiara Neri"]),
        ({"language": "de", "other_language": "fr", "min_level": "C1"}, ["Ada Weber"]),
        ({"language": "de"}, ["Ada Weber", "Bruno Costa", "Chiara Neri"]),
        ({"region": "FR-974"}, ["Bruno Costa"]),
        ({"topic": "water"}, ["Ada Weber"]),
        ({"topic": "sdg1"}, []),  # Bruno's "sdg11" is another goal
        ({"role": "hosting"}, ["Chiara Neri"]),
        ({"language": "pt", "role": "translation"}, []),
    ],
)
def test_a_coordinator_searches_the_directory(client_as, coordinator, people, query, found):
    page = text(client_as(coordinator).get("/directory/", query_string=query))
    assert _names(page) == found


def test_the_csv_export_follows_the_search(client_as, coordinator, people):
    response = client_as(coordinator).get(
        "/directory/export.csv", query_string={"language": "de", "role": "translation"}
    )
    assert response.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Prénom", "Nom", "E-mail"]
    assert [row[2] for row in rows[1:]] == ["chiara@example.org", "ada@example.org"]  # by last name
    assert "allemand (C1)" in rows[2][6]


def test_an_administrator_grants_and_withdraws_the_role(client_as, make_user, people):
    admin, user = make_user(is_admin=True), make_user(email="claire@example.org")
    assert client_as(user).get("/directory/").status_code == 403
    assert "Annuaire" not in text(client_as(user).get("/manage/"))
    admin_client = client_as(admin)
    assert (
        admin_client.post(
            "/directory/coordinators", data={"email": "inconnu@example.org"}
        ).status_code
        == 422
    )
    assert (
        admin_client.post(
            "/directory/coordinators", data={"email": "claire@example.org"}
        ).status_code
        == 302
    )
    coordinator = client_as(user)
    assert "Annuaire" in text(coordinator.get("/manage/"))
    assert _names(text(coordinator.get("/directory/"))) == [
        "Ada Weber",
        "Bruno Costa",
        "Chiara Neri",
    ]
    assert admin_client.post(f"/directory/coordinators/{user.id}/revoke").status_code == 302
    assert client_as(user).get("/directory/").status_code == 403


@pytest.mark.parametrize("who", ["anonymous", "no-role", "organiser", "coordinator", "admin"])
def test_authorisation_of_every_coordinator_route(
    app, client_as, make_user, coordinator, people, who
):
    """Anonymous: login first; accounts without the role: 403 and nothing changes; coordinators
    reach the directory but not the administrators' page."""
    user = {"anonymous": None, "no-role": make_user(), "organiser": make_user(platform_role="organiser"),
            "coordinator": coordinator, "admin": make_user(is_admin=True)}[who]  # fmt: skip
    client = client_as(user)
    rules = [
        r
        for r in app.url_map.iter_rules()
        if r.endpoint
        in (
            "directory.search",
            "directory.export",
            "directory.invite",
            "directory.coordinators",
            "directory.revoke",
        )
    ]
    assert len(rules) == 5
    for rule in rules:
        path = rule.rule.replace("<int:user_id>", str(coordinator.id))
        for method in sorted(rule.methods & {"GET", "POST"}):
            before = (db.session.execute(db.text("select count(*) from directory_coordinators")).scalar(),
                      db.session.execute(db.text("select count(*) from directory_profiles")).scalar())  # fmt: skip
            response = client.open(
                path,
                method=method,
                data={
                    "email": "x@example.org",
                    "first_name": "X",
                    "last_name": "Y",
                    "language": "fr",
                },
            )
            admin_only = rule.endpoint in ("directory.coordinators", "directory.revoke")
            if who == "anonymous":
                assert response.status_code == 302, path
                assert "/auth/login" in response.headers["Location"], path
            elif who in ("no-role", "organiser") or (who == "coordinator" and admin_only):
                assert response.status_code == 403, (who, method, path)
            else:
                # reached: done, or refused for the data sent (an unknown account), never for the role
                assert response.status_code in (200, 302, 422), (
                    who,
                    method,
                    path,
                    response.status_code,
                )
                continue
            after = (db.session.execute(db.text("select count(*) from directory_coordinators")).scalar(),
                     db.session.execute(db.text("select count(*) from directory_profiles")).scalar())  # fmt: skip
            assert after == before, (who, method, path)


def test_visible_members_browse_each_other_without_hidden_addresses(client, people, request_ctx):
    page = text(client.get(f"/directory/p/{profiles.profile_token(people['bruno'])}/members"))
    assert _names(page) == ["Ada Weber"]  # Chiara shows herself to coordinators only
    assert "ada@example.org" in page  # Ada allowed it
    page = text(client.get(f"/directory/p/{profiles.profile_token(people['ada'])}/members"))
    assert _names(page) == ["Bruno Costa"]
    assert "bruno@example.org" not in page
    assert "non communiqué" in page
    hidden = client.get(f"/directory/p/{profiles.profile_token(people['chiara'])}/members")
    assert hidden.status_code == 403
    assert _names(text(hidden)) == []
