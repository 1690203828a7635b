"""Registrations over JSON (the registration area fills this module)."""

from flask_smorest import Api


def register(api: Api) -> None:
    """Attach this module's blueprints to the API."""
