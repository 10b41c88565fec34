"""What an object id is, for every way one arrives (API bodies, query filters, forms).

An id is a whole number the id column can hold: a JSON integer or a string of ASCII digits,
from 1 up to the column's largest value on the database in use (PostgreSQL and SQLite hold
64-bit ids). Anything else — a decimal (2.9 would otherwise be truncated to object 2), a
boolean (true is 1 in Python), a number beyond the column's range (an OverflowError on SQLite,
a DataError on PostgreSQL) — is refused before it reaches a query.
"""

import re

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

_DIGITS = re.compile(r"[0-9]+", re.ASCII)
# The id columns are BigAutoField (DEFAULT_AUTO_FIELD); a model may say otherwise (auth's user).
DEFAULT_ID_TYPE = "BigAutoField"

NOT_AN_ID = _("An id is a whole number such as 12.")
OUT_OF_RANGE = _("No object has this id.")


def id_max(model: type[Model] | None = None) -> int:
    """The largest id the model's id column holds on the database in use."""
    internal_type = model._meta.pk.get_internal_type() if model is not None else DEFAULT_ID_TYPE
    if internal_type not in ("AutoField", "BigAutoField", "SmallAutoField"):
        internal_type = DEFAULT_ID_TYPE
    return connection.ops.integer_field_range(internal_type)[1]


def parse_id(value, *, model: type[Model] | None = None) -> int:
    """The id `value` names, or ValidationError (code `invalid` for what is no whole number,
    `out_of_range` for one no row can have)."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValidationError(NOT_AN_ID, code="invalid")
    if isinstance(value, str):
        value = value.strip()
        if not _DIGITS.fullmatch(value) or len(value) > 40:
            raise ValidationError(NOT_AN_ID, code="invalid")
        value = int(value)
    if value < 1 or value > id_max(model):
        raise ValidationError(OUT_OF_RANGE, code="out_of_range")
    return value
