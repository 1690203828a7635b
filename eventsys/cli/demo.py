"""The `demo` command: the demo events and accounts (never on a server open to the public)."""

from __future__ import annotations

import click
from flask import Flask

from eventsys.extensions import db


def register_commands(app: Flask) -> None:
    """Add `demo` to the app's CLI."""
    app.cli.add_command(demo)


@click.command("demo")
def demo() -> None:
    """Load the demo events (idempotent): Z26IN 001 and RNIT 26."""
    from eventsys.services.demo import load_demo

    summary = load_demo()
    db.session.commit()
    click.echo(summary)
