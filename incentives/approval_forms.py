"""The approvals page's confirmation step: what the manager saw and agreed to, and the date a
payout was made. The decisions' rules live in the statement services."""

from decimal import Decimal

from django import forms
from django.utils.translation import pgettext_lazy

from common.forms import DecimalField
from common.periods import local_today

APPROVE = "approve"
MARK_PAID = "mark_paid"
EXPORT = "export"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class BulkConfirmForm(forms.Form):
    """Confirm a decision on many statements: the count and total shown when it was asked
    for (acted on only if the selection still has them) and, for a payout, its date."""

    expected_count = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    expected_total = DecimalField(max_digits=16, decimal_places=2, widget=forms.HiddenInput)
    paid_on = forms.DateField(label=pgettext_lazy("statement payout", "Paid on"), widget=DateInput)

    def __init__(self, *args, action: str, **kwargs):
        kwargs.setdefault("initial", {"paid_on": local_today()})
        super().__init__(*args, **kwargs)
        if action != MARK_PAID:
            del self.fields["paid_on"]

    def matches(self, *, count: int, total: Decimal) -> bool:
        """Whether the selection is still what the manager confirmed."""
        data = self.cleaned_data
        return data["expected_count"] == count and data["expected_total"] == total
