"""Helpers for the organiser-area tests."""

from __future__ import annotations

from flask import Flask, g
from flask.testing import FlaskClient

from tests.conftest import login


class IsolatedClient(FlaskClient):
    """A test client that does not inherit another client's login.

    The test fixture keeps one app context open, and Flask reuses it for every request, so
    Flask-Login's cached `g._login_user` would leak from one client to the next.
    """

    def open(self, *args, **kwargs):
        g.pop("_login_user", None)
        return super().open(*args, **kwargs)


def client_as(app: Flask, user=None) -> IsolatedClient:
    """A client logged in as `user` (anonymous when None)."""
    client = IsolatedClient(app, app.response_class, use_cookies=True)
    if user is not None:
        response = login(client, user)
        assert response.status_code == 302, response.get_data(as_text=True)
    return client
