"""`flask directory purge`, the daily erasure of profiles past their retention period."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from eventsys.extensions import db
from eventsys.models.types import utcnow
from eventsys.services.directory import profiles, translations

README = Path(__file__).resolve().parents[2] / "README.md"


def _age(profile, months: int) -> None:
    profile.confirmed_at = utcnow() - timedelta(days=months * 31)


def test_the_purge_command_erases_expired_profiles(app, make_profile):
    kept, old = make_profile(), make_profile()
    _age(old, 40)
    db.session.commit()
    runner = app.test_cli_runner()
    assert "1 profile(s) to erase" in runner.invoke(args=["directory", "purge", "--dry-run"]).output
    assert db.session.get(profiles.DirectoryProfile, old.id) is not None
    assert "1 profile(s) erased" in runner.invoke(args=["directory", "purge"]).output
    db.session.expire_all()
    assert [p.id for p in db.session.scalars(db.select(profiles.DirectoryProfile))] == [kept.id]
    assert "0 profile(s) erased" in runner.invoke(args=["directory", "purge"]).output


def test_the_purge_closes_the_open_requests_of_an_erased_volunteer_and_keeps_the_request(
    app, make_user, make_event, make_session, make_profile, request_ctx
):
    event = make_event(owner=make_user(platform_role="organiser"))
    session = make_session(event, "Exposé", description="Texte.")
    old = make_profile(first_name="Ada")
    request = translations.ask_translation(event, session, "de", [old.id], None)
    _age(old, 40)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["directory", "purge"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.get(profiles.DirectoryProfile, old.id) is None
    assert request.status == "closed"


def test_the_daily_housekeeping_is_documented_with_every_purge_command(app):
    """The purges are run by the system's scheduler (cron or a systemd timer): the README's
    crontab must name each command the CLI offers, so that none is left unscheduled."""
    readme = README.read_text(encoding="utf-8")
    section = readme.split("**Daily housekeeping.**", 1)[1].split("\n\n**", 1)[0]
    commands = app.cli.list_commands(None)
    assert {"purge-registrations", "directory", "jobs"} <= set(commands)
    for line in ("flask --app eventsys purge-registrations", "flask --app eventsys directory purge",
                 "flask --app eventsys jobs purge"):  # fmt: skip
        assert line in section
