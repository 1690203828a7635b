"""Login and logout for organisers and staff."""

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required, login_user, logout_user

from eventsys.blueprints.auth.forms import LoginForm
from eventsys.extensions import db, limiter
from eventsys.security import check_password, find_user

bp = Blueprint("auth", __name__, url_prefix="/auth", template_folder="templates")


def _safe_next(target: str | None) -> str:
    """Only same-site paths: an open redirect would help phishing."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("manage.events")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = find_user(form.email.data)
        if user is not None and user.active and check_password(user, form.password.data):
            login_user(user, remember=form.remember.data)
            db.session.commit()
            flash(_("Vous êtes connecté."), "success")
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors.append(_("Adresse e-mail ou mot de passe incorrect."))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    logout_user()
    flash(_("Vous êtes déconnecté."), "success")
    return redirect(url_for("public.index"))
