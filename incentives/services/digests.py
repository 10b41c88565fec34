"""Digests of what a compute stores (a draft's computed lines, a frozen board's entries), so a
recompute that computes the same rows knows it without reading them back.

A digest is a BLAKE2b over one canonical JSON text of the rows, each in its stored columns'
order (JSON facts with sorted keys, numbers as their text). It is only ever compared with a
digest of new rows: rows the digest cannot vouch for (an empty digest, one of another
serialisation) are compared column by column, as before digests.
"""

import json
from collections import defaultdict
from collections.abc import Collection
from hashlib import blake2b
from operator import itemgetter

from incentives.choices import LineKind
from incentives.models import StatementLine

# The stored columns of a computed line, in the order a line's row is compared and written.
LINE_FIELDS = (
    "kind",
    "amount",
    "description",
    "source",
    "signing",
    "position",
    "reverses",
    "facts",
)

# Decimals (and any date) by their text; ASCII-escaped (the faster for the C encoder); one
# encoder for every digest.
_encode = json.JSONEncoder(sort_keys=True, separators=(",", ":"), default=str).encode
_position = itemgetter(LINE_FIELDS.index("position"))


def rows_digest(rows: list[tuple]) -> str:
    """The digest of rows in the order given (a board's entries: the order they are stored)."""
    return blake2b(_encode(rows).encode(), digest_size=16).hexdigest()


def lines_digest(rows: list[tuple]) -> str:
    """The digest of a statement's computed lines (LINE_FIELDS rows) by position."""
    return rows_digest(sorted(rows, key=_position))


def stored_lines_digests(*, statements: Collection[int]) -> dict[int, str]:
    """The digests of statements' computed lines as stored (after a change made elsewhere)."""
    rows: dict[int, list[tuple]] = defaultdict(list)
    stored = StatementLine.objects.filter(statement__in=statements).exclude(
        kind=LineKind.ADJUSTMENT
    )
    for statement_id, *values in stored.order_by().values_list("statement", *LINE_FIELDS):
        rows[statement_id].append(tuple(values))
    return {pk: lines_digest(rows[pk]) for pk in statements}
