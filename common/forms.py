"""Form helpers shared by the apps' browser forms.

Dropdowns need nothing here: the blank choice Django labels "---------" reads "请选择"
(Select…) through templates/django/forms/widgets/select_option.html (settings.FORM_RENDERER),
and "全部" (All) in django-filter's filter forms (settings.FILTERS_EMPTY_CHOICE_LABEL). A field
that wants other words sets its own ``empty_label`` or blank choice.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from common.normalise import number_text


def add_service_errors(
    form: forms.Form, exc: ValidationError, mapping: dict[str, str] | None = None
) -> None:
    """Put a service's ValidationError on the form: on its field when the form has one
    (``mapping`` renames a service's field to the form's), else above the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    mapping = mapping or {}
    for name, errors in exc.message_dict.items():
        name = mapping.get(name, name)
        form.add_error(name if name in form.fields else None, errors)


class RobotWebhookForm(forms.Form):
    """A team's or partner's group robot. The URL is never filled in again (it is a secret):
    empty keeps the stored one (shown masked above the form); no kind removes the robot."""

    robot_kind = forms.ChoiceField(label=_("Group robot"), required=False)
    robot_url = forms.CharField(
        label=_("Webhook URL"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "url"}),
        help_text=_("https:// only. Leave it empty to keep the URL already set."),
    )

    def __init__(self, *args, **kwargs):
        from common.models import RobotKind

        super().__init__(*args, **kwargs)
        self.fields["robot_kind"].choices = [("", _("None")), *RobotKind.choices]


class DecimalField(forms.DecimalField):
    """A decimal as people type it: full-width digits and punctuation, spaces and thousands
    commas are folded first (``１，２３４．５０`` is 1234.50), as in the API and the import."""

    def to_python(self, value):
        if isinstance(value, str):
            value = number_text(value)
        return super().to_python(value)
