"""Forms of the incentive pages and admin: they read and check input; services write."""

from decimal import Decimal
from itertools import pairwise

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from common.forms import add_service_errors
from common.periods import MONTH, WEEK, Period, month_of, parse_period, parse_period_of, week_of
from incentives.choices import BoardKind, CommissionMode, StatementStatus
from incentives.models import (
    ADJUSTMENT_LIMIT,
    ChannelCost,
    CommissionRate,
    IncentivePlan,
    Target,
)

DEFAULT_BOARD = BoardKind.WEEKLY_VISITS


def board_period_kind(kind: str) -> str:
    return WEEK if kind == BoardKind.WEEKLY_VISITS else MONTH


def board_period_for(kind: str, period: Period, *, today) -> Period:
    """The period a board tab shows when switching from another board's period: a week's
    month, or the month's last week that has begun."""
    if board_period_kind(kind) == period.kind:
        return period
    if period.kind == WEEK:
        return month_of(period.end)
    return week_of(min(period.end, today))


def parse_month(value: str) -> Period:
    try:
        return parse_period_of(value, (MONTH,), message=_("Give a month, e.g. 2026-11."))
    except (TypeError, ValueError) as exc:
        raise ValidationError(str(exc)) from exc


class LeaderboardQueryForm(forms.Form):
    """Which board (kind), period and plan the leaderboard page shows."""

    kind = forms.ChoiceField(label=_("Board"), choices=BoardKind.choices, required=False)
    period = forms.CharField(label=_("Period"), max_length=10, required=False)
    plan = forms.IntegerField(label=_("Plan"), required=False, min_value=1)

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_kind(self) -> str:
        return self.cleaned_data.get("kind") or DEFAULT_BOARD

    def clean(self):
        data = super().clean()
        kind = data.get("kind") or DEFAULT_BOARD
        code = (data.get("period") or "").strip()
        expected = board_period_kind(kind)
        if not code:
            data["period"] = week_of(self.today) if expected == WEEK else month_of(self.today)
            return data
        message = _("This board needs a %(kind)s, e.g. %(example)s.") % {
            "kind": _("week") if expected == WEEK else _("month"),
            "example": "2026-W47" if expected == WEEK else "2026-11",
        }
        try:
            data["period"] = parse_period_of(code, (expected,), message=message)
        except ValueError as exc:
            self.add_error("period", str(exc))
        return data


class StatementQueryForm(forms.Form):
    """Filters of the statements list (period, status, team), checked before filtering."""

    period = forms.CharField(
        label=_("Month"),
        max_length=7,
        required=False,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-11"}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any status")), *StatementStatus.choices],
        required=False,
    )
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=None, required=False, empty_label=_("Every team")
    )

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["team"].label_from_instance = lambda team: str(team)
        if not teams.exists():
            del self.fields["team"]

    def clean_period(self) -> str:
        code = (self.cleaned_data.get("period") or "").strip()
        return str(parse_month(code)) if code else ""

    def filter_data(self) -> dict:
        """The valid choices as StatementFilter data (the FilterSet shared with the API)."""
        data = {"period": self.cleaned_data.get("period"), "status": self.cleaned_data["status"]}
        team = self.cleaned_data.get("team")
        if team is not None:
            data["team"] = team.pk
        return {key: value for key, value in data.items() if value}


class PeriodForm(forms.Form):
    """The month the approvals page works on (and computes)."""

    period = forms.CharField(
        label=_("Month"),
        max_length=7,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-11"}),
    )

    def clean_period(self) -> str:
        return str(parse_month(self.cleaned_data["period"].strip()))


class ComputeForm(forms.Form):
    """Compute a month (boards and draft statements) or a week (its board) now."""

    period = forms.CharField(label=_("Period"), max_length=10)

    def clean_period(self) -> str:
        try:
            return str(parse_period(self.cleaned_data["period"].strip()))
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc


