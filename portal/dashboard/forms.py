"""The dashboard's month picker."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from common.periods import MONTH, Period, parse_period_of


class MonthForm(forms.Form):
    """Which month the dashboard shows (``2026-11``)."""

    month = forms.CharField(
        label=_("Month"),
        max_length=7,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-11"}),
    )

    def clean_month(self) -> Period:
        code = self.cleaned_data["month"]
        message = _("Enter a month as YYYY-MM, e.g. 2026-11.")
        try:
            period = parse_period_of(code, (MONTH,), message=message)
        except (TypeError, ValueError) as exc:
            raise ValidationError(message) from exc
        if period.start.year < 2000:
            raise ValidationError(message)
        return period
