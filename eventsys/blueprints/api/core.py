"""Events, rooms, speakers and sessions over JSON (the API area fills this module)."""

from flask_smorest import Api


def register(api: Api) -> None:
    """Attach this module's blueprints to the API."""
