"""The audit trail of full customer phones served to the office (SPEC: partners see phones
masked; every full phone the office roles read is written down)."""

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType

from common.access import can
from common.models import AuditEntry

PHONE_VIEWED = "customer.phone_viewed"


def customer_phones_audit(*, actor, customer_ids: Iterable[int], via: str) -> None:
    """One AuditEntry per customer whose full phone a response carries, in one INSERT (two
    queries whatever the number). Only the roles that read customers they did not bring are
    audited (partners only ever get masked phones; marketers only their own customers')."""
    customer_ids = sorted({pk for pk in customer_ids if pk})
    if not customer_ids or not can(actor, "audit_phone_reads"):
        return
    # Uncached on purpose: the content-type cache would make the first response cost a query
    # less than the next, and list pages keep a constant query count.
    content_type = ContentType.objects.filter(app_label="sales", model="customer").get()
    AuditEntry.objects.bulk_create(
        AuditEntry(
            actor=actor,
            action=PHONE_VIEWED,
            content_type=content_type,
            object_id=customer_id,
            summary=f"Full phone served ({via}).",
        )
        for customer_id in customer_ids
    )
