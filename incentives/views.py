"""Browser pages of the incentive engine: leaderboards, statements, xlsx exports (the
approvals page is `incentives.approval_views`).

Thin adapters: forms read the input, selectors read (scoped by user), services write.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.access import can, capability_required
from common.forms import add_service_errors
from common.pagination import list_page, query_without_page
from common.periods import Period, local_today
from common.xlsx import xlsx_response
from incentives import exports, selectors, services
from incentives.choices import BoardKind, StatementStatus
from incentives.explanations import explain_lines
from incentives.filters import StatementFilter
from incentives.forms import (
    AdjustmentForm,
    LeaderboardQueryForm,
    StatementQueryForm,
    board_period_for,
)
from sales.selectors import staff_for_user

STATEMENTS_PER_PAGE = 50
CHART_ENTRIES = 20


# --- leaderboards -----------------------------------------------------------------------------
def _board_plan(period: Period, plan_id: int | None):
    month = period if period.kind == "month" else period.months()[-1]
    return selectors.plan_for_board(month=month, plan_id=plan_id), month


def _board_context(request) -> tuple[dict, int]:
    """The leaderboard page's context and HTTP status (400 for a bad query)."""
    today = local_today()
    form = LeaderboardQueryForm(request.GET, today=today)
    context = {"form": form, "board": None, "kinds": BoardKind.choices}
    if not form.is_valid():
        return context, 400
    kind, period = form.cleaned_data["kind"], form.cleaned_data["period"]
    plan_id = form.cleaned_data.get("plan")
    plan, month = _board_plan(period, plan_id)
    plan_query = f"&plan={plan_id}" if plan_id else ""
    context.update(
        kind=kind,
        kind_label=BoardKind(kind).label,
        period=period,
        plan_query=plan_query,
        tabs=[
            {
                "kind": value,
                "label": label,
                "period": board_period_for(value, period, today=today),
                "active": value == kind,
            }
            for value, label in BoardKind.choices
        ],
        previous_period=period.previous(),
        next_period=period.next() if period.next().start <= today else None,
    )
    if plan is None:
        context["plans"] = selectors.plans_in_force(month=month)
        return context, 200
    board = selectors.leaderboard(plan=plan, kind=kind, period=period, today=today)
    me = staff_for_user(request.user)
    is_team = kind == BoardKind.MONTHLY_TEAM_SIGNINGS
    for entry in board["entries"]:
        entry["name"] = entry["team_name"] if is_team else entry["staff_name"]
        entry["is_me"] = me is not None and (
            (not is_team and entry["staff"] == me.pk)
            or (is_team and entry["team"] is not None and entry["team"] == me.team_id)
        )
    shown = board["entries"][:CHART_ENTRIES]
    context.update(
        board=board,
        plan=plan,
        is_team=is_team,
        is_money=kind in (BoardKind.MONTHLY_SIGNINGS, BoardKind.MONTHLY_TEAM_SIGNINGS),
        chart={
            "title": str(BoardKind(kind).label),
            "money": kind in (BoardKind.MONTHLY_SIGNINGS, BoardKind.MONTHLY_TEAM_SIGNINGS),
            "labels": [entry["name"] or "" for entry in shown],
            "values": [str(entry["value"]) for entry in shown],
            "eligible": [entry["eligible"] for entry in shown],
            "mine": next((n for n, entry in enumerate(shown) if entry["is_me"]), None),
        },
    )
    return context, 200


@capability_required("read_boards")
@require_GET
def leaderboards(request):
    """排行榜: one board and period, as a table and a bar chart; live or frozen."""
    context, status = _board_context(request)
    return render(request, "incentives/leaderboards.html", context, status=status)


@capability_required("read_boards")
@require_GET
def leaderboard_export(request):
    """The board shown on the page as an xlsx download."""
    context, status = _board_context(request)
    if context["board"] is None:
        if status == 200:
            messages.error(request, _("No single incentive plan in force: choose a plan."))
        return render(
            request,
            "incentives/leaderboards.html",
            context,
            status=404 if status == 200 else status,
        )
    board = context["board"]
    return xlsx_response(exports.leaderboard_workbook(board), exports.leaderboard_filename(board))


