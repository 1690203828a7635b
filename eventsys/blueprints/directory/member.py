"""A member's side, reached through private links: create a profile from one's registration,
edit, confirm, download or erase it, browse the visible members; a volunteer's translation."""

from __future__ import annotations

import json
from typing import Any

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import pgettext

from eventsys.blueprints.directory.common import apply, bp, locale, private, typed
from eventsys.blueprints.directory.forms import (
    ActionForm,
    EraseForm,
    LostLinkForm,
    ProfileForm,
    translation_form,
)
from eventsys.extensions import db, limiter
from eventsys.i18n import download_name
from eventsys.models.directory import (
    INVITE_ACCEPTED,
    INVITE_INVITED,
    REQUEST_ACCEPTED,
    REQUEST_SUBMITTED,
    VISIBILITY_MEMBERS,
    DirectoryProfile,
)
from eventsys.services import registration as reg
from eventsys.services.directory import notices, profiles, search, translations
from eventsys.services.directory import vocabulary as vocab
from eventsys.services.directory.errors import ProfileExists, ProfileInvalid
from eventsys.services.errors import InvalidLink
from eventsys.web import prefer_language


def _post_limit() -> str:
    return "30 per minute"


def _invalid_link():
    return private((render_template("directory/link_error.html"), 404))


def _show_errors(form: ProfileForm, error: ProfileInvalid) -> None:
    for name, messages in error.params.get("errors", {}).items():
        target = "lang_0" if name == "languages" else name
        if target in form:
            form[target].errors = list(form[target].errors) + [str(m) for m in messages]
        else:
            form.form_errors.extend(str(m) for m in messages)


def _profile_page(form: ProfileForm, action: str, status: int = 200, **context: Any):
    return private((
        render_template("directory/profile.html", form=form, action=action, vocab=vocab, locale=locale(), **context),
        status,
    ))  # fmt: skip


@bp.route("/directory/join/<token>", methods=["GET", "POST"])
@limiter.limit(_post_limit, methods=["POST"])
def join(token: str):
    """Create one's profile from a registration's private link (the address is the registration's)."""
    try:
        registration = reg.registration_from_link(token)
    except InvalidLink:
        return _invalid_link()
    prefer_language(registration.language)
    existing = profiles.find_profile(registration.email)
    if existing is not None and existing.is_active:
        if request.method == "POST":
            notices.profile_link(existing, profiles.profile_token(existing))
            db.session.commit()
            return private(render_template("directory/link_sent.html"))
        return private(render_template("directory/already.html", form=ActionForm(), token=token))
    form = ProfileForm(locale())
    if request.method == "GET":
        form.fill(profiles.ProfileInput(
            first_name=registration.first_name, last_name=registration.last_name,
            organisation=registration.organisation, job_title=registration.job_title,
            language=registration.language or "fr", visibility="coordinators",
        ))  # fmt: skip
    elif form.validate_on_submit():
        try:
            if (
                existing is not None
            ):  # invited earlier, never confirmed: the registration proves the address
                profile = profiles.save_profile(existing, form.to_input())
            else:
                profile = profiles.create_profile(
                    registration.email, form.to_input(), confirmed=True
                )
            link = profiles.profile_token(profile)
            notices.profile_link(profile, link)
            db.session.commit()
        except ProfileInvalid as error:
            db.session.rollback()
            _show_errors(form, error)
        except ProfileExists:
            db.session.rollback()
            return _invalid_link()
        else:
            flash(
                _(
                    "Votre profil est enregistré dans l'annuaire. Le lien pour le retrouver vous a été envoyé par e-mail."
                ),
                "success",
            )
            return redirect(url_for(".profile", token=link))
    return _profile_page(
        form,
        url_for(".join", token=token),
        422 if form.is_submitted() else 200,
        email=registration.email,
    )


def _member(token: str) -> DirectoryProfile | None:
    profile = profiles.profile_from_token(token)
    if profile is not None:
        prefer_language(profile.language)
    return profile


@bp.route("/directory/p/<token>", methods=["GET", "POST"])
@limiter.limit(_post_limit, methods=["POST"])
def profile(token: str):
    """One's profile: confirm it (invited), edit it, renew its retention period."""
    member = _member(token)
    if member is None:
        return _invalid_link()
    form = ProfileForm(locale())
    if request.method == "GET":
        form.fill(profiles.input_from(member))
    elif form.validate_on_submit():
        was_active = member.is_active
        try:
            profiles.save_profile(member, form.to_input())
            db.session.commit()
        except ProfileInvalid as error:
            db.session.rollback()
            _show_errors(form, error)
        else:
            flash(
                _("Votre profil est à jour.")
                if was_active
                else _("Votre profil est confirmé : il figure dans l'annuaire."),
                "success",
            )
            return redirect(url_for(".profile", token=token))
    return _profile_page(
        form, url_for(".profile", token=token), 422 if form.is_submitted() else 200,
        member=member, token=token, email=member.email, expires=profiles.expires_on(member),
        retention_months=profiles.retention_months(),
    )  # fmt: skip


