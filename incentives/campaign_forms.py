"""The campaign form: it reads the input's shape; `campaign_create` / `campaign_update` check
it (dates in order, projects the user runs, a budget of 0 or more) and store it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from partners.choices import PartnerStatus
from partners.selectors import partner_list
from sales.choices import CampaignKind
from sales.selectors.campaigns import campaign_project_choices

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class NamedMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=CampaignKind.choices)
    projects = NamedMultipleChoiceField(
        label=_("Projects"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    partners = NamedMultipleChoiceField(
        label=_("Partners"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The partners taking part (a partner incentive, 渠道激励); optional."),
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE)
    budget_amount = forms.DecimalField(
        label=_("Budget"),
        max_digits=14,
        decimal_places=2,
        initial=0,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )
    target_visits = forms.IntegerField(label=_("Target visits"), min_value=0, initial=0)
    target_signings = forms.IntegerField(label=_("Target signings"), min_value=0, initial=0)

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["projects"].queryset = campaign_project_choices(user=request.user)
        self.fields["partners"].queryset = (
            partner_list(user=request.user)
            .filter(status=PartnerStatus.ACTIVE)
            .order_by("name", "pk")
        )

    @classmethod
    def initial_of(cls, campaign) -> dict:
        fields = ("name", "kind", "starts_on", "ends_on", "budget_amount")
        return {
            **{name: getattr(campaign, name) for name in fields},
            "target_visits": campaign.target_visits,
            "target_signings": campaign.target_signings,
            "projects": list(campaign.projects.all()),
            "partners": list(campaign.partners.all()),
        }

    def campaign_values(self) -> dict:
        """The service's keywords."""
        data = dict(self.cleaned_data)
        data["projects"] = list(data["projects"])
        data["partners"] = list(data["partners"])
        return data