# --- statements -------------------------------------------------------------------------------
def _statement_query(request) -> tuple[StatementQueryForm, object, bool]:
    """The filter form and the user's statements it selects (none when it is invalid)."""
    statements = selectors.statement_page_list(user=request.user)
    form = StatementQueryForm(
        request.GET, teams=selectors.statement_filter_teams(user=request.user)
    )
    if not form.is_valid():
        return form, statements.none(), False
    filterset = StatementFilter(form.filter_data(), queryset=statements)
    return form, filterset.qs, True


@capability_required("read_statements")
@require_GET
def statement_list(request):
    """奖金结算单: a marketer's own by month; supervisors their teams'; managers everyone's."""
    form, statements, valid = _statement_query(request)
    page = list_page(request, statements, per_page=STATEMENTS_PER_PAGE)
    context = {
        "form": form,
        "page": page,
        "query": query_without_page(request),
        "period": form.cleaned_data.get("period") if valid else "",
    }
    return render(request, "incentives/statement_list.html", context, status=200 if valid else 400)


@capability_required("read_statements")
@require_GET
def statements_export(request):
    """A month's statements the user may see, as a payroll workbook (summary and lines)."""
    form, statements, valid = _statement_query(request)
    period = form.cleaned_data.get("period") if valid else ""
    if valid and not period:
        form.add_error("period", _("Choose the month to export."))
        valid = False
    if not valid:
        context = {"form": form, "page": None, "query": "", "period": ""}
        return render(request, "incentives/statement_list.html", context, status=400)
    return xlsx_response(
        exports.statements_workbook(statements), exports.statements_filename(period)
    )


def _statement_or_404(request, pk: int):
    """A marketer's statement in the user's scope, or a partner's for whoever sees them all."""
    statement = selectors.statement_office_get(user=request.user, pk=pk)
    if statement is None:
        raise Http404
    return statement


def _approvals_of(statement) -> str:
    """The approvals page's list (marketers' or partners') of the statement's month."""
    owner = "&owner=partners" if statement.partner_id else ""
    return f"{reverse('incentives:approvals')}?period={statement.period}{owner}"


@capability_required("read_statements")
@require_http_methods(["GET", "POST"])
def statement_detail(request, pk: int):
    """Every line of one statement with its explanation; managers adjust drafts here."""
    statement = _statement_or_404(request, pk)
    is_manager = can(request.user, "approve_statements")
    form = None
    status = 200
    if is_manager and statement.status == StatementStatus.DRAFT:
        form = AdjustmentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form is None:
            refusal = (
                _("Approved and paid statements never change.")
                if is_manager
                else _("Only a channel manager can adjust a statement.")
            )
            messages.error(request, refusal)
            return redirect("incentives:statement-detail", pk=statement.pk)
        if form.is_valid():
            try:
                services.statement_adjust(
                    actor=request.user,
                    statement=statement,
                    amount=form.cleaned_data["amount"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Adjustment added."))
                return redirect("incentives:statement-detail", pk=statement.pk)
        status = 400
    lines = explain_lines(statement.lines.all())
    context = {
        "statement": statement,
        "lines": lines,
        "lines_total": sum((line.amount for line in lines), 0),
        "form": form,
        "approvals_url": _approvals_of(statement),
    }
    return render(request, "incentives/statement_detail.html", context, status=status)


@capability_required("approve_statements")
@require_POST
def statement_mark_paid(request, pk: int):
    """Record that an approved statement was paid out."""
    statement = _statement_or_404(request, pk)
    try:
        services.statement_mark_paid(actor=request.user, statement=statement)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Statement of %(name)s marked paid.")
            % {"name": (statement.staff or statement.partner).name},
        )
    return redirect(_approvals_of(statement))


@capability_required("approve_statements")
@require_POST
def statement_approve(request, pk: int):
    """Approve one draft statement (from its detail page)."""
    statement = _statement_or_404(request, pk)
    try:
        services.statement_approve(actor=request.user, statement=statement)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Statement approved."))
    return redirect("incentives:statement-detail", pk=statement.pk)
