"""The target pages (KPI 目标) for managers and supervisors: the list with live attainment, a new
target, a changed value, and a quarter (or year) split into its months — all through the
target services the API calls, each refusal on the field it is about. A supervisor sees and
sets their own teams' and people's targets (the selectors and services scope them)."""

from decimal import Decimal

import django_tables2 as tables
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Case, Value, When
from django.db.models.functions import Substr
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from common.access import can, capability_required
from common.forms import add_service_errors
from common.lists import EXPORT_LIMIT, ListPage, NumberColumn, Table
from common.money import format_money
from common.periods import local_today, parse_period
from incentives.choices import COUNT_METRICS, TargetSubject
from incentives.filters import TargetPageFilter
from incentives.models import Target
from incentives.rules.targets import attainment_rate
from incentives.selectors.targets import (
    target_actuals,
    target_list,
    target_parts,
    target_subject_names,
)
from incentives.services.targets import (
    target_create,
    target_split,
    target_split_check,
    target_update,
)
from incentives.target_forms import TargetForm, TargetSplitForm, TargetValueForm

SPLITS = ("quarter", "year")
SUPERVISED = (TargetSubject.TEAM, TargetSubject.STAFF)


def target_amount(metric: str, amount) -> str:
    """A target's or an actual's figure as people read it: money with cents, counts whole."""
    if amount is None:
        return "—"
    return f"{int(amount):,}" if metric in COUNT_METRICS else format_money(amount)


def attainment_percent(actual, value) -> Decimal | None:
    """Attainment in percent with two places (81.25), None without an actual or a target."""
    rate = None if actual is None else attainment_rate(actual, value)
    return None if rate is None else (rate * 100).quantize(Decimal("0.01"))


def percent_text(percent: Decimal | None) -> str:
    return "—" if percent is None else f"{percent}%"


def subject_name(target: Target, names: dict) -> str:
    if target.subject_type == TargetSubject.COMPANY:
        return _("The company")
    return names.get((target.subject_type, target.subject_id), "—")


# The list opens on the latest year's longest targets (the year, its quarters — the ones to
# split — then months, then weeks): a page of weekly targets would hide what splits.
PERIOD_SPAN = Case(
    When(period__regex=r"^\d{4}$", then=Value(0)),
    When(period__contains="-Q", then=Value(1)),
    When(period__contains="-W", then=Value(3)),
    default=Value(2),
)


class TargetTable(Table):
    """One row per target: who, what, when, the target, the actual so far and attainment.
    The view gives the table its page's subject names and actuals (`describe`)."""

    period = tables.Column(verbose_name=gettext_lazy("Period"))
    metric = tables.Column(verbose_name=gettext_lazy("Metric"))
    subject_type = tables.Column(verbose_name=gettext_lazy("Subject type"))
    subject = tables.Column(
        verbose_name=gettext_lazy("Subject"),
        accessor="subject_id",
        orderable=False,
        empty_values=(),  # the company's is empty, and still named
    )
    value = NumberColumn(verbose_name=gettext_lazy("Target"))
    actual = NumberColumn(verbose_name=gettext_lazy("Actual"), accessor="pk", orderable=False)
    attainment = NumberColumn(
        verbose_name=gettext_lazy("Attainment %"), accessor="pk", orderable=False
    )
    parent = tables.Column(
        verbose_name=gettext_lazy("Split from"), accessor="parent__period", orderable=False
    )
    actions = tables.Column(
        verbose_name="", accessor="pk", orderable=False, exclude_from_export=True
    )

    class Meta(Table.Meta):
        attrs = {"class": "striped nowrap-cells"}  # on a phone: scroll sideways, not squash
        model = Target
        fields = ()
        # What a phone shows first: when, who, what, how far; the rest is a scroll away.
        sequence = (
            "period",
            "subject",
            "metric",
            "value",
            "actual",
            "attainment",
            "subject_type",
            "parent",
            "actions",
        )
        row_attrs = {"data-testid": "target-row", "data-target": lambda record: record.pk}

    def describe(self, targets, *, user) -> None:
        """Name the subjects and count the actuals of these targets (the page's, or every
        exported one): a fixed number of queries, whatever the number of rows."""
        self.names = target_subject_names(targets=targets)
        self.actuals = target_actuals(targets=targets, today=local_today())
        self.may_set_any = can(user, "set_any_target")

    def _attainment(self, record) -> Decimal | None:
        return attainment_percent(self.actuals.get(record.pk), record.value)

    def render_subject(self, record):
        return subject_name(record, self.names)

    def value_subject(self, record):
        return subject_name(record, self.names)

    def render_value(self, record):
        return target_amount(record.metric, record.value)

    def value_value(self, record):
        return record.value

    def render_actual(self, record):
        return target_amount(record.metric, self.actuals.get(record.pk))

    def value_actual(self, record):
        return self.actuals.get(record.pk)

    def render_attainment(self, record):
        return percent_text(self._attainment(record))

    def value_attainment(self, record):
        return self._attainment(record)

    def render_actions(self, record):
        # A supervisor changes their teams' and people's targets (the service says so again).
        if not (self.may_set_any or record.subject_type in SUPERVISED):
            return ""
        links = [
            format_html(
                '<a href="{}" data-testid="edit-target">{}</a>',
                reverse("incentives:target-edit", args=[record.pk]),
                _("Change"),
            )
        ]
        if parse_period(record.period).kind in SPLITS:
            links.append(
                format_html(
                    '<a href="{}" data-testid="split-target">{}</a>',
                    reverse("incentives:target-split", args=[record.pk]),
                    _("Split into months"),
                )
            )
        return format_html(" · ".join(["{}"] * len(links)), *links)


