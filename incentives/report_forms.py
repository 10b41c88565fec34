"""The report pages' period picker: a week (2026-W47) for 周报, a month (2026-11) for 月报."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from common.periods import Period, parse_period_of
from incentives.selectors.period_report import REPORT_PERIOD_KIND, WEEKLY


class ReportPeriodForm(forms.Form):
    period = forms.CharField(label=_("Period"), max_length=10)

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind

    def clean_period(self) -> Period:
        message = (
            _("Enter a week as YYYY-Www, e.g. 2026-W47.")
            if self.kind == WEEKLY
            else _("Enter a month as YYYY-MM, e.g. 2026-11.")
        )
        try:
            return parse_period_of(
                self.cleaned_data["period"], (REPORT_PERIOD_KIND[self.kind],), message=str(message)
            )
        except (TypeError, ValueError) as exc:
            raise ValidationError(message) from exc
