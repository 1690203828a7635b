"""The directory's e-mails, each written in its reader's language: a member's in the language of
their profile, an organiser's in the language they used when asking. Queued in the outbox of the
request's transaction (services.mail)."""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from eventsys.models.directory import DirectoryProfile, TranslationInvitation, TranslationRequest
from eventsys.models.registration import Registration
from eventsys.services import mail
from eventsys.services.directory import vocabulary as vocab
from eventsys.services.links import external_url


def _send(
    to: str, language: str, kind: str, write: Callable[[], tuple[str, list[str], str, str]]
) -> None:
    """Write the e-mail in `language` (subject, paragraphs, link, link label) and queue it."""
    with force_locale(language or "fr"):
        subject, paragraphs, link, link_label = write()
        context = {
            "paragraphs": paragraphs,
            "link": link,
            "link_label": link_label,
            "current_locale": language,
        }
        env = current_app.jinja_env
        text = env.get_template("directory/email/message.txt").render(**context)
        html = env.get_template("directory/email/message.html").render(**context)
    mail.queue_message(to, subject, text, html, kind=kind, language=language or "fr")


def _title(request: TranslationRequest, language: str) -> str:
    target = request.session if request.session is not None else request.event
    return target.localized("title", language)


def profile_invitation(profile: DirectoryProfile, token: str, inviter: str) -> None:
    """A coordinator (or the API) created a profile: its owner confirms it from the link."""

    def write():
        return (
            _("Invitation à l'annuaire du réseau"),
            [
                _("Bonjour %(name)s,", name=profile.first_name or profile.email),
                _("%(inviter)s vous invite à rejoindre l'annuaire des ingénieurs du réseau : qui parle quelles "
                  "langues, et qui veut bien aider à traduire, interpréter, co-animer ou accueillir une délégation.",
                  inviter=inviter),
                _("Rien n'est visible tant que vous n'avez pas confirmé. Sans réponse de votre part, "
                  "ces informations sont supprimées dans %(days)d jours.", days=30),
            ],
            external_url("directory.profile", token=token),
            _("Vérifier et confirmer mon profil"),
        )  # fmt: skip

    _send(profile.email, profile.language, "directory_invitation", write)


def profile_link(profile: DirectoryProfile, token: str) -> None:
    """The link to one's own profile (after creating it, or when asked again)."""

    def write():
        return (
            _("Votre profil dans l'annuaire du réseau"),
            [
                _("Bonjour %(name)s,", name=profile.first_name),
                _("Voici le lien de votre profil dans l'annuaire : vous pouvez le modifier, télécharger vos "
                  "données ou le supprimer à tout moment. Ne le transmettez pas."),
            ],
            external_url("directory.profile", token=token),
            _("Mon profil dans l'annuaire"),
        )  # fmt: skip

    _send(profile.email, profile.language, "directory_link", write)


def registration_opt_in(registration: Registration, token: str) -> None:
    """The registration form's box "join the directory" was ticked: the link to create the profile."""

    def write():
        return (
            _("Rejoindre l'annuaire du réseau"),
            [
                _("Bonjour %(name)s,", name=registration.first_name),
                _("Vous avez demandé à rejoindre l'annuaire des ingénieurs du réseau. Indiquez vos langues et "
                  "ce que vous voulez bien faire depuis ce lien."),
            ],
            external_url("directory.join", token=token),
            _("Créer mon profil"),
        )  # fmt: skip

    _send(registration.email, registration.language, "directory_opt_in", write)


def translation_invited(invitation: TranslationInvitation, token: str) -> None:
    request, profile = invitation.request, invitation.profile

    def write():
        language = vocab.language_name(request.language, profile.language)
        return (
            _("Demande de traduction en %(language)s", language=language),
            [
                _("Bonjour %(name)s,", name=profile.first_name),
                _("L'équipe de « %(event)s » cherche une personne pour traduire « %(title)s » en %(language)s. "
                  "Vous figurez dans l'annuaire comme volontaire pour la traduction.",
                  event=request.event.localized("title", profile.language), title=_title(request, profile.language),
                  language=language),
                _("Depuis ce lien, vous pouvez accepter ou décliner, puis traduire."),
            ],
            external_url("directory.translation", token=token),
            _("Voir la demande"),
        )  # fmt: skip

    _send(profile.email, profile.language, "translation_invited", write)


def translation_withdrawn(invitation: TranslationInvitation, token: str) -> None:
    """Another volunteer accepted first: the others are told they have nothing more to do (who
    accepted is not said)."""
    request, profile = invitation.request, invitation.profile

    def write():
        title = _title(request, profile.language)
        return (
            _("Demande de traduction retirée : %(title)s", title=title),
            [
                _("Bonjour %(name)s,", name=profile.first_name),
                _("Une autre personne volontaire a accepté de traduire « %(title)s » en %(language)s "
                  "avant vous : la demande qui vous avait été adressée est retirée et vous n'avez rien à faire.",
                  title=title, language=vocab.language_name(request.language, profile.language)),
                _("Merci de votre disponibilité : l'équipe de « %(event)s » pourra faire appel à vous une autre fois.",
                  event=request.event.localized("title", profile.language)),
            ],
            external_url("directory.translation", token=token),
            _("Voir la demande"),
        )  # fmt: skip

    _send(profile.email, profile.language, "translation_withdrawn", write)


def _organiser(
    request: TranslationRequest, kind: str, paragraph: Callable[[], str], subject: Callable[[], str]
) -> None:
    if request.requested_by is None:
        return
    link = external_url(
        "directory.organiser_request", event_id=request.event_id, request_id=request.id
    )
    _send(request.requested_by.email, request.requester_language, kind,
          lambda: (subject(), [_("Bonjour,"), paragraph()], link, _("Voir la demande")))  # fmt: skip


def translation_answered(
    request: TranslationRequest, profile: DirectoryProfile, *, accepted: bool
) -> None:
    lang = request.requester_language
    title = _title(request, lang)
    if accepted:
        _organiser(
            request, "translation_accepted",
            lambda: _("%(name)s a accepté de traduire « %(title)s » en %(language)s.", name=profile.name,
                      title=title, language=vocab.language_name(request.language, lang)),
            lambda: _("Traduction acceptée : %(title)s", title=title),
        )  # fmt: skip
    else:
        _organiser(
            request, "translation_declined",
            lambda: _("%(name)s ne peut pas traduire « %(title)s » en %(language)s.", name=profile.name,
                      title=title, language=vocab.language_name(request.language, lang)),
            lambda: _("Traduction déclinée : %(title)s", title=title),
        )  # fmt: skip


def translation_submitted(request: TranslationRequest) -> None:
    lang = request.requester_language
    title = _title(request, lang)
    _organiser(
        request, "translation_submitted",
        lambda: _("La traduction de « %(title)s » en %(language)s est arrivée : relisez-la, corrigez-la si besoin, "
                  "puis publiez-la.", title=title, language=vocab.language_name(request.language, lang)),
        lambda: _("Traduction à relire : %(title)s", title=title),
    )  # fmt: skip


def translation_published(request: TranslationRequest) -> None:
    profile = request.volunteer
    if profile is None:
        return

    def write():
        title = _title(request, profile.language)
        return (
            _("Votre traduction est publiée"),
            [
                _("Bonjour %(name)s,", name=profile.first_name),
                _("Votre traduction de « %(title)s » en %(language)s est publiée. Merci !", title=title,
                  language=vocab.language_name(request.language, profile.language)),
            ],
            external_url("public.event", code=request.event.code),
            _("Voir l'événement"),
        )  # fmt: skip

    _send(profile.email, profile.language, "translation_published", write)
