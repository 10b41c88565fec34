"""The manager's approvals page (审批): a month's statements on the list pattern (filter, sort,
pages, totals, payroll xlsx), bulk approve / mark paid / export after a confirmation. Two
lists under one switch (`owner=`): marketers' bonus statements and partners' commission
statements — the same totals, confirmations and decisions, each with its own filter, table
and sheet. The month's compute (a job the page follows) is `incentives.compute_views`.

Thin adapters: the list's rows and totals come from selectors (scoped to the manager), the
decisions from the statement services (which audit them).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext
from django.views.decorators.http import require_GET, require_POST

from common.access import capability_required
from common.forms import add_service_errors
from common.lists import ALL_MATCHING_FIELD, EXPORT_LIMIT, QUERY_FIELD, ListPage, bulk_selection
from common.money import format_money
from common.periods import local_today, month_of, parse_period
from common.xlsx import xlsx_response
from incentives import exports, selectors, services
from incentives.approval_forms import APPROVE, EXPORT, MARK_PAID, BulkConfirmForm
from incentives.choices import StatementStatus
from incentives.compute_views import approvals_url, compute_context
from incentives.filters import (
    MARKETERS,
    PARTNERS,
    PartnerApprovalFilter,
    StatementApprovalFilter,
)
from incentives.tables import ApprovalTable, PartnerApprovalTable

# What each decision acts on, and what it leaves alone (the rest of the selection).
ACTS_ON = {APPROVE: StatementStatus.DRAFT, MARK_PAID: StatementStatus.APPROVED}
OWNER_FIELD = "owner"


@dataclass(frozen=True)
class Owner:
    """One list of the page: whose statements, in which scope, filtered, shown and exported how."""

    code: str
    label: object
    scope: Callable
    filterset_class: type
    table_class: type
    workbook: Callable
    filename: Callable


OWNERS = {
    MARKETERS: Owner(
        code=MARKETERS,
        label=gettext_lazy("Marketers"),
        scope=selectors.statement_approval_list,
        filterset_class=StatementApprovalFilter,
        table_class=ApprovalTable,
        workbook=exports.statements_workbook,
        filename=exports.statements_filename,
    ),
    PARTNERS: Owner(
        code=PARTNERS,
        label=gettext_lazy("Partners"),
        scope=selectors.partner_approval_list,
        filterset_class=PartnerApprovalFilter,
        table_class=PartnerApprovalTable,
        workbook=exports.partner_statements_workbook,
        filename=exports.partner_statements_filename,
    ),
}


def _owner(data: QueryDict) -> Owner:
    """The list a query asks for: marketers' unless it says partners. Any other value is the
    (hidden) owner field's error on the marketers' filter: no rows, a 400."""
    return OWNERS[PARTNERS] if data.get(OWNER_FIELD) == PARTNERS else OWNERS[MARKETERS]


def _default_month() -> str:
    """Statements are drafted on the 1st for the month just closed: that month."""
    return str(month_of(local_today()).previous())


def _listing(request, owner: Owner) -> ListPage:
    return ListPage(
        request,
        queryset=owner.scope(user=request.user),
        filterset_class=owner.filterset_class,
        table_class=owner.table_class,
        export_name="statements",
    )


def _payroll_response(statements, *, owner: Owner, period: str):
    """The list's workbook (the marketers' payroll or the partners' commission sheet) of a
    selection, at most EXPORT_LIMIT statements."""
    workbook = owner.workbook(statements[:EXPORT_LIMIT])
    return xlsx_response(workbook, owner.filename(period or "selection"))


def _owner_tabs(*, owner: Owner, period: str) -> list[dict]:
    """The switch between the two lists: the month kept, the other filters dropped (a team
    means nothing to a partner)."""
    tabs = []
    for each in OWNERS.values():
        query = QueryDict(mutable=True)
        query["period"] = period
        if each.code != MARKETERS:
            query[OWNER_FIELD] = each.code
        tabs.append(
            {
                "code": each.code,
                "label": each.label,
                "url": approvals_url(query.urlencode()),
                "current": each is owner,
            }
        )
    return tabs


@capability_required("approve_statements")
@require_GET
def approvals(request):
    """A month's statements (the month just closed unless another is asked for), marketers'
    or partners': filter, totals, bulk decisions, the compute job and whom no plan covers."""
    if "period" not in request.GET:  # `?period=` (empty) asks for every month
        query = request.GET.copy()
        query["period"] = _default_month()
        request.GET = query  # the filter, sorting, pages and links all read it
    owner = _owner(request.GET)
    listing = _listing(request, owner)
    valid = listing.filterset.is_valid()
    period = listing.filterset.form.cleaned_data.get("period", "") if valid else ""
    if listing.export_requested and valid:
        return _payroll_response(listing.rows, owner=owner, period=period)
    totals = selectors.statement_totals(statements=listing.rows)
    context = {
        "listing": listing,
        "owner": owner.code,
        "tabs": _owner_tabs(owner=owner, period=period),
        "period": period,
        "totals": totals,
        "drafts": totals.of(StatementStatus.DRAFT),
        "approved": totals.of(StatementStatus.APPROVED),
        "month_totals": (
            selectors.statement_owner_totals(user=request.user, period=period) if period else None
        ),
        **compute_context(period=period),
        "promotions": (
            selectors.promotion_list(user=request.user).filter(period=period)
            if period and owner.code == MARKETERS
            else []
        ),
        "coverage": (
            selectors.plan_coverage(period=parse_period(period), computed_on=local_today())
            if period
            else None
        ),
    }
    return render(request, "incentives/approvals.html", context, status=200 if valid else 400)