@bp.route("/directory/p/<token>/data.json")
def profile_data(token: str):
    member = _member(token)
    if member is None:
        return _invalid_link()
    response = Response(
        json.dumps(profiles.profile_data(member), ensure_ascii=False, indent=2),
        mimetype="application/json",
    )
    name = download_name(pgettext("nom de fichier", "profil annuaire"), ext="json")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return private(response)


@bp.route("/directory/p/<token>/erase", methods=["GET", "POST"])
@limiter.limit(_post_limit, methods=["POST"])
def erase(token: str):
    member = _member(token)
    if member is None:
        return _invalid_link()
    form = EraseForm()
    if form.validate_on_submit():
        profiles.erase_profile(member)
        db.session.commit()
        return private(render_template("directory/erased.html"))
    return private(
        (
            render_template("directory/erase.html", form=form, token=token),
            422 if form.is_submitted() else 200,
        )
    )


@bp.route("/directory/p/<token>/members")
def members(token: str):
    """Visible members browse the other visible members (e-mail only where its owner allows)."""
    member = _member(token)
    if member is None:
        return _invalid_link()
    if not member.is_active or member.visibility != VISIBILITY_MEMBERS:
        return private((render_template("directory/members.html", allowed=False, token=token), 403))
    found = [
        p for p in search.search_profiles(search.Criteria(), members_only=True) if p.id != member.id
    ]
    return private(
        render_template(
            "directory/members.html",
            allowed=True,
            profiles=found,
            token=token,
            vocab=vocab,
            locale=locale(),
        )
    )


def _lost_link_limit() -> str:
    return "5 per hour"


@bp.route("/directory/link", methods=["GET", "POST"])
@limiter.limit(_lost_link_limit, methods=["POST"])
def lost_link():
    """The link to one's profile, sent again to its address; the same answer whether or not the
    address is in the directory (nobody learns who is)."""
    form = LostLinkForm()
    if form.validate_on_submit():
        member = profiles.find_profile(form.email.data or "")
        if member is not None:
            notices.profile_link(member, profiles.profile_token(member))
            db.session.commit()
        return private(render_template("directory/link_sent.html"))
    return private(
        (
            render_template("directory/lost_link.html", form=form),
            422 if form.is_submitted() else 200,
        )
    )


# ------------------------------------------------------------------ a volunteer's translation


@bp.route("/directory/t/<token>", methods=["GET", "POST"])
@limiter.limit(_post_limit, methods=["POST"])
def translation(token: str):
    """The volunteer's page: accept or decline, then translate side by side and submit."""
    invitation = translations.invitation_from_token(token)
    if invitation is None:
        return _invalid_link()
    prefer_language(invitation.profile.language)
    req = invitation.request
    sources, limits = translations.sources_and_limits(req)
    action = request.form.get("action", "") if request.method == "POST" else ""
    form = translation_form(sources, limits, prefix="t")
    status = 200
    if request.method == "POST" and (
        ActionForm().validate_on_submit() if action != "submit" else form.validate_on_submit()
    ):
        if action == "accept":
            change, done = (
                (lambda: translations.accept(invitation)),
                _("Merci ! Vous pouvez traduire ci-dessous."),
            )
        elif action == "decline":
            change, done = (
                (lambda: translations.decline(invitation)),
                _("C'est noté : l'organisateur en est informé."),
            )
        else:
            change = lambda: translations.submit(invitation, typed(form, sources))  # noqa: E731
            done = _("Votre traduction est envoyée à l'organisateur. Merci !")
        response, status = apply(change, done, url_for(".translation", token=token))
        if response is not None:
            return response
    elif request.method == "POST":
        status = 422
    if request.method == "GET" and req.text:
        for name in sources:
            form[name].data = req.text.get(name, "")
    can_translate = invitation.status == INVITE_ACCEPTED and req.status == REQUEST_ACCEPTED
    return private((render_template(
        "directory/translate.html", invitation=invitation, req=req, sources=sources, limits=limits, form=form,
        action_form=ActionForm(), token=token, can_answer=invitation.status == INVITE_INVITED and req.status == "asked",
        can_translate=can_translate, submitted=req.status in (REQUEST_SUBMITTED, "published") and req.volunteer_id == invitation.profile_id,
        language_name=vocab.language_name, vocab=vocab, locale=locale(),
    ), status))  # fmt: skip
