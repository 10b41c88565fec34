"""Browser forms of the sales office: they adapt input; the services hold the rules."""

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.periods import local_today
from partners.choices import PartnerStatus
from partners.selectors import partner_list
from sales.choices import PropertyType
from sales.models import Project, Staff
from sales.selectors.org import consultant_active_list, marketer_active_list, project_active_list
from sales.selectors.reports import report_project_list
from sales.services.imports import MAX_FILE_BYTES, SIGNINGS, VISITS

# How the group came: brought by a channel (带访), or a walk-in (自然到访).
CHANNEL_BROUGHT, CHANNEL_WALK_IN = "brought", "walk_in"

# A service's error field → the form field that shows it.
VISIT_ERROR_FIELDS = {
    "customer_phone": "phone",
    "marketer": "brought_by",
    "partner": "brought_by",
    "status": "confirmed",
}


def channel_choices(user) -> list:
    """Every active marketer and partner as one grouped pick list: "m:12" / "p:3"."""
    marketers = [
        (f"m:{s.pk}", f"{s.name} · {s.team.name}" if s.team_id else s.name)
        for s in marketer_active_list()
    ]
    partners = [
        (f"p:{p.pk}", p.name)
        for p in partner_list(user=user).filter(status=PartnerStatus.ACTIVE).order_by("name")
    ]
    return [
        ("", "—"),
        (_("Marketers"), marketers),
        (_("Partners"), partners),
    ]


def channel_from_choice(value: str, *, user) -> dict | None:
    """ "m:12" / "p:3" → {"marketer": Staff} or {"partner": Partner}; None when it names no
    active marketer or partner the user may pick."""
    kind, _sep, pk = (value or "").partition(":")
    found = None
    if pk.isdigit() and kind == "m":
        found = {"marketer": marketer_active_list().filter(pk=pk).first()}
    elif pk.isdigit() and kind == "p":
        partners = partner_list(user=user).filter(status=PartnerStatus.ACTIVE)
        found = {"partner": partners.filter(pk=pk).first()}
    return found if found and next(iter(found.values())) else None


class ProjectChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Project) -> str:
        return obj.name


class VisitEntryForm(forms.Form):
    """The secretary's fast entry of one visit (来访登记)."""

    project = ProjectChoiceField(
        label=_("Project"), queryset=Project.objects.none(), empty_label=None
    )
    customer_name = forms.CharField(
        label=_("Customer name"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}),
    )
    phone = forms.CharField(
        label=_("Mobile"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "inputmode": "tel",
                "autocomplete": "off",
                "placeholder": "13812345678",
                "hx-get": reverse_lazy("sales:visit-check-phone"),
                "hx-trigger": "keyup changed delay:400ms, change",
                "hx-include": "#id_project",
                "hx-target": "#phone-check",
                "hx-swap": "innerHTML",
            }
        ),
    )
    channel = forms.ChoiceField(
        label=_("Source"),
        choices=[
            (CHANNEL_BROUGHT, _("Brought (带访)")),
            (CHANNEL_WALK_IN, _("Walk-in (自然到访)")),
        ],
        initial=CHANNEL_BROUGHT,
        required=False,  # an older form without it logs a brought visit, as before
        widget=forms.RadioSelect(attrs={"class": "channel-choice"}),
    )
    brought_by = forms.ChoiceField(label=_("Brought by"), required=False)
    property_type = forms.ChoiceField(label=_("Property type"))
    consultant = forms.ModelChoiceField(
        label=_("Property consultant"),
        queryset=Staff.objects.none(),
        required=False,
        empty_label="—",
    )
    group_size = forms.IntegerField(
        label=_("People"),
        min_value=1,  # the type; the largest group is visit_record's to refuse
        initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    visited_at = forms.DateTimeField(
        label=_("Time"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Leave as is for now."),
    )
    confirmed = forms.BooleanField(
        label=_("Confirmed now"),
        required=False,
        initial=True,
        widget=forms.CheckboxInput(attrs={"role": "switch"}),
    )

    def __init__(self, *args, user, project: Project | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["project"].queryset = project_active_list()
        # Switching project reloads the entry area for it (its property types, its list).
        self.fields["project"].widget.attrs.update(
            {
                "hx-get": reverse("sales:visits-today"),
                "hx-trigger": "change",
                "hx-target": "#entry",
                "hx-select": "#entry",
                "hx-swap": "outerHTML",
                "hx-push-url": "true",
            }
        )
        self.fields["consultant"].queryset = consultant_active_list()
        self.fields["brought_by"].choices = channel_choices(user)
        chosen = self._chosen_project(project)
        types = chosen.property_types if chosen else [t.value for t in PropertyType]
        self.fields["property_type"].choices = [
            (t, label) for t, label in PropertyType.choices if t in types
        ]
        if not self.is_bound:
            self.initial.setdefault("project", project)
            self.initial.setdefault("visited_at", timezone.localtime().replace(second=0))
            if types:
                self.initial.setdefault("property_type", types[0])

    def _chosen_project(self, project: Project | None) -> Project | None:
        if self.is_bound:
            raw = self.data.get(self.add_prefix("project"))
            found = project_active_list().filter(pk=raw).first() if raw else None
            return found or project
        return project

    def clean_channel(self) -> str:
        return self.cleaned_data.get("channel") or CHANNEL_BROUGHT

    def clean(self):
        """A walk-in names nobody; a brought visit names who brought it."""
        cleaned = super().clean()
        if cleaned.get("channel") == CHANNEL_WALK_IN:
            self.errors.pop("brought_by", None)
            cleaned["brought_by"] = {}
        elif "brought_by" in cleaned and not cleaned["brought_by"]:
            self.add_error("brought_by", _("Choose who brought the customer."))
        return cleaned

    def clean_brought_by(self) -> dict | None:
        """ "m:12" / "p:3" → {"marketer": Staff} or {"partner": Partner} for the service;
        empty: for a walk-in (``clean`` decides)."""
        if not self.cleaned_data.get("brought_by"):
            return None
        found = channel_from_choice(self.cleaned_data["brought_by"], user=self.user)
        if not found:
            raise ValidationError(_("Choose who brought the customer."))
        return found


class DailyReportForm(forms.Form):
    """Which project and day the daily report (日报) shows."""

    project = ProjectChoiceField(label=_("Project"), queryset=Project.objects.none())
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the projects the user may report on (a supervisor: their teams' projects).
        self.fields["project"].queryset = report_project_list(user=user).order_by(
            "-is_active", "name"
        )

    def clean_date(self):
        on = self.cleaned_data["date"]
        if on > local_today():
            raise ValidationError(_("The date cannot be in the future."))
        return on


class ImportForm(forms.Form):
    """Upload an xlsx file of visits or signings."""

    kind = forms.ChoiceField(
        label=_("What the file holds"),
        choices=[(VISITS, _("Visits (来访)")), (SIGNINGS, _("Signings (签约)"))],
        initial=VISITS,
        widget=forms.RadioSelect,
    )
    project = ProjectChoiceField(label=_("Project"), queryset=Project.objects.none())
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        help_text=_(
            "At most 5 MB and 5000 rows; a header row names the columns (title rows above it "
            "are fine)."
        ),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
    sheet = forms.CharField(
        label=_("Sheet"),
        required=False,
        max_length=31,
        help_text=_("Leave empty to read every sheet with a header row; or name one sheet."),
    )
    commit_good_rows = forms.BooleanField(
        label=_("Import the good rows and skip the bad ones"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = project_active_list()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise ValidationError(_("The file is larger than 5 MB; split it into smaller files."))
        return upload
