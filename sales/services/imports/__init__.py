"""Excel (xlsx) import of visits and signings: ``columns`` (what a sheet holds), ``cells`` (each
cell's parser) and ``run`` (reading the file, each row through the real service, the report).
The names below are what the pages, the API and the forms use."""

from sales.services.imports.columns import COLUMNS, KINDS, SIGNINGS, VISITS, import_template
from sales.services.imports.run import (
    IMPORTERS,
    MAX_FILE_BYTES,
    ImportReport,
    signings_import,
    visits_import,
)

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
