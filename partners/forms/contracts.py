"""Contracts (渠道销售合同): draft and edit the clauses with the signed PDF, terminate, renew.
Dates, the fee and the PDF are checked by partners.services.contracts."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import DecimalField
from partners.choices import FeeMilestone, FeeMode
from partners.models import Partner

CHOOSE = ("", _("Choose…"))


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _text(label, *, rows: int = 2, help_text=""):
    return forms.CharField(
        label=label,
        required=False,
        max_length=8000,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class PartnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Partner) -> str:
        return f"{obj.name} · {obj.get_status_display()}"


class PdfInput(forms.FileInput):
    def __init__(self):
        super().__init__(attrs={"accept": "application/pdf,.pdf"})


class ContractForm(forms.Form):
    """Every clause of the seed's contract; `partner` only when drafting a new one."""

    # Groups of fields as the page shows them (the seed's clauses).
    GROUPS = (
        (_("Partner and number"), ("partner", "code")),
        (_("Fees (渠道销售费用)"), ("fee_mode", "fee_value", "fee_milestone", "fee_notes")),
        (_("Term (合作期限)"), ("start_on", "end_on", "termination_conditions")),
        (
            _("Scope, region and customers"),
            ("scope", "sales_region", "target_customers", "obligations", "supervision"),
        ),
        (_("Signed contract"), ("signed_pdf",)),
    )

    partner = PartnerChoiceField(
        label=_("Partner"), queryset=Partner.objects.none(), empty_label=CHOOSE[1]
    )
    code = forms.CharField(
        label=_("Contract number"),
        required=False,
        max_length=50,
        help_text=_("Optional; unique when given."),
    )
    fee_mode = forms.ChoiceField(label=_("Fee mode"), choices=[CHOOSE, *FeeMode.choices])
    fee_value = DecimalField(
        label=_("Fee value"),
        max_digits=12,
        decimal_places=2,
        help_text=_("CNY per signed unit, or a percentage of the signed amount (1.50 = 1.5%)."),
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )
    fee_milestone = forms.ChoiceField(
        label=_("Fee earned on"), choices=FeeMilestone.choices, initial=FeeMilestone.SIGNING
    )
    fee_notes = _text(_("Fee management notes"))
    start_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    end_on = forms.DateField(label=_("Ends on"), widget=DateInput())
    termination_conditions = _text(_("Termination conditions"))
    scope = _text(_("Scope and responsibilities"), rows=3)
    sales_region = _text(_("Sales region"))
    target_customers = _text(_("Target customers"))
    obligations = _text(_("Obligations"))
    supervision = _text(_("Supervision and assessment"))
    signed_pdf = forms.FileField(
        label=_("Signed contract (PDF)"),
        required=False,
        widget=PdfInput(),
        help_text=_("PDF only; it can also be attached later."),
    )

    def __init__(self, *args, partners=None, **kwargs):
        super().__init__(*args, **kwargs)
        if partners is None:  # editing: a contract never moves to another partner
            del self.fields["partner"]
        else:
            self.fields["partner"].queryset = partners

    def groups(self) -> list[tuple]:
        """(title, [(bound field, is it a wide text box)]) per group, for the page's layout."""
        return [
            (
                title,
                [
                    (
                        self[name],
                        isinstance(self.fields[name].widget, forms.Textarea | forms.FileInput),
                    )
                    for name in names
                    if name in self.fields
                ],
            )
            for title, names in self.GROUPS
        ]

    def clauses(self) -> dict:
        """The clause fields for contract_create / contract_update (no partner, no PDF)."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in ("partner", "signed_pdf")
        }


class ContractPdfForm(forms.Form):
    """An active contract's clauses are fixed; its signed PDF may still be attached."""

    signed_pdf = forms.FileField(
        label=_("Signed contract (PDF)"),
        widget=PdfInput(),
        error_messages={"required": _("Choose the signed contract's PDF file.")},
    )


class ContractTerminateForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the termination"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Give the reason for the termination.")},
    )
    terminated_on = forms.DateField(
        label=_("Terminated on"),
        required=False,
        widget=DateInput(),
        help_text=_("Default: today."),
    )


class ContractRenewForm(forms.Form):
    start_on = forms.DateField(
        label=_("Starts on"),
        required=False,
        widget=DateInput(),
        help_text=_("Default: the day after the current contract ends."),
    )
    end_on = forms.DateField(
        label=_("Ends on"),
        required=False,
        widget=DateInput(),
        help_text=_("Default: a term as long as the current one."),
    )
