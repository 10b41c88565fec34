"""The dashboard's month picker."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from common.periods import MONTH, Period, parse_period


class MonthForm(forms.Form):
    """Which month the dashboard shows (``2026-11``)."""

    month = forms.CharField(
        label=_("Month"),
        max_length=7,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-11"}),
    )

    def clean_month(self) -> Period:
        code = self.cleaned_data["month"]
        try:
            period = parse_period(code)
        except (TypeError, ValueError):
            period = None
        if period is None or period.kind != MONTH or period.start.year < 2000:
            raise ValidationError(_("Enter a month as YYYY-MM, e.g. 2026-11."))
        return period
