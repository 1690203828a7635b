"""Coordinators search the directory, export it and invite members; administrators name them."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import pgettext
from flask_login import current_user, login_required

from eventsys.blueprints.directory.common import bp, locale, require_coordinator
from eventsys.blueprints.directory.forms import ActionForm, GrantForm, InviteForm, SearchForm
from eventsys.extensions import db
from eventsys.i18n import download_name
from eventsys.models.people import User
from eventsys.render.directory_csv import render_table_csv
from eventsys.security import find_user
from eventsys.services.directory import notices, profiles, search
from eventsys.services.directory import vocabulary as vocab
from eventsys.services.directory.errors import ProfileExists, ProfileInvalid


def _criteria(form: SearchForm) -> search.Criteria:
    return search.Criteria(**{name: form[name].data or "" for name in
                              ("language", "other_language", "min_level", "role", "topic", "region")})  # fmt: skip


def _search_form() -> tuple[SearchForm, bool]:
    form = SearchForm(locale(), formdata=request.args)
    return form, form.validate()


@bp.route("/directory/", endpoint="search")
@login_required
def search_page():
    require_coordinator()
    form, valid = _search_form()
    asked = valid and any(request.args.get(name) for name in form.data)
    found = search.search_profiles(_criteria(form)) if valid else []
    return render_template(
        "directory/search.html", form=form, profiles=found, asked=asked, vocab=vocab, locale=locale(),
        capped=len(found) >= search.MAX_RESULTS, max_results=search.MAX_RESULTS,
        export_url=url_for(".export", **{k: v for k, v in request.args.items() if k in form.data}),
    ), (200 if valid else 422)  # fmt: skip


@bp.route("/directory/export.csv")
@login_required
def export():
    require_coordinator()
    form, valid = _search_form()
    if not valid:
        abort(422)
    header, rows = search.csv_rows(_criteria(form), locale())
    response = Response(render_table_csv(header, rows), mimetype="text/csv")
    name = download_name(pgettext("nom de fichier", "annuaire"), ext="csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/directory/invite", methods=["GET", "POST"])
@login_required
def invite():
    """Invite someone by e-mail: a pending profile they confirm (or let expire) from the link."""
    require_coordinator()
    form = InviteForm()
    if form.validate_on_submit():
        data = profiles.ProfileInput(
            first_name=form.first_name.data,
            last_name=form.last_name.data,
            language=form.language.data,
        )
        try:
            profile = profiles.create_profile(
                form.email.data, data, confirmed=False, invited_by=current_user
            )
            notices.profile_invitation(
                profile, profiles.profile_token(profile), current_user.name or current_user.email
            )
            db.session.commit()
        except ProfileInvalid as error:
            db.session.rollback()
            for name, messages in error.params.get("errors", {}).items():
                (form[name].errors if name in form else form.form_errors).extend(
                    str(m) for m in messages
                )
        except ProfileExists as error:
            db.session.rollback()
            form.email.errors = [str(error)]
        else:
            flash(_("L'invitation est envoyée à %(email)s.", email=profile.email), "success")
            return redirect(url_for(".invite"))
    return render_template("directory/invite.html", form=form), (
        422 if form.is_submitted() and form.errors else 200
    )


@bp.route("/directory/coordinators", methods=["GET", "POST"])
@login_required
def coordinators():
    """Administrators grant the coordinator role to an existing account, or withdraw it."""
    if not current_user.is_admin:
        abort(403)
    form = GrantForm()
    if form.validate_on_submit():
        user = find_user(form.email.data or "")
        if user is None:
            form.email.errors = [_("Aucun compte ne porte cette adresse : créez-le d'abord.")]
        else:
            search.grant_coordinator(user, current_user)
            db.session.commit()
            flash(_("%(email)s coordonne désormais l'annuaire.", email=user.email), "success")
            return redirect(url_for(".coordinators"))
    return render_template(
        "directory/coordinators.html",
        form=form,
        people=search.coordinators(),
        action_form=ActionForm(),
    ), (422 if form.is_submitted() and form.errors else 200)


@bp.route("/directory/coordinators/<int:user_id>/revoke", methods=["POST"])
@login_required
def revoke(user_id: int):
    if not current_user.is_admin:
        abort(403)
    if not ActionForm().validate_on_submit():
        abort(400)
    search.revoke_coordinator(db.get_or_404(User, user_id))
    db.session.commit()
    flash(_("Le rôle de coordinateur est retiré."), "success")
    return redirect(url_for(".coordinators"))
