"""Mistakes collected field by field before anything is written (services/errors.py)."""

from __future__ import annotations

import pytest

from eventsys.services.errors import DomainError, FieldErrors


class GroupInvalid(DomainError):
    code = "validation_error"
    status = 422


class GroupErrors(FieldErrors):
    invalid = GroupInvalid
    message = "The group has mistakes."


def test_nothing_is_raised_without_a_mistake():
    GroupErrors().raise_if_any()


def test_every_message_is_kept_and_the_first_code_of_a_field_wins():
    errors = GroupErrors()
    errors.add("members.0.email", "invalid_email", "Not an address.")
    errors.add("members.0.email", "duplicate_member", "Twice in the group.")
    errors.add("country", "unknown_country", "Unknown country.")
    with pytest.raises(GroupInvalid) as raised:
        errors.raise_if_any()
    assert str(raised.value) == "The group has mistakes."
    assert raised.value.params["errors"] == {
        "members.0.email": ["Not an address.", "Twice in the group."],
        "country": ["Unknown country."],
    }
    assert raised.value.params["codes"] == {
        "members.0.email": "invalid_email",
        "country": "unknown_country",
    }


def test_a_message_given_when_raising_replaces_the_default():
    errors = GroupErrors()
    errors.add("name", "required", "A name is needed.")
    with pytest.raises(GroupInvalid, match="Check the new members."):
        errors.raise_if_any("Check the new members.")
