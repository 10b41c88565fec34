"""Browser forms of the office's deals: 认购, 签约, 退房, 回款 and 按揭.

They carry types only (a number, a date, a choice); every limit — amounts above 0, dates not in
the future, a unit sold once, a mortgage within its signing, a cancellation after its signing —
is the service's (`sales.services.deals`), whose ValidationError lands on these fields through
the ``*_ERROR_FIELDS`` maps."""

import contextlib

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from common.forms import DecimalField
from common.normalise import parse_amount, parse_area
from common.periods import local_today
from partners.choices import PartnerStatus
from sales.choices import MortgageStatus, PaymentKind, PropertyType
from sales.forms import ProjectChoiceField
from sales.models import Project, Subscription
from sales.selectors.deals import customer_active_subscriptions, signing_for_unit
from sales.selectors.org import (
    channel_marketer_choices,
    channel_partner_choices,
    project_active_list,
)

# A service's error field → the form field that shows it (others go above the form).
CREDIT_ERROR_FIELDS = {"marketer": "credit", "partner": "credit"}
SUBSCRIPTION_ERROR_FIELDS = CREDIT_ERROR_FIELDS
SIGNING_ERROR_FIELDS = CREDIT_ERROR_FIELDS
SIGNING_UNIT_ERROR_FIELDS = {"signing": "unit"}  # payments and mortgages name their signing

_DATE_INPUT = {"type": "date"}


class MoneyField(DecimalField):
    """An amount in CNY as people type it: ``1,200,000``, ``¥1200000.00``, ``125.5万`` or in
    full-width digits (common.normalise.parse_amount); two decimals at most."""

    parse = staticmethod(parse_amount)

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str) and value.strip():
            with contextlib.suppress(ValueError):  # else DecimalField says what is wrong
                value = str(self.parse(value))
        return super().to_python(value)


class AreaField(MoneyField):
    """Floor area in m², two decimals: ``98.5``, ``98.5平米``, ``98.5㎡``."""

    parse = staticmethod(parse_area)

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 10)
        super().__init__(**kwargs)


def date_field(label, *, required: bool = True, today: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        initial=local_today if today else None,
        widget=forms.DateInput(attrs=_DATE_INPUT, format="%Y-%m-%d"),
    )


def channel_choices(user) -> list:
    """Who a deal is credited to: by attribution (blank), or one active marketer or partner."""
    marketers = [
        (f"m:{s.pk}", f"{s.name} · {s.team.name}" if s.team_id else s.name)
        for s in channel_marketer_choices(user=user)
        .filter(is_active=True)
        .select_related("team")
        .order_by("name", "id")
    ]
    partners = [
        (f"p:{p.pk}", p.name)
        for p in channel_partner_choices(user=user)
        .filter(status=PartnerStatus.ACTIVE)
        .order_by("name", "id")
    ]
    return [
        ("", _("By attribution (the customer's channel)")),
        (_("Marketers"), marketers),
        (_("Partners"), partners),
    ]


def channel_value(*, marketer_id=None, partner_id=None) -> str:
    """The credit field's value for a marketer or partner id ("" when neither)."""
    if marketer_id:
        return f"m:{marketer_id}"
    return f"p:{partner_id}" if partner_id else ""


