"""One FilterSet per listable model, shared by the API and the browser list pages.

Filters on another partner are plain numbers, never model choices: a choice filter answers
"select a valid choice" for an id that does not exist and so would tell a partner user which
ids do. Filters narrow the selector's already scoped rows; they never widen them.
"""

from datetime import timedelta

import django_filters
from django.utils.translation import gettext_lazy as _

from common.filters import IdFilter, SearchFilterSet, WholeNumberFilter
from common.periods import local_today
from partners.choices import (
    ApplicationStatus,
    ContractStatus,
    CreditRating,
    FeeMilestone,
    FeeMode,
    PartnerKind,
    PartnerStatus,
    TrainingTopic,
)
from partners.models import Partner, PartnerApplication, PartnerContract, TrainingSession
from partners.selectors import partner_for_user, partner_list

EXPIRY_HORIZON_DAYS = 3650  # "expiring within" at most ten years ahead


class PartnerFilter(SearchFilterSet):
    kind = django_filters.ChoiceFilter(choices=PartnerKind.choices)
    status = django_filters.ChoiceFilter(choices=PartnerStatus.choices)
    credit_rating = django_filters.ChoiceFilter(choices=CreditRating.choices)
    tier = WholeNumberFilter()
    region = django_filters.CharFilter(
        field_name="regions", lookup_expr="icontains", label=_("Region")
    )
    search_fields = ("name", "credit_code", "contact_name", "contact_phone", "regions")

    class Meta:
        model = Partner
        fields = ["kind", "status", "credit_rating", "tier"]


class PartnerApplicationFilter(SearchFilterSet):
    status = django_filters.ChoiceFilter(choices=ApplicationStatus.choices)
    kind = django_filters.ChoiceFilter(choices=PartnerKind.choices)
    passed = django_filters.BooleanFilter(field_name="is_passed", label=_("Passed screening"))
    submitted_after = django_filters.DateFilter(field_name="created_at__date", lookup_expr="gte")
    submitted_before = django_filters.DateFilter(field_name="created_at__date", lookup_expr="lte")
    search_fields = ("company_name", "credit_code", "contact_name", "contact_phone", "regions")

    class Meta:
        model = PartnerApplication
        fields = ["status", "kind"]


class PartnerContractFilter(SearchFilterSet):
    partner = IdFilter(field_name="partner_id")
    status = django_filters.ChoiceFilter(choices=ContractStatus.choices)
    fee_mode = django_filters.ChoiceFilter(choices=FeeMode.choices)
    fee_milestone = django_filters.ChoiceFilter(choices=FeeMilestone.choices)
    ends_after = django_filters.DateFilter(
        field_name="end_on", lookup_expr="gte", label=_("Ends on or after")
    )
    ends_before = django_filters.DateFilter(
        field_name="end_on", lookup_expr="lte", label=_("Ends on or before")
    )
    expires_within = WholeNumberFilter(
        method="filter_expires_within",
        label=_("Expiring within (days)"),
        min_value=0,
        max_value=EXPIRY_HORIZON_DAYS,
        help_text=_("Active contracts whose end date is today or within this many days."),
    )
    search_fields = ("code", "partner__name", "sales_region")

    class Meta:
        model = PartnerContract
        fields = ["status", "fee_mode", "fee_milestone"]

    def filter_expires_within(self, queryset, name, value):
        today = local_today()
        return queryset.filter(
            status=ContractStatus.ACTIVE,
            end_on__gte=today,
            end_on__lte=today + timedelta(days=value),
        )


class TrainingSessionFilter(SearchFilterSet):
    topic = django_filters.ChoiceFilter(choices=TrainingTopic.choices)
    partner = IdFilter(method="filter_partner", label=_("Invited partner"))
    held_after = django_filters.DateFilter(
        field_name="held_on", lookup_expr="gte", label=_("Held on or after")
    )
    held_before = django_filters.DateFilter(
        field_name="held_on", lookup_expr="lte", label=_("Held on or before")
    )
    search_fields = ("title", "location", "trainer")

    class Meta:
        model = TrainingSession
        fields = ["topic"]

    def filter_partner(self, queryset, name, value):
        mine = partner_for_user(getattr(self.request, "user", None))
        if mine is not None and mine.pk != value:
            # A partner user asking about another partner learns nothing, not even overlap.
            return queryset.none()
        # Only sessions the partner is invited to; a subquery keeps rows distinct.
        invited = TrainingSession.objects.filter(attendances__partner_id=value).values("pk")
        return queryset.filter(pk__in=invited)


# --- the office list pages: the API's filters, with a partner picked by name -------------------
class _OfficePage:
    """The API's filters on a page: a choice left empty reads "All"; a `partner` filter is a
    select of the caller's partners (the pages are behind `manage_partners`, so the choices
    leak nothing)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for declared in self.filters.values():
            if isinstance(declared, django_filters.ChoiceFilter):
                declared.extra.setdefault("empty_label", _("All"))
        if isinstance(self.filters.get("partner"), django_filters.ModelChoiceFilter):
            user = getattr(self.request, "user", None)
            self.filters["partner"].queryset = partner_list(user=user).order_by("name", "pk")


class PartnerPageFilter(_OfficePage, PartnerFilter):
    pass


class PartnerContractPageFilter(_OfficePage, PartnerContractFilter):
    partner = django_filters.ModelChoiceFilter(
        field_name="partner",
        queryset=Partner.objects.none(),
        label=_("Partner"),
        empty_label=_("Every partner"),
    )

    class Meta(PartnerContractFilter.Meta):
        fields = ["partner", "status", "expires_within", "fee_mode", "fee_milestone"]


class TrainingSessionPageFilter(_OfficePage, TrainingSessionFilter):
    partner = django_filters.ModelChoiceFilter(
        method="filter_invited",
        queryset=Partner.objects.none(),
        label=_("Invited partner"),
        empty_label=_("Every partner"),
    )

    def filter_invited(self, queryset, name, value):
        invited = TrainingSession.objects.filter(attendances__partner=value).values("pk")
        return queryset.filter(pk__in=invited)
