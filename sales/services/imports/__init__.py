"""Excel (xlsx) import of visits and signings: ``columns`` (what a sheet holds), ``sheets``
(reading the workbook: sheets, header row, total lines), ``cells`` (each cell's parser), ``run``
(each row through the real service) and ``report`` (what the reader is told).
The names below are what the pages, the API and the forms use."""

from sales.services.imports.columns import COLUMNS, KINDS, SIGNINGS, VISITS, import_template
from sales.services.imports.report import ImportReport
from sales.services.imports.run import IMPORTERS, signings_import, visits_import
from sales.services.imports.sheets import MAX_FILE_BYTES

__all__ = [
    "COLUMNS",
    "IMPORTERS",
    "KINDS",
    "MAX_FILE_BYTES",
    "SIGNINGS",
    "VISITS",
    "ImportReport",
    "import_template",
    "signings_import",
    "visits_import",
]