# Bulk decisions: a confirmation with the numbers, then the services.
def _skipped_text(skipped: dict[str, int]) -> str:
    """Why the rest of the selection was left alone: "2 already paid, 1 still a draft"."""
    reasons = {
        StatementStatus.DRAFT: lambda n: ngettext(
            "%(count)d still a draft (approve it first)",
            "%(count)d still drafts (approve them first)",
            n,
        ),
        StatementStatus.APPROVED: lambda n: ngettext(
            "%(count)d already approved", "%(count)d already approved", n
        ),
        StatementStatus.PAID: lambda n: ngettext(
            "%(count)d already paid", "%(count)d already paid", n
        ),
    }
    parts = [
        reasons[status](count) % {"count": count}
        for status, count in sorted(skipped.items())
        if count and status in reasons
    ]
    return pgettext("list separator", ", ").join(parts)


def _result_message(action: str, result, *, paid_on=None) -> str:
    total = format_money(result.total_amount)
    if action == APPROVE:
        text = ngettext(
            "Approved %(count)d statement, total ¥%(total)s.",
            "Approved %(count)d statements, total ¥%(total)s.",
            result.count,
        )
    else:
        text = ngettext(
            "Marked %(count)d statement paid on %(on)s, total ¥%(total)s.",
            "Marked %(count)d statements paid on %(on)s, total ¥%(total)s.",
            result.count,
        )
    on = paid_on.isoformat() if paid_on else ""
    text = text % {"count": result.count, "total": total, "on": on}
    skipped = _skipped_text(result.skipped)
    if skipped:
        text += " " + _("Left as they were: %(reasons)s.") % {"reasons": skipped}
    return text


def _decide(request, *, action: str, ids: list[int], form: BulkConfirmForm):
    """Run the decision through its service and say what it did; None when the service
    refused it (the refusal is then on the form)."""
    try:
        if action == APPROVE:
            result = services.statements_approve_batch(actor=request.user, statement_ids=ids)
        else:
            result = services.statements_mark_paid(
                actor=request.user, statement_ids=ids, paid_on=form.cleaned_data["paid_on"]
            )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
    return _result_message(action, result, paid_on=form.cleaned_data.get("paid_on"))


@capability_required("approve_statements")
@require_POST
def approvals_bulk(request):
    """Approve, mark paid or export the checked statements, or every one the filter matches
    (always within the manager's scope). Approve and mark paid first show how many and what
    total they will change, and act once that is confirmed with the same numbers."""
    action = request.POST.get("action", "")
    query = request.POST.get(QUERY_FIELD, "")
    back = approvals_url(query)
    owner = _owner(QueryDict(query))
    scope = owner.scope(user=request.user)
    chosen = bulk_selection(request, queryset=scope, filterset_class=owner.filterset_class)
    if action not in (*ACTS_ON, EXPORT):
        messages.error(request, _("Choose what to do with the selected statements."))
        return redirect(back)
    totals = selectors.statement_totals(statements=chosen)
    if not totals.count:
        messages.error(request, _("Select at least one statement, or tick all that match."))
        return redirect(back)
    if action == EXPORT:
        return _payroll_response(chosen, owner=owner, period="")
    acting = totals.of(ACTS_ON[action])
    confirmed = request.POST.get("confirmed") == "1"
    form = BulkConfirmForm(request.POST if confirmed else None, action=action)
    if confirmed and form.is_valid():
        if form.matches(count=acting.count, total=acting.total_amount):
            ids = list(chosen.values_list("pk", flat=True))
            done = _decide(request, action=action, ids=ids, form=form)
            if done is not None:
                messages.success(request, done)
                return redirect(back)
        else:
            form.add_error(
                None,
                _("The selection changed since you looked: check the numbers again."),
            )
    all_matching = request.POST.get(ALL_MATCHING_FIELD) == "1"
    context = {
        "action": action,
        "owner": owner.code,
        "owner_label": owner.label,
        "form": form,
        "acting": acting,
        "totals": totals,
        "skipped": _skipped_text(
            {row.status: row.count for row in totals.by_status if row is not acting}
        ),
        "all_matching": all_matching,
        "selected_ids": [] if all_matching else list(chosen.values_list("pk", flat=True)),
        "query": query,
        "back": back,
    }
    status = 400 if form.is_bound else 200
    return render(request, "incentives/approvals_confirm.html", context, status=status)
