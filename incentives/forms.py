"""Forms of the incentive pages and admin: they read and check input; services write."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from common.forms import DecimalField, add_service_errors
from common.periods import MONTH, WEEK, Period, month_of, parse_period_of, week_of
from incentives.choices import BoardKind, CommissionMode, StatementStatus
from incentives.models import (
    ChannelCost,
    CommissionRate,
    IncentivePlan,
    Target,
)
from incentives.services.costs import cost_check
from incentives.services.plans import plan_validate
from incentives.services.statements import adjustment_amount_check, statement_adjust_check
from incentives.services.targets import target_create_check, target_update_check

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


def _service_checked_amount(form: forms.Form) -> Decimal:
    """The amount, refused here already by the service's own rule (shown beside the other
    fields' errors)."""
    amount = form.cleaned_data["amount"]
    try:
        adjustment_amount_check(amount=amount)
    except ValidationError as exc:
        raise ValidationError(exc.message_dict["amount"]) from None
    return amount


class AdjustmentForm(forms.Form):
    """A manager's manual adjustment of a draft statement: an amount and the reason."""

    amount = DecimalField(
        label=_("Amount (CNY)"),
        max_digits=10,
        decimal_places=2,
        help_text=_("Negative to deduct."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def clean_amount(self) -> Decimal:
        return _service_checked_amount(self)


# --- admin forms ------------------------------------------------------------------------------
class IncentivePlanAdminForm(forms.ModelForm):
    """A plan's numbers, judged by plan_validate (the plan services' own check) so that its
    refusals show on the fields; the admin then stores the plan through the services."""

    class Meta:
        model = IncentivePlan
        fields = "__all__"  # noqa: DJ007 - the admin decides which fields it shows

    def plan_values(self) -> dict:
        """The cleaned numbers and name of the plan, without its projects."""
        return {name: value for name, value in self.cleaned_data.items() if name != "projects"}

    def clean(self):
        data = super().clean()
        try:
            plan_validate(
                values=data,
                projects=data.get("projects"),
                plan=self.instance if self.instance.pk else None,
            )
        except ValidationError as exc:
            add_service_errors(self, exc)
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
    """A new line on a draft statement in the admin: a manual adjustment with its reason,
    checked by the service before the admin saves (its errors shown on the fields)."""

    class Meta:
        fields = ("amount", "description")

    def clean_amount(self) -> Decimal:
        return _service_checked_amount(self)

    def clean(self):
        data = super().clean()
        if self.has_changed() and "amount" in data and "description" in data:
            try:
                statement_adjust_check(
                    statement=self.instance.statement,
                    amount=data["amount"],
                    reason=data["description"],
                )
            except ValidationError as exc:
                for name, errors in exc.message_dict.items():
                    name = {"reason": "description"}.get(name, name)
                    self.add_error(name if name in self.fields else None, errors)
        return data


def _add_unrefused_errors(form: forms.Form, exc: ValidationError) -> None:
    """A service's field errors, except on fields the form's own types already refused."""
    for name, errors in exc.message_dict.items():
        if name not in form.errors:
            form.add_error(name if name in form.fields else None, errors)


class TargetAdminForm(forms.ModelForm):
    """The target services' checks (target_create_check / target_update_check), as field
    errors; the admin then stores the target through target_create / target_update."""

    class Meta:
        model = Target
        fields = "__all__"  # noqa: DJ007 - the admin decides which fields it shows

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor

    def clean(self):
        data = super().clean()
        try:
            if self.instance.pk is not None:
                if data.get("value") is not None:
                    target_update_check(actor=self.actor, target=self.instance, value=data["value"])
            elif all(data.get(name) is not None for name in ("metric", "subject_type", "value")):
                data["period"] = target_create_check(
                    actor=self.actor,
                    metric=data["metric"],
                    subject_type=data["subject_type"],
                    period=data.get("period") or "",
                    value=data["value"],
                    subject_id=data.get("subject_id"),
                )
        except ValidationError as exc:
            _add_unrefused_errors(self, exc)
        return data


class ChannelCostAdminForm(forms.ModelForm):
    """cost_check's refusals as field errors; the admin then stores through the services."""

    class Meta:
        model = ChannelCost
        fields = "__all__"  # noqa: DJ007 - the admin decides which fields it shows

    def clean(self):
        data = super().clean()
        try:
            data["period"] = cost_check(
                period=(data.get("period") or "").strip(), amount=data.get("amount")
            )
        except ValidationError as exc:
            _add_unrefused_errors(self, exc)
        return data
