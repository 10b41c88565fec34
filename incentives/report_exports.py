"""The weekly / monthly report (周报 / 月报) as an xlsx workbook: one sheet each for projects,
teams, targets, boards and sources, headers in the reader's language, numbers as numbers."""

from django.utils.translation import gettext as _

from common.xlsx import (
    COUNT_FORMAT,
    MONEY_FORMAT,
    PERCENT_FORMAT,
    Sheet,
    ascii_filename,
    sheets_workbook,
)
from incentives.choices import COUNT_METRICS, BoardKind

# Boards whose value is an amount (the others count valid visits).
MONEY_BOARDS = frozenset({BoardKind.MONTHLY_SIGNINGS, BoardKind.MONTHLY_TEAM_SIGNINGS})


# (figure key, header, number format): the columns of the project and team sheets.
def _figure_columns() -> list[tuple[str, str, str]]:
    return [
        ("registrations", _("Registrations"), COUNT_FORMAT),
        ("visits", _("Visits"), COUNT_FORMAT),
        ("valid_visits", _("Valid visits"), COUNT_FORMAT),
        ("subscriptions", _("Subscriptions (认购)"), COUNT_FORMAT),
        ("subscription_amount", _("Subscription amount"), MONEY_FORMAT),
        ("signings", _("Signings (签约)"), COUNT_FORMAT),
        ("signed_amount", _("Signed amount"), MONEY_FORMAT),
        ("payments", _("Payments (回款)"), COUNT_FORMAT),
        ("payment_amount", _("Payment amount"), MONEY_FORMAT),
        ("mortgages", _("Mortgages disbursed (按揭放款)"), COUNT_FORMAT),
        ("mortgage_amount", _("Mortgage amount"), MONEY_FORMAT),
        ("spend", _("Spend"), MONEY_FORMAT),
        ("cost_per_valid_visit", _("Cost per valid visit"), MONEY_FORMAT),
        ("cost_per_signing", _("Cost per signing"), MONEY_FORMAT),
    ]


def _figure_sheet(title: str, names: list[str], rows: list[dict], labels) -> Sheet:
    columns = _figure_columns()
    headers = [*names]
    formats = {}
    for _key, header, number_format in columns:
        formats[len(headers)] = number_format
        headers.append(header)
        formats[len(headers)] = number_format
        headers.append(_("%(figure)s, change") % {"figure": header})
    body = []
    for row in rows:
        line = list(labels(row))
        for key, _header, _format in columns:
            line += [row[key], row["change"][key]]
        body.append(line)
    return Sheet(title=title, headers=headers, rows=body, formats=formats)


def _rank_cell(entry: dict):
    """The rank, or words for an entry below the board's threshold (never a blank cell)."""
    if entry["rank"] is not None:
        return entry["rank"]
    return str(_("Not eligible")) if not entry["eligible"] else ""


def period_report_workbook(report: dict) -> bytes:
    """The report's workbook (as the page shows it, in the active language)."""
    totals = {**report["totals"], "name": _("Total")}
    projects = _figure_sheet(
        _("Projects"),
        [_("Project")],
        [*report["projects"], totals],
        lambda row: [row.get("project_name") or row.get("name")],
    )
    teams = _figure_sheet(
        _("Teams"),
        [_("Team"), _("Project")],
        report["teams"],
        lambda row: [row["team_name"], row["project_name"]],
    )
    targets_money = [
        {} if row["metric"] in COUNT_METRICS else {2: MONEY_FORMAT, 3: MONEY_FORMAT}
        for row in report["targets"]
    ]
    board_money = [
        {4: MONEY_FORMAT if board["kind"] in MONEY_BOARDS else COUNT_FORMAT}
        for board in report["boards"]
        for _entry in board["top"]
    ]
    targets = Sheet(
        title=_("Targets"),
        headers=[_("Subject"), _("Metric"), _("Target"), _("Actual"), _("Attainment")],
        rows=[
            [
                row["subject_name"] or str(_("The company")),
                str(row["metric_label"]),
                row["value"],
                row["actual"],
                row["attainment"],
            ]
            for row in report["targets"]
        ],
        formats={2: COUNT_FORMAT, 3: COUNT_FORMAT, 4: PERCENT_FORMAT},
        row_formats=targets_money,
    )
    boards = Sheet(
        title=_("Boards"),
        headers=[_("Board"), _("Rank"), _("Name"), _("Team"), _("Value")],
        rows=[
            [
                str(board["kind_label"]),
                _rank_cell(entry),
                entry["staff_name"] or entry["team_name"] or "",
                entry["team_name"] or "",
                entry["value"],
            ]
            for board in report["boards"]
            for entry in board["top"]
        ],
        formats={1: COUNT_FORMAT},
        row_formats=board_money,
    )
    sources = sources_sheet(report["sources"])
    return sheets_workbook([projects, teams, targets, boards, sources])


def sources_sheet(rows) -> Sheet:
    """The breakdown by customer source (客户来源), as the report and the dashboard export it."""
    return Sheet(
        title=_("Sources"),
        headers=[
            _("Customer source (客户来源)"),
            _("Registrations"),
            _("Visits"),
            _("Valid visits"),
            _("Signings"),
            _("Signed amount"),
        ],
        rows=[
            [
                str(row["label"]),
                row["registrations"],
                row["visits"],
                row["valid_visits"],
                row["signings"],
                row["signed_amount"],
            ]
            for row in rows
        ],
        formats={n: COUNT_FORMAT for n in range(1, 5)} | {5: MONEY_FORMAT},
    )


def period_report_filename(report: dict) -> str:
    return ascii_filename(f"{report['kind']}-report", report["period"])
