"""The audit trail of full customer phones served to the office (SPEC: partners see phones
masked; every full phone the office roles read is written down)."""

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType

from common.access import can
from common.audit import PHONE_VIEWED, phone_view_facts
from common.models import AuditEntry
from sales.models import Customer

__all__ = ["PHONE_VIEWED", "customer_phones_audit"]


def customer_phones_audit(*, actor, customer_ids: Iterable[int], via: str) -> None:
    """One AuditEntry per response that carries full phones, listing its customers (one
    INSERT, in the request's own transaction or autocommit: written before the response goes
    out, never after). Only the roles that read customers they did not bring are audited
    (partners only ever get masked phones; marketers only their own customers').
    `common.audit` reads these entries and the older ones of one customer each."""
    customer_ids = sorted({pk for pk in customer_ids if pk})
    if not customer_ids or not can(actor, "audit_phone_reads"):
        return
    AuditEntry.objects.create(
        actor=actor,
        action=PHONE_VIEWED,
        # Cached per process (the tests warm it: tests/conftest.py).
        content_type=ContentType.objects.get_for_model(Customer),
        object_id=customer_ids[0],
        summary=f"Full phones served ({via}): {len(customer_ids)} customers.",
        changes=phone_view_facts(customer_ids=customer_ids, via=via),
    )
