"""Postgres advisory locks for periodic singletons (a no-op on the SQLite dev default)."""

import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

_NAMESPACE = 4242  # first half of the two-int advisory key: ChannelHub's own locks


def _key(name: str) -> int:
    return zlib.crc32(name.encode()) - 2**31  # a stable signed 32-bit key per name


@contextmanager
def advisory_lock(name: str) -> Iterator[bool]:
    """Try to take the session-level advisory lock `name`; yields False when another
    connection holds it (the caller then skips its work). Released on leaving the block."""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [_NAMESPACE, _key(name)])
        acquired = bool(cursor.fetchone()[0])
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [_NAMESPACE, _key(name)])


def advisory_xact_lock(name: str) -> None:
    """Wait for the transaction-level advisory lock `name` (released at commit/rollback);
    a second worker computing the same thing queues behind the first instead of racing it."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_NAMESPACE, _key(name)])
