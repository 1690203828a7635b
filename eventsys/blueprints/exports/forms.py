"""Forms of the import pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, HiddenField, SubmitField
from wtforms.validators import DataRequired

IMPORT_EXTENSIONS = ["csv", "txt", "xlsx", "xml", "json", "ics"]


class ImportUploadForm(FlaskForm):
    file = FileField(
        _l("Fichier du programme"),
        validators=[
            FileRequired(message=_l("Choisissez un fichier à importer.")),
            FileAllowed(IMPORT_EXTENSIONS, message=_l("Formats acceptés : CSV, XLSX, XML, JSON ou iCalendar (.ics).")),
        ],
    )


class ImportConfirmForm(FlaskForm):
    token = HiddenField(validators=[DataRequired()])
    accept_partial = BooleanField(
        _l("Importer seulement les lignes valides et laisser de côté les lignes en erreur")
    )
    refresh = SubmitField(_l("Mettre à jour l'aperçu"))
