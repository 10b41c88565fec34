"""Writes shared by every app."""

import datetime
import decimal
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from common.models import AuditEntry, JobRun


def worker_heartbeat_record() -> JobRun:
    """Record that a worker is alive: one row, its time moved forward on every beat."""
    now = timezone.now()
    run, _created = JobRun.objects.update_or_create(
        name="worker_heartbeat",
        key="",
        defaults={"status": JobRun.Status.SUCCEEDED, "started_at": now, "finished_at": now},
    )
    return run


def _json_value(value: Any) -> Any:
    """A value as JSON stores it: decimals and dates as strings, files by name."""
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    if isinstance(value, list | tuple):
        return [_json_value(item) for item in value]
    if isinstance(value, dict):
        return {key: _json_value(item) for key, item in value.items()}
    return value


def json_safe(value: Any) -> Any:
    """A value as a JSON field stores it (decimals and dates as strings, files by name)."""
    return _json_value(value)


def audit_snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The named fields of an object as JSON-safe values (foreign keys as ids)."""
    snapshot = {}
    for name in fields:
        field = obj._meta.get_field(name)
        snapshot[name] = _json_value(getattr(obj, field.attname))
    return snapshot


def audit_diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Only what changed between two snapshots: ``{field: {"before": x, "after": y}}``."""
    return {
        name: {"before": before.get(name), "after": value}
        for name, value in after.items()
        if before.get(name) != value
    }


def audit_entry(
    *, actor, action: str, obj: models.Model, changes: dict, summary: str = ""
) -> AuditEntry:
    """An unsaved audit entry: `audit_record` saves one, a batch is saved with one
    ``AuditEntry.objects.bulk_create``. `actor` None (or anonymous) means the system."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEntry(
        actor=actor,
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=obj.pk,
        summary=summary[:2000],
        changes={key: _json_value(value) for key, value in (changes or {}).items()},
    )


def audit_record(
    *, actor, action: str, obj: models.Model, changes: dict, summary: str = ""
) -> AuditEntry:
    """Record who did what to which object; `actor` None (or anonymous) means the system."""
    entry = audit_entry(actor=actor, action=action, obj=obj, changes=changes, summary=summary)
    entry.save()
    return entry
