"""The office's appeal pages (/sales/appeals/): the queue of managers and supervisors (status,
project, kind of appellant, search), and one appeal's decision screen — the appeal, its evidence
and comments, both sides' records of the customer — with a supervisor's comment and a manager's
uphold or reject. Thin adapters over the appeal selectors and services."""

import django_tables2 as tables
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from common.access import can, capability_required
from common.forms import add_service_errors
from common.lists import EXPORT_LIMIT, ListPage, Table
from sales.appeal_forms import AppealCommentForm, AppealDecisionForm
from sales.filters import AppealPageFilter
from sales.models import Appeal
from sales.presentation import evidence_response
from sales.selectors.appeals import appeal_evidence_get, appeal_get, appeal_list, appeal_sides
from sales.services.appeals import appeal_comment, appeal_reject, appeal_uphold
from sales.services.phone_audit import customer_phones_audit


def appellant_label(appeal: Appeal) -> str:
    """The channel the appeal speaks for, in words (the office reads identities)."""
    if appeal.partner_id:
        return _("%(name)s (partner)") % {"name": appeal.partner.name}
    return _("%(name)s (marketer)") % {"name": appeal.marketer.name}


class AppealTable(Table):
    id = tables.Column(verbose_name=gettext_lazy("Appeal"))
    created_at = tables.DateTimeColumn(verbose_name=gettext_lazy("Filed"), format="Y-m-d H:i")
    project = tables.Column(verbose_name=gettext_lazy("Project"), accessor="project__name")
    customer_phone = tables.Column(verbose_name=gettext_lazy("Mobile"), orderable=False)
    customer = tables.Column(verbose_name=gettext_lazy("Customer"), accessor="customer__name")
    appellant = tables.Column(
        verbose_name=gettext_lazy("Appellant"), empty_values=(), orderable=False
    )
    status = tables.Column(verbose_name=gettext_lazy("Status"))

    class Meta(Table.Meta):
        model = Appeal
        fields = (
            "id",
            "created_at",
            "project",
            "customer_phone",
            "customer",
            "appellant",
            "status",
        )
        order_by = ("-created_at",)
        row_attrs = {"data-testid": "appeal-row", "data-appeal": lambda record: record.pk}

    def render_id(self, record):
        url = reverse("sales:appeal-detail", args=[record.pk])
        return format_html('<a href="{}" data-testid="appeal-link">#{}</a>', url, record.pk)

    def value_id(self, record):
        return record.pk

    def render_appellant(self, record):
        return appellant_label(record)

    def value_appellant(self, record):
        return appellant_label(record)


@capability_required("review_appeals")
@require_GET
def appeal_queue(request):
    """Appeals of the user's scope, newest first; filter by status, project and kind of
    appellant, search by phone, customer, reason or appellant; xlsx. Full phones shown are
    audited, as on the customer list."""
    listing = ListPage(
        request,
        queryset=appeal_list(user=request.user),
        filterset_class=AppealPageFilter,
        table_class=AppealTable,
        export_name="appeals",
        export_title=_("Appeals"),
    )
    if listing.export_requested:
        ids = listing.rows.values_list("customer_id", flat=True)[:EXPORT_LIMIT]
        customer_phones_audit(actor=request.user, customer_ids=ids, via="appeals xlsx")
        return listing.export()
    shown = [row.record for row in listing.table.paginated_rows]
    customer_phones_audit(
        actor=request.user,
        customer_ids=(a.customer_id for a in shown if len(a.customer_phone) == 11),
        via="appeal queue",
    )
    return render(request, "sales/appeals/queue.html", {"listing": listing})


def _appeal_or_404(request, pk: int) -> Appeal:
    appeal = appeal_get(user=request.user, pk=pk)
    if appeal is None:
        raise Http404
    return appeal


def _items(events) -> list[dict]:
    return [
        {"event": event, "url": "", "anchor": f"{event.kind}-{event.record.pk}"} for event in events
    ]


def _detail(request, appeal: Appeal, *, status: int = 200, **forms):
    sides = appeal_sides(appeal=appeal, user=request.user)
    if appeal.customer.phone:
        customer_phones_audit(
            actor=request.user, customer_ids=[appeal.customer_id], via="appeal page"
        )
    context = {
        "appeal": appeal,
        "appellant": appellant_label(appeal),
        "sides": sides,
        "appellant_events": _items(sides.appellant) if sides else [],
        "owner_events": _items(sides.owner) if sides else [],
        "other_events": _items(sides.other) if sides else [],
        "comment_form": forms.get("comment_form") or AppealCommentForm(),
        "decision_form": forms.get("decision_form") or AppealDecisionForm(),
        "can_decide": can(request.user, "decide_appeals"),
    }
    return render(request, "sales/appeals/detail.html", context, status=status)


@capability_required("review_appeals")
@require_GET
def appeal_detail(request, pk: int):
    """The decision screen: the appeal, evidence, comments, both sides' records."""
    return _detail(request, _appeal_or_404(request, pk))


@capability_required("review_appeals")
@require_POST
def appeal_comment_view(request, pk: int):
    """A supervisor's or manager's comment on an open appeal."""
    appeal = _appeal_or_404(request, pk)
    form = AppealCommentForm(request.POST)
    if form.is_valid():
        try:
            appeal_comment(actor=request.user, appeal=appeal, text=form.cleaned_data["text"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your comment is added."))
            return redirect("sales:appeal-detail", pk=appeal.pk)
    return _detail(request, appeal, status=400, comment_form=form)


def _decision(request, pk: int, service, done: str):
    appeal = _appeal_or_404(request, pk)
    form = AppealDecisionForm(request.POST)
    if form.is_valid():
        try:
            service(actor=request.user, appeal=appeal, note=form.cleaned_data["note"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("sales:appeal-detail", pk=appeal.pk)
    appeal = _appeal_or_404(request, pk)
    return _detail(request, appeal, status=400, decision_form=form)


@capability_required("decide_appeals")
@require_POST
def appeal_uphold_view(request, pk: int):
    """A manager upholds: the attribution moves to the appellant (audited)."""
    return _decision(
        request, pk, appeal_uphold, _("The appeal is upheld: the customer is now the appellant's.")
    )


@capability_required("decide_appeals")
@require_POST
def appeal_reject_view(request, pk: int):
    """A manager rejects with a note: the attribution stays."""
    return _decision(
        request, pk, appeal_reject, _("The appeal is rejected: the attribution stays.")
    )


@capability_required("review_appeals")
@require_GET
def appeal_evidence_view(request, pk: int):
    """An evidence file of an appeal of the user's scope (404 for any other)."""
    evidence = appeal_evidence_get(user=request.user, pk=pk)
    if evidence is None:
        raise Http404
    return evidence_response(evidence)