class DealCustomerForm(forms.Form):
    """The fields 认购 and 签约 share: where, who, which unit, credited to whom."""

    project = ProjectChoiceField(
        label=_("Project"), queryset=Project.objects.none(), empty_label=None
    )
    customer_name = forms.CharField(label=_("Customer name"), max_length=100)
    customer_phone = forms.CharField(
        label=_("Mobile"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"inputmode": "tel", "autocomplete": "off", "placeholder": "13812345678"}
        ),
    )
    unit = forms.CharField(
        label=_("Unit"),
        max_length=50,
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "3-1502"}),
    )
    property_type = forms.ChoiceField(label=_("Property type"), choices=PropertyType.choices)
    credit = forms.ChoiceField(label=_("Credited to"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["project"].queryset = project_active_list()
        self.fields["credit"].choices = channel_choices(user)

    def clean_credit(self) -> dict:
        """ "m:12" / "p:3" → {"marketer": Staff} / {"partner": Partner}; blank → {}."""
        kind, _sep, pk = (self.cleaned_data.get("credit") or "").partition(":")
        if not kind:
            return {}
        if kind == "m":
            found = {"marketer": channel_marketer_choices(user=self.user).filter(pk=pk).first()}
        else:
            found = {"partner": channel_partner_choices(user=self.user).filter(pk=pk).first()}
        if next(iter(found.values())) is None:  # gone since the page was shown
            raise ValidationError(_("Choose who the deal is credited to."))
        return found


class SubscriptionForm(DealCustomerForm):
    """认购: a unit reserved with an amount on a day."""

    amount = MoneyField(label=_("Subscription amount (CNY)"))
    subscribed_on = date_field(_("Subscribed on"))

    field_order = [
        "project",
        "customer_name",
        "customer_phone",
        "unit",
        "property_type",
        "amount",
        "subscribed_on",
        "credit",
    ]


class SubscriptionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Subscription) -> str:
        return f"{obj.unit} · {obj.subscribed_on:%Y-%m-%d}"


class SigningForm(DealCustomerForm):
    """签约: a signed unit with its area, amount and date; from a 认购 where there is one."""

    area = AreaField(label=_("Area (m²)"))
    amount = MoneyField(label=_("Contract amount (CNY)"))
    signed_on = date_field(_("Signed on"))
    subscription = SubscriptionChoiceField(
        label=_("From subscription (认购)"),
        queryset=Subscription.objects.none(),
        required=False,
        empty_label=_("None"),
    )

    field_order = [
        "project",
        "customer_name",
        "customer_phone",
        "subscription",
        "unit",
        "property_type",
        "area",
        "amount",
        "signed_on",
        "credit",
    ]

    def __init__(self, *args, user, customer=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        subscriptions = customer_active_subscriptions(user=user, customer=customer)
        self.fields["subscription"].queryset = subscriptions
        if customer is None:
            # Nothing to convert: a signing straight away, without the empty pick list.
            self.fields["subscription"].widget = forms.HiddenInput()


class SigningCancelForm(forms.Form):
    """退房: the day a signing is cancelled, and why."""

    cancelled_on = date_field(_("Cancelled on"))
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class SigningUnitForm(forms.Form):
    """A payment or mortgage names its signing by project and unit, as the office knows it."""

    project = ProjectChoiceField(
        label=_("Project"), queryset=Project.objects.none(), empty_label=None
    )
    unit = forms.CharField(
        label=_("Unit"),
        max_length=50,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "placeholder": "3-1502", "list": "deal-units"}
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["project"].queryset = project_active_list()

    def clean(self):
        data = super().clean()
        project, unit = data.get("project"), data.get("unit")
        if project and unit:
            signing = signing_for_unit(user=self.user, project=project, unit=unit)
            if signing is None:
                self.add_error(
                    "unit",
                    ValidationError(
                        _("No signing of unit %(unit)s at %(project)s."),
                        params={"unit": unit, "project": project.name},
                    ),
                )
            data["signing"] = signing
        return data


class PaymentForm(SigningUnitForm):
    """回款: money received against a signing."""

    kind = forms.ChoiceField(label=_("Kind"), choices=PaymentKind.choices)
    amount = MoneyField(label=_("Amount received (CNY)"))
    paid_on = date_field(_("Paid on"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class MortgageFields(forms.Form):
    """The fields of a mortgage (按揭) itself: bank, amount, where it stands, its dates."""

    bank = forms.CharField(label=_("Bank"), max_length=100)
    amount = MoneyField(label=_("Loan amount (CNY)"))
    status = forms.ChoiceField(
        label=_("Stage"), choices=MortgageStatus.choices, initial=MortgageStatus.APPLIED
    )
    applied_on = date_field(_("Applied on"))
    disbursed_on = date_field(_("Disbursed on (放款)"), required=False, today=False)


class MortgageForm(SigningUnitForm, MortgageFields):
    """按揭: a loan against a signing, from application to disbursement."""

    field_order = ["project", "unit", "bank", "amount", "status", "applied_on", "disbursed_on"]


class MortgageEditForm(MortgageFields):
    """Move a mortgage along: approved, disbursed with its date, or rejected."""
