"""Set-based writes: inserts by PostgreSQL COPY, updates from a COPY-filled temporary table and
deletes by one id array (bulk_create, bulk_update and batched deletes on other databases)."""

import io
import json
import re
from collections.abc import Collection, Iterable, Sequence
from datetime import date, datetime

from django.db import connection, models, transaction

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
# Most text needs no escaping: a C-speed search spares the (slow) translate for it.
_NEEDS_ESCAPE = re.compile(r"[\\\t\n\r]").search
# One encoder for every JSON cell: json.dumps builds a new one per call for these options.
_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
# Other databases take deletes in batches of ids (SQLite allows ~32k variables a statement).
_BATCH = 2000


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
        return _copy_text(_json(value))
    return str(value)  # numbers (int, Decimal) need no escaping


def insert_rows(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Insert rows (tuples in `fields` order) without building model instances; returns the
    count. Values must already be what the column stores (ids, Decimals, aware datetimes)."""
    if connection.vendor != "postgresql":
        names = [model._meta.get_field(f).attname for f in fields]  # board → board_id
        objects = [model(**dict(zip(names, row, strict=True))) for row in rows]
        model.objects.bulk_create(objects, batch_size=2000)
        return len(objects)
    return _copy(model._meta.db_table, _columns(model, fields), rows)


def _columns(model: type[models.Model], fields: Sequence[str]) -> list[str]:
    return [connection.ops.quote_name(model._meta.get_field(f).column) for f in fields]


def _copy(table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    buffer = io.StringIO()
    count = 0
    for row in rows:
        buffer.write("\t".join(map(_copy_text, row)))
        buffer.write("\n")
        count += 1
    if not count:
        return 0
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.copy_expert(
            f"COPY {connection.ops.quote_name(table)} ({', '.join(columns)}) FROM STDIN", buffer
        )
    return count


def update_rows(model: type[models.Model], fields: Sequence[str], rows: Sequence[Sequence]) -> int:
    """Set `fields` of the rows given as (pk, *values in `fields` order), in one UPDATE …
    FROM a temporary table filled by COPY (bulk_update elsewhere); returns the count."""
    if not rows:
        return 0
    if connection.vendor != "postgresql":
        names = [model._meta.get_field(f).attname for f in fields]
        objects = [model(pk=row[0], **dict(zip(names, row[1:], strict=True))) for row in rows]
        model.objects.bulk_update(objects, list(fields), batch_size=500)
        return len(objects)
    qn = connection.ops.quote_name
    table, temp = qn(model._meta.db_table), qn(f"_update_{model._meta.db_table}")
    pk = qn(model._meta.pk.column)
    columns = _columns(model, fields)
    # Only quoted names of the model's table and columns go into the SQL; values go by COPY.
    selected = ", ".join([pk, *columns])
    assignments = ", ".join(f"{column} = s.{column}" for column in columns)
    create = f"CREATE TEMPORARY TABLE {temp} ON COMMIT DROP AS SELECT {selected} FROM {table}"  # noqa: S608  # nosec B608 - quoted names
    update = f"UPDATE {table} t SET {assignments} FROM {temp} s WHERE t.{pk} = s.{pk}"  # noqa: S608  # nosec B608 - quoted names
    with transaction.atomic(), connection.cursor() as cursor:
        # Columns typed like the model's, no rows; filled by COPY, dropped at once.
        cursor.execute(f"{create} WITH NO DATA")
        _copy(f"_update_{model._meta.db_table}", [pk, *columns], rows)
        cursor.execute(update)
        count = cursor.rowcount
        cursor.execute(f"DROP TABLE {temp}")
    return count


def delete_rows(model: type[models.Model], pks: Collection[int]) -> int:
    """Delete rows by primary key, bypassing the collector (no cascades, no signals: only for
    models nothing points at with CASCADE), in one DELETE … = ANY(array) on PostgreSQL."""
    if not pks:
        return 0
    if connection.vendor != "postgresql":
        pks = list(pks)
        return sum(
            model.objects.filter(pk__in=pks[n : n + _BATCH])._raw_delete(connection.alias)
            for n in range(0, len(pks), _BATCH)
        )
    qn = connection.ops.quote_name
    table, pk = qn(model._meta.db_table), qn(model._meta.pk.column)
    delete = f"DELETE FROM {table} WHERE {pk} = ANY(%s::bigint[])"  # noqa: S608  # nosec B608 - quoted names
    with connection.cursor() as cursor:
        # One array literal: a parameter per id would make the statement as long as the list.
        cursor.execute(delete, ["{" + ",".join(map(str, pks)) + "}"])
        return cursor.rowcount
