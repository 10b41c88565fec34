"""Browser forms of one visit's page: correct it (as `visit_update` allows) or reject it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sales.forms import SourceFieldsMixin
from sales.models import Campaign, Staff
from sales.selectors.org import consultant_active_list


class ConsultantChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Staff) -> str:
        return obj.name


class VisitCorrectForm(SourceFieldsMixin, forms.Form):
    """What the office may change on a logged visit (as `visit_update` allows)."""

    consultant = ConsultantChoiceField(
        label=_("Property consultant"),
        queryset=Staff.objects.none(),
        required=False,
        empty_label="—",
    )
    group_size = forms.IntegerField(
        label=_("People"), min_value=1, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, visit, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The active consultants, and the one already on the visit (kept even if inactive).
        consultants = consultant_active_list()
        if visit.consultant_id:
            consultants = consultants | Staff.objects.filter(pk=visit.consultant_id)
        self.fields["consultant"].queryset = consultants.order_by("name", "id")
        self.source_fields_init(user)
        if visit.campaign_id:  # kept on the list even once closed
            self.fields["campaign"].queryset |= Campaign.objects.filter(pk=visit.campaign_id)


class VisitRejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)
