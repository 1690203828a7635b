"""`flask directory purge`: erase the profiles past their retention period (run it daily, beside
`flask purge-registrations`)."""

from __future__ import annotations

import click

from eventsys.blueprints.directory.common import bp
from eventsys.extensions import db
from eventsys.services.directory import profiles


@bp.cli.command("purge")
@click.option("--dry-run", is_flag=True, help="Count, erase nothing.")
def purge(dry_run: bool) -> None:
    """Erase profiles not saved for DIRECTORY_RETENTION_MONTHS, and invitations never confirmed."""
    count = profiles.purge_expired()
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    click.echo(f"{count} profile(s) {'to erase' if dry_run else 'erased'}.")
