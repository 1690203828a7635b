"""Finding 10, second half: the public form must not tell whether an address is registered.

A stranger submits the form twice, once with an address nobody registered and once with an address
that is already registered: both answers (status, redirect, headers, page) are the same, apart from
the CSRF token. The private link reaches only the mailbox of the address."""

from __future__ import annotations

import html as html_lib
import itertools
import re

import pytest
from flask import g

from tests.conftest import csrf_token_from
from tests.registration.helpers import outbox, page, person, private_link, registrations, slot_field

CSRF = re.compile(r'(name="csrf_token"[^>]*value=")[^"]*(")|(value=")[^"]*("[^>]*name="csrf_token")')
ADDRESSES = itertools.count(1)
NONCE = re.compile(r"nonce-[A-Za-z0-9_\-]+")  # the page's script nonce, drawn per request
# Drawn per request (Set-Cookie: compared by cookie name below; Content-Length follows the CSRF token).
VARYING_HEADERS = {"Date", "Set-Cookie", "Content-Length", "X-Request-ID", "X-RateLimit-Reset", "Retry-After"}


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True, "RATELIMIT_ENABLED": True}  # as in production: re-sends are limited


def _without_csrf(html: str) -> str:
    return NONCE.sub("nonce-", CSRF.sub(r"\1\2\3\4", html))


def _answer(app, event, data):
    """What a visitor of their own (fresh browser) sees: the form, the submission, where it leads."""
    g.pop("csrf_token", None)  # the tests' long-lived app context would hand this visitor the last one's token
    visitor = app.test_client()
    visitor.environ_base["REMOTE_ADDR"] = f"198.51.100.{next(ADDRESSES)}"  # each from a connection of its own
    token = csrf_token_from(page(visitor.get(f"/e/{event.code}/register")))
    posted = visitor.post(f"/e/{event.code}/register", data={**data, "csrf_token": token})
    followed = visitor.get(posted.headers["Location"]) if posted.status_code == 302 else posted
    return {
        "status": posted.status_code,
        "location": posted.headers.get("Location"),
        "headers": sorted((k, NONCE.sub("nonce-", v)) for k, v in posted.headers.items() if k not in VARYING_HEADERS),
        "cookies": sorted(c.split("=", 1)[0] for c in posted.headers.getlist("Set-Cookie")),
        "body": _without_csrf(posted.get_data(as_text=True)),
        "page status": followed.status_code,
        "page": _without_csrf(followed.get_data(as_text=True)),
    }


def _same(known: dict, unknown: dict) -> None:
    for part in unknown:
        assert known[part] == unknown[part], f"the {part} tells a registered address apart"


def test_a_known_and_an_unknown_address_get_the_same_answer(app, open_event):
    event = open_event()
    known = person(1)
    assert _answer(app, event, known)["status"] == 302  # the person registers themselves

    # The stranger: the same names and organisation, one address known, the other not.
    again = _answer(app, event, known)
    unknown = _answer(app, event, person(2, first_name=known["first_name"], last_name=known["last_name"]))
    _same(again, unknown)
    assert unknown["status"] == 302
    assert unknown["location"] == f"/e/{event.code}/register/sent"
    text = unknown["page"]
    assert "consultez votre messagerie" in text
    assert "/r/" not in text
    assert known["email"] not in text
    assert person(2)["email"] not in text

    # Both submissions did what they should, out of sight: one new registration, one link sent again.
    assert [r.email for r in registrations(event)] == [known["email"], person(2)["email"]]
    assert [m.kind for m in outbox(to=known["email"])] == ["received", "duplicate"]
    assert [m.kind for m in outbox(to=person(2)["email"])] == ["received"]
    assert private_link(known["email"]) in outbox(to=known["email"])[0].body_text


def test_the_same_answer_when_the_link_is_not_sent_again(app, open_event):
    """Past the hourly re-send limit nothing leaves for the known address: still the same answer."""
    event = open_event()
    known = person(1)
    _answer(app, event, known)
    _answer(app, event, known)  # re-sent once
    quiet = _answer(app, event, known)  # within the hour: not re-sent
    unknown = _answer(app, event, person(3))
    _same(quiet, unknown)
    assert [m.kind for m in outbox(to=known["email"])] == ["received", "duplicate"]


def test_a_form_with_a_mistake_is_shown_again_with_its_errors(app, open_event):
    event = open_event()
    answer = _answer(app, event, person(1, email="not-an-address"))
    assert answer["status"] == 422
    assert "not-an-address" in answer["body"]
    assert registrations(event) == []


def test_a_full_workshop_refuses_a_known_address_as_it_refuses_a_new_one(app, open_event):
    """Without a waiting list, a full workshop is refused to a newcomer: also to a known address
    (it would otherwise be told "check your mailbox" and give itself away)."""
    event = open_event(workshop_capacity=1, settings={"waitlist_enabled": False})
    html = page(app.test_client().get(f"/e/{event.code}/register"))
    workshop = {slot_field(html, event.w1.id): str(event.w1.id)}
    known = person(1)
    assert _answer(app, event, known)["status"] == 302  # registered, without the workshop
    assert _answer(app, event, {**person(2), **workshop})["status"] == 302  # takes its only seat

    again = _answer(app, event, {**known, **workshop})
    unknown = _answer(app, event, {**person(3, last_name=known["last_name"]), **workshop})
    for answer, data in ((again, known), (unknown, person(3))):
        answer["body"] = answer["body"].replace(data["email"], "ADDRESS")
        answer["page"] = answer["page"].replace(data["email"], "ADDRESS")
    _same(again, unknown)
    assert unknown["status"] == 422
    assert "est complète" in html_lib.unescape(unknown["body"])
    assert len(registrations(event)) == 2
