"""Command-line commands of the network's directory: `flask directory purge`, to run daily beside
`flask purge-registrations` (see the README's "Daily housekeeping")."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from eventsys.extensions import db

directory_group = AppGroup("directory", help="The network's directory of engineers.")


def register_commands(app: Flask) -> None:
    """Add the `directory` group (`directory purge`) to the app's CLI."""
    app.cli.add_command(directory_group)


@directory_group.command("purge")
@click.option("--dry-run", is_flag=True, help="Count, erase nothing.")
def purge(dry_run: bool) -> None:
    """Erase profiles not saved for DIRECTORY_RETENTION_MONTHS, and invitations never confirmed
    (their open translation requests are closed, as when a member erases their own profile)."""
    from eventsys.services.directory import profiles

    count = profiles.purge_expired()
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    click.echo(f"{count} profile(s) {'to erase' if dry_run else 'erased'}.")
