"""`flask staff-token CODE`: a desk token printed once, usable at once, revocable."""

from __future__ import annotations

from eventsys.extensions import db
from eventsys.models.checkin import StaffToken
from eventsys.services import checkin as svc


def test_staff_token_prints_a_working_token_and_revokes_it(app, runner, desk_event):
    from eventsys.cli.checkin import register_commands

    register_commands(app)
    result = runner.invoke(args=["staff-token", "z26in 001", "--label", "Accueil CLI", "--hours", "5",
                                 "--link", "https://events.example.org"])  # fmt: skip
    assert result.exit_code == 0, result.output
    raw, link = result.stdout.splitlines()[:2]
    assert link == f"https://events.example.org/staff/Z26IN001/access/{raw}"
    token = svc.verify_staff_token(raw, desk_event)
    assert token.label == "Accueil CLI"
    revoked = runner.invoke(args=["staff-token", "Z26IN001", "--revoke", raw[:12]])
    assert revoked.exit_code == 0
    assert "revoked" in revoked.output
    db.session.expire_all()
    assert db.session.get(StaffToken, token.id).revoked_at is not None
    assert runner.invoke(args=["staff-token", "NOPE"]).exit_code != 0
