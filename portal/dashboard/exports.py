"""The dashboard as an xlsx workbook: one sheet per dashboard section (common/xlsx.py)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from common.periods import Period
from common.xlsx import COUNT_FORMAT, MONEY_FORMAT, PERCENT_FORMAT, Sheet, ascii_filename
from common.xlsx import sheets_workbook as _sheets_workbook
from incentives.report_exports import sources_sheet


def dashboard_filename(month: Period) -> str:
    return ascii_filename("dashboard", str(month))


def _local(moment):
    """Excel has no time zones: write the Asia/Shanghai wall time, naive."""
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def dashboard_sheets(data: dict) -> list[Sheet]:
    """Every section of the dashboard as a sheet, in the page's order."""
    month = str(data["month"])
    attainment_rows = [
        (
            _("Team") if kind == "teams" else _("Partner"),
            row["name"],
            str(row["metric_label"]),
            row["target"],
            row["actual"],
            row["attainment"],
        )
        for kind in ("teams", "partners")
        for row in data["attainment"][kind]
    ]
    sheets = [
        Sheet(
            title=_("Attainment"),
            preamble=[(_("Month"), month)],
            headers=(_("Subject"), _("Name"), _("Metric"), _("Target"), _("Actual"), _("Rate")),
            rows=attainment_rows,
            formats={3: MONEY_FORMAT, 4: MONEY_FORMAT, 5: PERCENT_FORMAT},
        ),
        Sheet(
            title=_("Per day"),
            headers=(_("Date"), _("Valid visits"), _("Signings"), _("Signing amount")),
            rows=[
                (d["day"], d["valid_visits"], d["signings"], d["signing_amount"])
                for d in data["days"]
            ],
            formats={0: "yyyy-mm-dd", 1: COUNT_FORMAT, 2: COUNT_FORMAT, 3: MONEY_FORMAT},
        ),
        Sheet(
            title=_("Funnel"),
            headers=(_("Step"), _("Distinct customers in the month")),
            rows=[(str(s["label"]), s["customers"]) for s in data["funnel"]],
            formats={1: COUNT_FORMAT},
        ),
        sources_sheet(data["sources"]),
        Sheet(
            title=_("Marketers"),
            headers=(
                _("Ranking"),
                _("Position"),
                _("Marketer"),
                _("Team"),
                _("Signing amount"),
                _("Valid visits"),
            ),
            rows=[
                (
                    ranking,
                    position,
                    m["name"],
                    m["team_name"],
                    m["signing_amount"],
                    m["valid_visits"],
                )
                for key, ranking_label in (
                    ("by_amount", _("signing amount")),
                    ("by_visits", _("valid visits")),
                )
                for end, end_label in (("top", _("Top")), ("bottom", _("Bottom")))
                for ranking in [f"{end_label} · {ranking_label}"]
                for position, m in enumerate(data["marketers"][key][end], start=1)
            ],
            formats={4: MONEY_FORMAT, 5: COUNT_FORMAT},
        ),
        Sheet(
            title=_("Partners to review"),
            headers=(
                _("Partner"),
                _("Valid visits"),
                _("Signings"),
                _("Signed amount"),
                _("Target"),
                _("Reasons"),
            ),
            rows=[
                (
                    f["partner_name"],
                    f["valid_visits"],
                    f["signings"],
                    f["signed_amount"],
                    f["target_amount"],
                    "; ".join(f["reasons"]),
                )
                for f in data["flags"]
            ],
            formats={1: COUNT_FORMAT, 2: COUNT_FORMAT, 3: MONEY_FORMAT, 4: MONEY_FORMAT},
        ),
        Sheet(
            title=_("Contracts expiring"),
            headers=(_("Partner"), _("Contract"), _("Ends on"), _("Days left")),
            rows=[
                (c["partner_name"], c["code"], c["end_on"], c["days_left"])
                for c in data["contracts"]
            ],
            formats={2: "yyyy-mm-dd", 3: COUNT_FORMAT},
        ),
    ]
    if data["jobs"] is not None:
        sheets.append(
            Sheet(
                title=_("Jobs"),
                headers=(
                    _("Job"),
                    _("Key"),
                    _("Status"),
                    _("Started"),
                    _("Finished"),
                    _("Message"),
                ),
                rows=[
                    (
                        j["name"],
                        j["key"],
                        str(j["status_label"]),
                        _local(j["started_at"]),
                        _local(j["finished_at"]),
                        j["message"],
                    )
                    for j in data["jobs"]
                ],
                formats={3: "yyyy-mm-dd hh:mm", 4: "yyyy-mm-dd hh:mm"},
            )
        )
    sheets.append(
        Sheet(
            title=_("Staffing"),
            headers=(
                _("Project"),
                _("Marketers"),
                _("Consultants"),
                _("Secretaries"),
                _("Warnings"),
            ),
            rows=[
                (
                    s["project_name"],
                    s["marketers"],
                    s["consultants"],
                    s["secretaries"],
                    "; ".join(s["warnings"]),
                )
                for s in data["staffing"]
            ],
            formats={1: COUNT_FORMAT, 2: COUNT_FORMAT, 3: COUNT_FORMAT},
        )
    )
    costs = data["costs"]
    sheets.append(
        Sheet(
            title=_("Cost-effectiveness"),
            preamble=(
                [
                    (_("Spend"), costs["spend"]),
                    (_("Cost per valid visit"), costs["cost_per_valid_visit"]),
                    (_("Cost per signing"), costs["cost_per_signing"]),
                ]
                if costs["company"]
                else []
            ),
            headers=(
                _("Subject"),
                _("Name"),
                _("Spend"),
                _("Valid visits"),
                _("Signings"),
                _("Cost per valid visit"),
                _("Cost per signing"),
            ),
            rows=[
                (
                    subject,
                    row[name_key],
                    row["spend"],
                    row["valid_visits"],
                    row["signings"],
                    row["cost_per_valid_visit"],
                    row["cost_per_signing"],
                )
                for key, subject, name_key in (
                    ("projects", _("Project"), "project_name"),
                    ("partners", _("Partner"), "partner_name"),
                )
                for row in costs[key]
            ],
            formats={
                2: MONEY_FORMAT,
                3: COUNT_FORMAT,
                4: COUNT_FORMAT,
                5: MONEY_FORMAT,
                6: MONEY_FORMAT,
            },
        )
    )
    return sheets


def dashboard_workbook(data: dict) -> bytes:
    return _sheets_workbook(dashboard_sheets(data))
