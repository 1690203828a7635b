"""Command-line commands: `flask --app eventsys <command>`, one module per area.

Bodies call services and commit once (rule 2 of docs/ARCHITECTURE.md).
"""

from __future__ import annotations

from flask import Flask

from eventsys.cli import accounts, checkin, demo, directory, jobs, networking, registration

AREAS = (accounts, demo, jobs, registration, checkin, networking, directory)


def init_app(app: Flask) -> None:
    """Register every command on the app."""
    for area in AREAS:
        area.register_commands(app)