class ApproveSelectedForm(forms.Form):
    ids = forms.TypedMultipleChoiceField(coerce=int, choices=(), required=True)

    def __init__(self, *args, statement_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ids"].choices = [(pk, pk) for pk in statement_ids]
        self.fields["ids"].error_messages["required"] = _("Select at least one statement.")
        self.fields["ids"].error_messages["invalid_choice"] = _(
            "A selected statement is no longer a draft of this month; reload the page."
        )


class AdjustmentForm(forms.Form):
    """A manager's manual adjustment of a draft statement: an amount and the reason."""

    amount = forms.DecimalField(
        label=_("Amount (CNY)"),
        max_digits=10,
        decimal_places=2,
        min_value=-ADJUSTMENT_LIMIT,
        max_value=ADJUSTMENT_LIMIT,
        help_text=_("Negative to deduct."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def clean_amount(self) -> Decimal:
        amount = self.cleaned_data["amount"]
        if amount == 0:
            raise ValidationError(_("An adjustment of 0 changes nothing."))
        return amount


# --- admin forms ------------------------------------------------------------------------------
PRIZE_LADDERS = (
    ("weekly_visit_prize_1", "weekly_visit_prize_2", "weekly_visit_prize_3"),
    ("monthly_visit_prize_1", "monthly_visit_prize_2", "monthly_visit_prize_3"),
    ("signing_prize_1", "signing_prize_2", "signing_prize_3"),
)


class IncentivePlanAdminForm(forms.ModelForm):
    """A plan's numbers must make sense together, and two plans may not start in the same
    month for the same project (a newer plan supersedes from its own month)."""

    class Meta:
        model = IncentivePlan
        fields = "__all__"  # noqa: DJ007 - the admin decides which fields it shows

    def clean(self):
        data = super().clean()
        starts = data.get("effective_from")
        if starts is not None and starts.day != 1:
            self.add_error("effective_from", _("A plan starts on the first of a month."))
        for ladder in PRIZE_LADDERS:
            for higher, lower in pairwise(ladder):
                if (
                    data.get(higher) is not None
                    and data.get(lower) is not None
                    and data[lower] > data[higher]
                ):
                    self.add_error(lower, _("A lower rank cannot win more than the rank above."))
        for name in ("weekly_visit_threshold", "monthly_visit_threshold"):
            if data.get(name) == 0:
                self.add_error(name, _("At least one valid visit makes a person eligible."))
        weekly, monthly = data.get("weekly_visit_threshold"), data.get("monthly_visit_threshold")
        if weekly and monthly and monthly < weekly:
            self.add_error(
                "monthly_visit_threshold",
                _("A month holds at least a week: its minimum cannot be below the weekly one."),
            )
        projects = data.get("projects")
        if starts is not None and projects:
            clash = (
                IncentivePlan.objects.filter(effective_from=starts, projects__in=projects)
                .exclude(pk=self.instance.pk)
                .values_list("name", "projects__name")
                .first()
            )
            if clash:
                self.add_error(
                    "projects",
                    _("%(project)s already has the plan “%(plan)s” starting that month.")
                    % {"project": clash[1], "plan": clash[0]},
                )
        return data


class CommissionRateAdminForm(forms.ModelForm):
    class Meta:
        model = CommissionRate
        fields = "__all__"  # noqa: DJ007 - the admin decides which fields it shows

    def clean(self):
        data = super().clean()
        percent = data.get("mode") == CommissionMode.PERCENT
        if percent and data.get("value") is not None and data["value"] > 100:
            self.add_error(
                "value", _("A percent of the amount (0.5 = 0.5%) cannot be more than 100.")
            )
        return data


class CommissionRateFormSet(forms.BaseInlineFormSet):
    """One rate per project (or plan-wide) and property type."""

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("property_type"):
                continue
            key = (data.get("project"), data["property_type"])
            if key in seen:
                form.add_error(
                    "property_type",
                    _("This property type already has a rate for the same project."),
                )
            seen.add(key)


class AdjustmentLineAdminForm(forms.ModelForm):
    """A new line on a draft statement in the admin: a manual adjustment with its reason."""

    class Meta:
        fields = ("amount", "description")

    def clean_amount(self) -> Decimal:
        amount = self.cleaned_data["amount"]
        if amount == 0:
            raise ValidationError(_("An adjustment of 0 changes nothing."))
        return amount

    def clean_description(self) -> str:
        text = (self.cleaned_data.get("description") or "").strip()
        if not text:
            raise ValidationError(_("Say why the statement is adjusted."))
        return text


class TargetAdminForm(forms.ModelForm):
    """The checks of the target services, as field errors."""

    class Meta:
        model = Target
        fields = "__all__"  # noqa: DJ007 - the admin decides which fields it shows

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor

    def clean_period(self) -> str:
        try:
            return str(parse_period(self.cleaned_data["period"]))
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc

    def clean(self):
        from incentives.services import targets

        data = super().clean()
        checks = [
            lambda: targets._target_subject_check(
                subject_type=data["subject_type"], subject_id=data.get("subject_id")
            ),
            lambda: targets._target_value_check(metric=data["metric"], value=data["value"]),
        ]
        if self.actor is not None:
            checks.append(
                lambda: targets._target_scope_check(
                    actor=self.actor,
                    subject_type=data["subject_type"],
                    subject_id=data.get("subject_id"),
                )
            )
        if all(data.get(name) is not None for name in ("metric", "subject_type", "value")):
            for check in checks:
                try:
                    check()
                except ValidationError as exc:
                    add_service_errors(self, exc)
        return data


class ChannelCostAdminForm(forms.ModelForm):
    class Meta:
        model = ChannelCost
        fields = "__all__"  # noqa: DJ007 - the admin decides which fields it shows

    def clean_period(self) -> str:
        return str(parse_month(self.cleaned_data["period"].strip()))

    def clean_amount(self) -> Decimal:
        amount = self.cleaned_data["amount"]
        if amount is not None and amount <= 0:
            raise ValidationError(_("The amount must be greater than 0."))
        return amount