def _target_or_404(request, pk: int) -> Target:
    """A target the user may see (others answer as a missing one would)."""
    target = target_list(user=request.user).select_related("parent").filter(pk=pk).first()
    if target is None:
        raise Http404
    return target


@capability_required("manage_targets")
@require_GET
def target_list_page(request):
    """Targets with live attainment: filter by period, metric, subject type, project or team;
    sort, page, export to Excel."""
    listing = ListPage(
        request,
        queryset=target_list(user=request.user)
        .select_related("parent")
        .annotate(year=Substr("period", 1, 4), span=PERIOD_SPAN)
        .order_by("-year", "span", "-period", "metric", "subject_type", "subject_id", "pk"),
        filterset_class=TargetPageFilter,
        table_class=TargetTable,
        export_name="targets",
        export_title=_("Targets"),
    )
    if listing.export_requested:
        listing.table.describe(list(listing.rows[:EXPORT_LIMIT]), user=request.user)
        return listing.export()
    # The page's rows, fetched once: the table renders these same (cached) records.
    records = [row.record for row in listing.table.page.object_list]
    listing.table.describe(records, user=request.user)
    return render(request, "incentives/targets/list.html", {"listing": listing})


@capability_required("manage_targets")
@require_http_methods(["GET", "POST"])
def target_create_page(request):
    """Set a target; a quarter or a year goes on to be split into its months."""
    form = TargetForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                target = target_create(actor=request.user, **form.target_values())
            except ValidationError as exc:
                add_service_errors(form, exc, {"subject_id": form.subject_field()})
            else:
                messages.success(request, _("Target saved."))
                if parse_period(target.period).kind in SPLITS:
                    return redirect("incentives:target-split", pk=target.pk)
                return redirect("incentives:target-list")
        status = 400
    return render(request, "incentives/targets/form.html", {"form": form}, status=status)


def _describe_one(target: Target) -> dict:
    names = target_subject_names(targets=[target])
    return {"subject": subject_name(target, names)}


@capability_required("manage_targets")
@require_http_methods(["GET", "POST"])
def target_edit_page(request, pk: int):
    """Change a target's value (what it measures, for whom and when stay as they are)."""
    target = _target_or_404(request, pk)
    form = TargetValueForm(request.POST or None, initial={"value": target_amount_input(target)})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                target_update(actor=request.user, target=target, value=form.cleaned_data["value"])
            except ValidationError as exc:
                add_service_errors(form, exc, {"subject_id": "value"})
                target.refresh_from_db()
            else:
                text = _("Target changed.")
                if target_parts(target=target):
                    text = _("Target changed. Split it again to change its months.")
                messages.success(request, text)
                return redirect("incentives:target-list")
        status = 400
    context = {
        "target": target,
        "form": form,
        "splittable": parse_period(target.period).kind in SPLITS,
        **_describe_one(target),
    }
    return render(request, "incentives/targets/edit.html", context, status=status)


def target_amount_input(target: Target) -> str:
    """The value as the input shows it: whole for counts, with cents for money."""
    return f"{int(target.value)}" if target.metric in COUNT_METRICS else f"{target.value:.2f}"


@capability_required("manage_targets")
@require_http_methods(["GET", "POST"])
def target_split_page(request, pk: int):
    """Split a quarter (or a year) into its months: preview the parts, then save them; the
    months stored so far are shown with their live attainment."""
    target = _target_or_404(request, pk)
    form = TargetSplitForm(request.POST or None, target=target)
    preview, status = None, 200
    if request.method == "POST" and form.months:
        saving = request.POST.get("action") == "save"
        if form.is_valid():
            try:
                if saving:
                    target_split(actor=request.user, target=target, **form.split_values())
                else:
                    preview = [
                        {"period": str(month), "value": target_amount(target.metric, value)}
                        for month, value in target_split_check(
                            actor=request.user, target=target, **form.split_values()
                        )
                    ]
            except ValidationError as exc:
                add_service_errors(
                    form, exc, {"weights": "how", "period": "how", "subject_id": "how"}
                )
            else:
                if saving:
                    messages.success(request, _("The months are saved."))
                    return redirect("incentives:target-split", pk=target.pk)
        if form.errors:
            status = 400
    parts = target_parts(target=target)
    actuals = target_actuals(targets=parts, today=local_today())
    rows = [
        {
            "target": part,
            "value": target_amount(part.metric, part.value),
            "actual": target_amount(part.metric, actuals.get(part.pk)),
            "attainment": percent_text(attainment_percent(actuals.get(part.pk), part.value)),
        }
        for part in parts
    ]
    context = {
        "target": target,
        "value": target_amount(target.metric, target.value),
        "form": form,
        "preview": preview,
        "parts": rows,
        **_describe_one(target),
    }
    return render(request, "incentives/targets/split.html", context, status=status)
