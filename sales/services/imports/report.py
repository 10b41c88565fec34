"""What an import reports: rows stored, skipped (合计/小计 lines) and refused, each sheet's fate,
and every problem with its sheet, cell (C7), the column as headed in the file and the value —
in the reader's language (the report is built inside the request, in its language)."""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sales.services.imports.columns import COLUMNS
from sales.services.imports.sheets import INSTRUCTIONS, NO_HEADER, Row


def display_value(value) -> str:
    """A cell's value as the report shows it (dates ISO, whole numbers without .0)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M") if value.time() != time.min else str(value.date())
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@dataclass
class ImportReport:
    """What an import did: rows read, stored, skipped and refused, and each refusal's cells."""

    kind: str
    rows: int = 0
    imported: int = 0
    valid_rows: int = 0
    committed: bool = False
    errors: list[dict] = field(default_factory=list)
    sheets: list[dict] = field(default_factory=list)
    skipped_rows: list[dict] = field(default_factory=list)

    @property
    def refused(self) -> int:
        return len(self.errors)

    def add_skipped(self, skipped: list[dict]) -> None:
        for line in skipped:
            reason = _("A total line (%(word)s), not a customer: skipped.") % {
                "word": line["value"]
            }
            self.skipped_rows.append({**line, "reason": reason})

    def add_error(self, row: Row, errors: dict[str, list[str]]) -> None:
        names = {c.field: c.zh for c in COLUMNS[self.kind]}
        problems = []
        for name, messages in errors.items():
            where = name
            if name not in row.header.titles and name == "visited_at":
                where = "visited_on"  # the date column is all the sheet has of the time
            known = name != "non_field_errors"
            for message in messages:
                problems.append(
                    {
                        "field": name if known else "",
                        "column": row.header.titles.get(where, names.get(name, ""))
                        if known
                        else "",
                        "cell": row.header.cell(where, row.number) if known else "",
                        "value": display_value(row.values.get(where)) if known else "",
                        "message": message,
                    }
                )
        self.errors.append(
            {"sheet": row.sheet, "row": row.number, "errors": errors, "problems": problems}
        )

    def summary(self) -> str:
        """One paragraph: what was stored, skipped and refused, and the sheets not read."""
        if self.committed:
            parts = [
                ngettext("%(n)d row stored.", "%(n)d rows stored.", self.imported)
                % {"n": self.imported}
            ]
        else:
            parts = [_("Nothing was stored.")]
        if self.refused:
            parts.append(
                ngettext("%(n)d row refused (below).", "%(n)d rows refused (below).", self.refused)
                % {"n": self.refused}
            )
            if not self.committed:
                parts.append(_("Fix them and upload again, or choose to import the good rows."))
        if self.skipped_rows:
            parts.append(
                ngettext(
                    "%(n)d total line (合计/小计) skipped.",
                    "%(n)d total lines (合计/小计) skipped.",
                    len(self.skipped_rows),
                )
                % {"n": len(self.skipped_rows)}
            )
        for sheet in self.sheets:
            if sheet["status"] == NO_HEADER:
                parts.append(
                    _("Sheet %(sheet)s has no header row naming the columns and was not read.")
                    % {"sheet": sheet["name"]}
                )
            elif sheet["status"] == INSTRUCTIONS:
                parts.append(
                    _("Sheet %(sheet)s explains the columns and was not read.")
                    % {"sheet": sheet["name"]}
                )
        return " ".join(parts)

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "rows": self.rows,
            "imported": self.imported,
            "valid_rows": self.valid_rows,
            "refused": self.refused,
            "skipped": len(self.skipped_rows),
            "committed": self.committed,
            "summary": self.summary(),
            "sheets": self.sheets,
            "skipped_rows": self.skipped_rows,
            "errors": self.errors,
        }
