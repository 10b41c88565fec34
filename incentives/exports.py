"""Excel (xlsx) downloads of the incentive engine: a month's statements for payroll and a
leaderboard. The numbers are the stored statement lines and the engine's board, unchanged."""

from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from common.xlsx import COUNT_FORMAT, MONEY_FORMAT, Sheet, ascii_filename, sheets_workbook
from incentives.choices import BoardKind, LineKind, StatementStatus
from incentives.explanations import line_text, names_for, source_label
from incentives.models import Statement
from incentives.rules import LINE_KINDS
from sales.choices import StaffLevel


def _team(statement: Statement) -> str:
    team = statement.staff.team if statement.staff_id else None
    return team.name if team else ""


def _project(statement: Statement) -> str:
    team = statement.staff.team if statement.staff_id else None
    return team.project.name if team else ""


def _level(statement: Statement) -> str:
    level = statement.staff.level if statement.staff_id else None
    return str(StaffLevel(level).label) if level else ""


def _lines_into(rows: list, statement: Statement, names, *, who: tuple) -> tuple[dict, Decimal]:
    """Append a statement's lines to the Lines sheet's `rows` (`who` first: the person or the
    partner), and return its amounts by kind and its total."""
    by_kind: dict[str, Decimal] = defaultdict(Decimal)
    for line in statement.lines.all():
        by_kind[line.kind] += line.amount
        rows.append(
            (
                *who,
                statement.period,
                str(LineKind(line.kind).label),
                line.amount,
                line_text(line, names),
                source_label(line, names),
            )
        )
    return by_kind, sum(by_kind.values(), Decimal("0.00"))


def statements_sheets(statements) -> list[Sheet]:
    """Payroll: one summary row per person (staff id first: two 张伟 are two people; each line
    kind a column, total, status) and a second sheet with every line and its explanation."""
    statements = list(statements)
    names = names_for(line for statement in statements for line in statement.lines.all())
    kinds = [LineKind(kind) for kind in LINE_KINDS]
    summary_rows, line_rows = [], []
    for statement in statements:
        who = (statement.staff_id, statement.staff.name, _team(statement), _project(statement))
        by_kind, total = _lines_into(line_rows, statement, names, who=who)
        summary_rows.append(
            (
                *who,
                _level(statement),
                statement.period,
                *(by_kind.get(kind, Decimal("0.00")) for kind in kinds),
                total,
                str(StatementStatus(statement.status).label),
            )
        )
    first_money = 6
    summary = Sheet(
        title=_("Summary"),
        headers=(
            _("Staff ID"),
            _("Name"),
            _("Team"),
            _("Project"),
            _("Level"),
            _("Month"),
            *(str(kind.label) for kind in kinds),
            _("Total"),
            _("Status"),
        ),
        rows=summary_rows,
        formats={0: COUNT_FORMAT, **{first_money + n: MONEY_FORMAT for n in range(len(kinds) + 1)}},
        widths=(10, 14, 14, 14, 10, 10, *([14] * (len(kinds) + 1)), 10),
    )
    lines = Sheet(
        title=_("Lines"),
        headers=(
            _("Staff ID"),
            _("Name"),
            _("Team"),
            _("Project"),
            _("Month"),
            _("Kind"),
            _("Amount"),
            _("Description"),
            _("Source"),
        ),
        rows=line_rows,
        formats={0: COUNT_FORMAT, 6: MONEY_FORMAT},
        widths=(10, 14, 14, 14, 10, 18, 14, 60, 18),
    )
    return [summary, lines]


def statements_workbook(statements) -> bytes:
    return sheets_workbook(statements_sheets(statements))


def statements_filename(period: str) -> str:
    return ascii_filename("statements", period)


# What a partner's commission statement holds (the compute writes commission and clawback
# lines, a manager adjustments).
PARTNER_LINE_KINDS = (LineKind.COMMISSION, LineKind.CLAWBACK, LineKind.ADJUSTMENT)


