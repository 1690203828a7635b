"""Login and logout for organisers and staff; their account (password, sessions)."""

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from eventsys.blueprints.auth.forms import (
    EmptyForm,
    LoginForm,
    PasswordChangeForm,
    ResetForm,
    ResetRequestForm,
)
from eventsys.extensions import db, limiter
from eventsys.security import check_password, end_all_sessions, find_user, set_password
from eventsys.services import password_reset

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
        email = form.email.data
        if not password_reset.login_allowed(email):
            form.password.errors.append(
                _("Trop de tentatives pour ce compte. Réessayez dans un quart d'heure, ou "
                  "réinitialisez votre mot de passe.")
            )
            return render_template("auth/login.html", form=form), 429
        user = find_user(email)
        if user is not None and user.active and check_password(user, form.password.data):
            password_reset.login_succeeded(email)
            login_user(user, remember=form.remember.data)
            db.session.commit()
            flash(_("Vous êtes connecté."), "success")
            return redirect(_safe_next(request.args.get("next")))
        password_reset.login_failed(email)
        form.password.errors.append(_("Adresse e-mail ou mot de passe incorrect."))
    return render_template("auth/login.html", form=form)


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def reset_request():
    """Ask for a reset link: the same answer whether or not the address has an account."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        password_reset.request_reset(form.email.data, str(get_locale() or "fr"))
        db.session.commit()
        return render_template("auth/reset_sent.html", hours=current_app.config["PASSWORD_RESET_HOURS"])
    return render_template("auth/reset_request.html", form=form), 422 if form.is_submitted() else 200


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def reset(token: str):
    """Choose a new password from the e-mailed link (once, within its validity)."""
    user = password_reset.user_for_reset(token)
    if user is None:
        return render_template("auth/reset_invalid.html"), 404
    form = ResetForm()
    if form.validate_on_submit():
        set_password(user, form.new_password.data)  # ends every session, and this link
        password_reset.login_succeeded(user.email)
        db.session.commit()
        flash(_("Votre mot de passe est changé. Connectez-vous avec le nouveau."), "success")
        return redirect(url_for(".login"))
    return render_template("auth/reset.html", form=form), 422 if form.is_submitted() else 200


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    logout_user()
    flash(_("Vous êtes déconnecté."), "success")
    return redirect(url_for("public.index"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    """Change the password (which ends the account's other sessions) or log out everywhere."""
    form = PasswordChangeForm()
    status = 200
    if form.validate_on_submit():
        user = current_user._get_current_object()
        if check_password(user, form.current_password.data):
            set_password(user, form.new_password.data)
            db.session.commit()
            login_user(user)  # this browser stays logged in, on the new session version
            flash(_("Votre mot de passe est changé. Vos autres sessions sont fermées."), "success")
            return redirect(url_for(".account"))
        form.current_password.errors.append(_("Ce n'est pas votre mot de passe actuel."))
    if form.is_submitted():
        status = 422
    return render_template("auth/account.html", form=form, end_form=EmptyForm()), status


@bp.route("/logout-everywhere", methods=["POST"])
@login_required
def logout_everywhere():
    """End every session and remember cookie of the account, on every device (this one too)."""
    if EmptyForm().validate_on_submit():
        end_all_sessions(current_user._get_current_object())
        db.session.commit()
        logout_user()
        flash(_("Vous êtes déconnecté sur tous vos appareils."), "success")
        return redirect(url_for("public.index"))
    return redirect(url_for(".account"))
