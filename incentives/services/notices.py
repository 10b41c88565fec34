"""Whose statement it is hears when it is approved or paid: the marketer through their login,
a partner through its portal logins. Constant queries for a batch of any size."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from common.notifications.services import Notice, notices_write
from incentives.models import Statement


def statements_notify(*, statement_ids, kind: str) -> int:
    """Tell the owners of these statements of a decision (`statement_approved` or
    `statement_paid`), once per statement and kind."""
    statements = list(
        Statement.objects.filter(pk__in=list(statement_ids))
        .select_related("staff__user")
        .only("pk", "period", "paid_on", "partner_id", "staff__user")
    )
    partner_ids = {s.partner_id for s in statements if s.partner_id}
    partner_users: dict[int, list] = {}
    if partner_ids:
        logins = get_user_model().objects.filter(
            partner_member__partner_id__in=partner_ids, is_active=True
        )
        for user in logins.select_related("partner_member"):
            partner_users.setdefault(user.partner_member.partner_id, []).append(user)
    notices = []
    for statement in statements:
        facts = {"period": statement.period, "paid_on": statement.paid_on or ""}
        key = f"{kind}:{statement.pk}"
        if statement.partner_id:
            link = reverse("portal:statement-detail", args=[statement.pk])
            users = partner_users.get(statement.partner_id, [])
        else:
            link = reverse("incentives:statement-detail", args=[statement.pk])
            staff_user = statement.staff.user if statement.staff_id else None
            users = [staff_user] if staff_user else []
        notices += [Notice(user=u, kind=kind, facts=facts, key=key, link=link) for u in users]
    return notices_write(notices=notices)
