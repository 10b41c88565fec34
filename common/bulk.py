"""Set-based inserts: PostgreSQL COPY for large writes, bulk_create on other databases."""

import io
import json
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from django.db import connection, models

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
# Most text needs no escaping: a C-speed search spares the (slow) translate for it.
_NEEDS_ESCAPE = re.compile(r"[\\\t\n\r]").search


def _copy_text(value) -> str:
    """One value in COPY's text format (\\N for NULL, escaped separators)."""
    if isinstance(value, str):
        return value.translate(_ESCAPES) if _NEEDS_ESCAPE(value) else value
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):  # a JSON column
        return _copy_text(json.dumps(value, ensure_ascii=False, separators=(",", ":")))
    return str(value)  # numbers (int, Decimal) need no escaping


def insert_rows(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Insert rows (tuples in `fields` order) without building model instances; returns the
    count. Values must already be what the column stores (ids, Decimals, aware datetimes)."""
    if connection.vendor != "postgresql":
        names = [model._meta.get_field(f).attname for f in fields]  # board → board_id
        objects = [model(**dict(zip(names, row, strict=True))) for row in rows]
        model.objects.bulk_create(objects, batch_size=2000)
        return len(objects)
    columns = ", ".join(connection.ops.quote_name(model._meta.get_field(f).column) for f in fields)
    buffer = io.StringIO()
    count = 0
    for row in rows:
        buffer.write("\t".join(map(_copy_text, row)))
        buffer.write("\n")
        count += 1
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.copy_expert(
            f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN",
            buffer,
        )
    return count
