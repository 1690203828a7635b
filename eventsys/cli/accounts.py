"""Command-line commands for accounts: the first administrator, platform organisers, API tokens."""

from __future__ import annotations

import click
from flask import Flask

from eventsys.extensions import db


def register_commands(app: Flask) -> None:
    """Add `create-admin`, `grant-organiser` and `api-token` to the app's CLI."""
    app.cli.add_command(create_admin)
    app.cli.add_command(grant_organiser)
    app.cli.add_command(api_token)



@click.command("create-admin")
@click.argument("email")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True, help="Password (asked when omitted).")
@click.option("--name", default="", help="Display name.")
def create_admin(email: str, password: str, name: str) -> None:
    """Create the first administrator account (or make an existing account administrator)."""
    from eventsys.security import create_user, find_user, set_password

    if len(password) < 8:
        raise click.BadParameter("the password needs at least 8 characters", param_hint="--password")
    user = find_user(email)
    if user is None:
        user = create_user(email, password, name=name, is_admin=True)
        click.echo(f"Administrator {user.email} created.")
    else:
        user.is_admin = True
        set_password(user, password)  # its sessions on other devices end
        click.echo(f"{user.email} is now an administrator; password updated.")
    db.session.commit()


@click.command("grant-organiser")
@click.argument("email")
@click.option("--revoke", is_flag=True, help="Withdraw the role instead.")
def grant_organiser(email: str, revoke: bool) -> None:
    """Let an account create events (platform organiser), or withdraw that right with --revoke.

    Events it already organises stay its own either way; administrators always may."""
    from eventsys.models.people import PLATFORM_ORGANISER
    from eventsys.security import find_user, set_platform_role

    user = find_user(email)
    if user is None:
        raise click.ClickException(f"no account with the e-mail {email}")
    set_platform_role(user, None if revoke else PLATFORM_ORGANISER)
    db.session.commit()
    if revoke:
        click.echo(f"{user.email} may no longer create events.")
    else:
        click.echo(f"{user.email} may now create events.")


@click.command("api-token")
@click.argument("email")
@click.option("--name", default="cli", help="A label to recognise the token by.")
@click.option("--revoke", "revoke_prefix", default=None, help="Revoke the token starting with this prefix instead.")
def api_token(email: str, name: str, revoke_prefix: str | None) -> None:
    """Issue (or revoke) an API token for an account; the token is printed once."""
    from sqlalchemy import select

    from eventsys.models import ApiToken
    from eventsys.security import find_user, issue_api_token, revoke_api_token

    user = find_user(email)
    if user is None:
        raise click.ClickException(f"no account with the e-mail {email}")
    if revoke_prefix:
        token = db.session.scalar(
            select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.prefix == revoke_prefix[:12])
        )
        if token is None:
            raise click.ClickException("no token with that prefix for this account")
        revoke_api_token(token)
        db.session.commit()
        click.echo(f"Token {token.prefix}… revoked.")
        return
    _, raw = issue_api_token(user, name=name)
    db.session.commit()
    click.echo(raw)