def partner_statements_sheets(statements) -> list[Sheet]:
    """The partners' commission sheet: one summary row per partner and month (commission,
    clawbacks, adjustments, total, status, payout date) and every line with its explanation."""
    statements = list(statements)
    names = names_for(line for statement in statements for line in statement.lines.all())
    summary_rows, line_rows = [], []
    for statement in statements:
        by_kind, total = _lines_into(line_rows, statement, names, who=(statement.partner.name,))
        summary_rows.append(
            (
                statement.partner.name,
                statement.partner.get_kind_display(),
                statement.period,
                *(by_kind.get(kind, Decimal("0.00")) for kind in PARTNER_LINE_KINDS),
                total,
                str(StatementStatus(statement.status).label),
                statement.paid_on.isoformat() if statement.paid_on else "",
            )
        )
    money_columns = range(3, 3 + len(PARTNER_LINE_KINDS) + 1)
    summary = Sheet(
        title=_("Partner commission"),
        headers=(
            _("Partner"),
            _("Kind"),
            _("Month"),
            *(str(kind.label) for kind in PARTNER_LINE_KINDS),
            _("Total"),
            _("Status"),
            pgettext("statement payout", "Paid on"),
        ),
        rows=summary_rows,
        formats=dict.fromkeys(money_columns, MONEY_FORMAT),
        widths=(20, 12, 10, *([14] * (len(PARTNER_LINE_KINDS) + 1)), 10, 12),
    )
    lines = Sheet(
        title=_("Lines"),
        headers=(_("Partner"), _("Month"), _("Kind"), _("Amount"), _("Description"), _("Source")),
        rows=line_rows,
        formats={3: MONEY_FORMAT},
        widths=(20, 10, 18, 14, 60, 18),
    )
    return [summary, lines]


def partner_statements_workbook(statements) -> bytes:
    return sheets_workbook(partner_statements_sheets(statements))


def partner_statements_filename(period: str) -> str:
    return ascii_filename("partner-commission", period)


def _person(entry: dict) -> tuple:
    return (entry["staff"], entry["staff_name"], entry["team_name"] or "")


def _team_only(entry: dict) -> tuple:
    return (entry["team_name"] or "",)


def leaderboard_sheet(board: dict) -> Sheet:
    """A board as the page shows it: rank, name, team, value, eligible, prize, explanation."""
    is_team = board["kind"] == BoardKind.MONTHLY_TEAM_SIGNINGS
    is_money = board["kind"] in (BoardKind.MONTHLY_SIGNINGS, BoardKind.MONTHLY_TEAM_SIGNINGS)
    # A person board: rank, staff id, name, team; a team board: rank, team (named once).
    who = _team_only if is_team else _person
    rows = [
        (
            entry["rank"],
            *who(entry),
            entry["value"] if is_money else int(entry["value"]),
            _("yes") if entry["eligible"] else _("no"),
            entry["prize"],
            entry["explanation"],
        )
        for entry in board["entries"]
    ]
    who_headers = (_("Team"),) if is_team else (_("Staff ID"), _("Name"), _("Team"))
    value_at = 1 + len(who_headers)
    return Sheet(
        title=_("Leaderboard"),
        preamble=(
            (_("Board"), str(BoardKind(board["kind"]).label)),
            (_("Period"), board["period"]),
            (_("State"), _("frozen") if board["frozen"] else _("live")),
        ),
        headers=(
            _("Rank"),
            *who_headers,
            _("Signed amount") if is_money else _("Valid visits"),
            _("Eligible"),
            _("Prize"),
            _("Explanation"),
        ),
        rows=rows,
        formats={
            0: COUNT_FORMAT,
            value_at: MONEY_FORMAT if is_money else COUNT_FORMAT,
            value_at + 2: MONEY_FORMAT,
        },
        widths=(8, *([16] * len(who_headers)), 16, 10, 12, 60),
    )


def leaderboard_workbook(board: dict) -> bytes:
    return sheets_workbook([leaderboard_sheet(board)])


def leaderboard_filename(board: dict) -> str:
    return ascii_filename("leaderboard", board["kind"].replace("_", "-"), board["period"])
