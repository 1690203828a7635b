"""Command-line commands of the check-in area (wired in by eventsys.cli.init_app via register_commands)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import click
from flask import Flask

from eventsys.extensions import db


def register_commands(app: Flask) -> None:
    """Add `staff-token` to the app's CLI."""
    app.cli.add_command(staff_token)


@click.command("staff-token")
@click.argument("code")
@click.option(
    "--label",
    default="cli",
    show_default=True,
    help="Name of the desk or person, shown to organisers.",
)
@click.option("--hours", type=click.IntRange(1, 24 * 90), default=None,
              help="Valid for this many hours (default: until the end of the day after the event).")  # fmt: skip
@click.option(
    "--revoke",
    "revoke_prefix",
    default=None,
    help="Revoke the token starting with this prefix instead.",
)
@click.option(
    "--link",
    "base_url",
    default=None,
    help="Also print the scan link, on this site (e.g. https://events.example.org).",
)
def staff_token(
    code: str, label: str, hours: int | None, revoke_prefix: str | None, base_url: str | None
) -> None:
    """Issue a desk token for the event CODE (printed once), or revoke one with --revoke PREFIX."""
    from sqlalchemy import select

    from eventsys.models.checkin import StaffToken
    from eventsys.services import checkin as svc
    from eventsys.services.programme import find_event

    event = find_event(code)
    if event is None:
        raise click.ClickException(f"no event with the code {code}")
    if revoke_prefix:
        token = db.session.scalar(
            select(StaffToken).where(
                StaffToken.event_id == event.id, StaffToken.prefix == revoke_prefix.strip()[:12]
            )
        )
        if token is None:
            raise click.ClickException("no staff token with that prefix for this event")
        svc.revoke_staff_token(token)
        db.session.commit()
        click.echo(f"Staff token {token.prefix}… revoked.")
        return
    expires_at = datetime.now(UTC) + timedelta(hours=hours) if hours else None
    token, raw = svc.issue_staff_token(event, label, expires_at=expires_at)
    db.session.commit()
    click.echo(raw)
    if base_url:
        click.echo(f"{base_url.rstrip('/')}/staff/{event.code}/access/{raw}")
    click.echo(
        f"expires {token.expires_at.astimezone(event.tz):%Y-%m-%d %H:%M} ({event.timezone})",
        err=True,
    )
