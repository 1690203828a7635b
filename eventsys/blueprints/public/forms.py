"""The session-code box of the public pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SearchField


class CodeForm(FlaskForm):
    """Find an event by the code printed on the invitation.

    A GET form that only reads: no CSRF token, so the URL can be bookmarked or shared.
    """

    class Meta:
        csrf = False

    code = SearchField(_l("Code de session"), render_kw={"autocomplete": "off", "spellcheck": "false",
                                                          "autocapitalize": "characters", "maxlength": 40})
