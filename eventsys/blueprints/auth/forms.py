"""Forms of the account pages: login, password change, password reset."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from eventsys.security import PASSWORD_MIN_LENGTH


class LoginForm(FlaskForm):
    email = EmailField(_l("Adresse e-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Mot de passe"), validators=[DataRequired(), Length(max=512)])
    remember = BooleanField(_l("Rester connecté sur cet appareil"))


def _new_password_fields():
    new = PasswordField(
        _l("Nouveau mot de passe"),
        validators=[
            DataRequired(),
            Length(
                min=PASSWORD_MIN_LENGTH,
                max=512,
                message=_l("Le mot de passe doit compter au moins %(min)d caractères.", min=PASSWORD_MIN_LENGTH),
            ),
        ],
    )
    confirm = PasswordField(
        _l("Nouveau mot de passe, une seconde fois"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("Les deux mots de passe diffèrent."))],
    )
    return new, confirm


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(_l("Mot de passe actuel"), validators=[DataRequired(), Length(max=512)])
    new_password, confirm_password = _new_password_fields()


class ResetRequestForm(FlaskForm):
    email = EmailField(_l("Adresse e-mail"), validators=[DataRequired(), Length(max=254)])


class ResetForm(FlaskForm):
    new_password, confirm_password = _new_password_fields()


class EmptyForm(FlaskForm):
    """A button that changes something: only the CSRF token."""
