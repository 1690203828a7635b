"""The head's form and private link, and the organiser's pages, through HTTP."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from eventsys.models.delegation import Delegation
from tests.conftest import login


def form_data(html: str, members: list[dict[str, str]], **kw: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Commune de Liège", "country": "BE", "institution": "ARDIC",
        "head_first_name": "Marie", "head_last_name": "Dubois", "head_email": "marie@ardic.be", "head_language": "fr",
        "consent": "y", **kw,
    }  # fmt: skip
    for i, member in enumerate(members):
        for key, value in member.items():
            data[f"members-{i}-{key}"] = value
    return data


PEOPLE = [
    {
        "first_name": "Lucas",
        "last_name": "Peeters",
        "email": "lucas@liege.be",
        "language": "fr",
        "role": "elected",
    },
    {
        "first_name": "Emma",
        "last_name": "Janssens",
        "email": "",
        "language": "de",
        "role": "engineer",
    },
]


def test_head_registers_then_adds_replaces_and_removes_members(client, db, forum):
    event = forum()
    page = client.get(f"/e/{event.code}/delegations/new")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'for="members-0-first_name"' in html
    assert "Belgique" in html
    response = client.post(f"/e/{event.code}/delegations/new", data=form_data(html, PEOPLE))
    assert response.status_code == 302, response.get_data(as_text=True)
    head = client.get(response.headers["Location"])
    text = head.get_data(as_text=True)
    assert head.headers["Cache-Control"] == "no-store"
    assert "Lucas Peeters" in text
    assert "Emma Janssens" in text
    assert "Belgique" in text
    token = response.headers["Location"].rsplit("/", 1)[1]
    added = client.post(
        f"/d/{token}/members",
        data={
            "members-0-first_name": "Hugo",
            "members-0-last_name": "Lambert",
            "members-0-email": "hugo@liege.be",
            "members-0-language": "fr",
            "members-0-role": "interpreter",
        },
    )
    assert added.status_code == 302
    delegation = db.session.scalar(select(Delegation))
    emma = delegation.members[1]
    replaced = client.post(
        f"/d/{token}/members/{emma.id}/replace",
        data={
            "member-first_name": "Inès",
            "member-last_name": "Claes",
            "member-email": "",
            "member-language": "en",
            "member-role": "engineer",
        },
    )
    assert replaced.status_code == 302
    lucas = delegation.members[0]
    assert client.post(f"/d/{token}/members/{lucas.id}/remove", data={}).status_code == 302
    db.session.expire_all()
    text = client.get(f"/d/{token}").get_data(as_text=True)
    assert "Inès Claes" in text
    assert "Hugo Lambert" in text
    assert "Lucas Peeters" not in text


def test_form_errors_are_shown_next_to_the_fields_and_nothing_is_saved(client, db, forum):
    event = forum()
    html = client.get(f"/e/{event.code}/delegations/new").get_data(as_text=True)
    twice = [PEOPLE[0], dict(PEOPLE[0])]
    response = client.post(
        f"/e/{event.code}/delegations/new", data=form_data(html, twice, country="", consent="")
    )
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "Indiquez le pays de la délégation." in text
    assert "Lucas Peeters figure deux fois dans la délégation" in text
    assert "Votre accord est nécessaire" in text
    assert 'value="Lucas"' in text  # what was typed is kept
    assert db.session.scalar(select(Delegation)) is None


def test_a_tampered_head_link_says_so(client, forum):
    forum()
    response = client.get("/d/not-a-token")
    assert response.status_code == 404
    assert "pas valide" in response.get_data(as_text=True)


def test_organiser_registers_a_delegation_and_sees_the_overview(client, db, forum):
    event = forum()
    login(client, event.owner)
    html = client.get(f"/manage/events/{event.id}/delegations/new").get_data(as_text=True)
    data = form_data(html, PEOPLE, consent="", arrival_at="2030-01-01T09:30")
    response = client.post(f"/manage/events/{event.id}/delegations/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    overview = client.get(f"/manage/events/{event.id}/delegations").get_data(as_text=True)
    assert "Commune de Liège" in overview
    assert "Belgique" in overview
    assert "allemand" in overview
    detail = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "aucune (via le chef de délégation)" in detail


def test_the_organiser_prints_the_group_badges_and_waiting_members_get_none(client, db, forum):
    from eventsys.services import delegations as dl
    from tests.delegations.conftest import delegation_data

    event = forum(capacity=3)
    with client.application.test_request_context("/"):
        holding = dl.register_delegation(event, delegation_data(members=2), source="organiser")
        italians = [
            dl.MemberInput(first_name=f"Marco{c}", last_name="Rossi", email=f"m{c}@antel.it")
            for c in "ab"
        ]
        waiting = dl.register_delegation(
            event,
            delegation_data(italians, name="ANTEL", head_email="capo@antel.it", all_or_none=True),
            source="organiser",
        )
        db.session.commit()
    login(client, event.owner)
    pdf = client.get(f"/manage/events/{event.id}/delegations/{holding.id}/badges.pdf")
    assert pdf.status_code == 200
    assert pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF")
    none = client.get(
        f"/manage/events/{event.id}/delegations/{waiting.id}/badges.pdf", follow_redirects=True
    )
    assert "pas de badge à imprimer" in none.get_data(as_text=True)


def test_the_organiser_moves_the_deadline_and_the_head_link_follows_it(client, db, forum):
    from eventsys.services import delegations as dl
    from tests.delegations.conftest import delegation_data

    event = forum()
    with client.application.test_request_context("/"):
        delegation = dl.register_delegation(event, delegation_data(members=2), source="organiser")
        db.session.commit()
        token = dl.link_token(delegation)
    login(client, event.owner)
    url = f"/manage/events/{event.id}/delegations/{delegation.id}/arrangements"
    bad = client.post(url, data={"arrival_at": "2030-05-02T10:00", "departure_at": "2030-05-01T10:00"},
                      follow_redirects=True)  # fmt: skip
    assert "Le départ ne peut pas précéder" in bad.get_data(as_text=True)
    assert (
        client.post(
            url, data={"changes_until": "2020-01-01T12:00", "travel_notes": "TGV 9412"}
        ).status_code
        == 302
    )
    db.session.expire_all()
    assert delegation.travel_notes == "TGV 9412"
    head = client.get(f"/d/{token}").get_data(as_text=True)
    assert "La date limite des changements est passée" in head
    member = delegation.members[0].id
    refused = client.post(f"/d/{token}/members/{member}/remove")
    assert refused.status_code == 409
    assert "contactez les organisateurs" in refused.get_data(as_text=True)
    assert len(delegation.members) == 2
