"""Reads of appeals (申诉), scoped: a manager every appeal, a supervisor those of the projects
their teams work, a marketer their own, a partner user its partner's; nobody else any. The
decision screen's two sides of the customer's timeline (the appellant's records and the current
owner's) are read here too."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from common.access import can
from common.periods import local_today
from common.roles import Role, user_role
from partners.models import Partner
from partners.selectors import partner_for_user
from sales.models import Appeal, AppealComment, AppealEvidence, Staff
from sales.selectors.customer_list import customer_get, customer_owner
from sales.selectors.org import staff_for_user
from sales.selectors.reports import report_project_list
from sales.selectors.timeline import TimelineEvent, customer_timeline


def appeal_list(*, user) -> QuerySet[Appeal]:
    """The appeals a user may see, newest first, with their evidence (and, for the office,
    their comments)."""
    appeals = (
        Appeal.objects.select_related(
            "project",
            "customer",
            "marketer",
            "partner",
            "appellant",
            "appellant__staff",
            "decided_by",
            "decided_by__staff",
        )
        .prefetch_related("evidence")
        .order_by("-created_at", "-id")
    )
    if can(user, "review_appeals"):
        comments = AppealComment.objects.select_related("author", "author__staff")
        appeals = appeals.prefetch_related(Prefetch("comments", queryset=comments))
    if can(user, "see_all_appeals"):
        return appeals
    role = user_role(user)
    if role == Role.SUPERVISOR:
        return appeals.filter(project__in=report_project_list(user=user))
    if role == Role.PARTNER:
        partner = partner_for_user(user)
        return appeals.filter(partner=partner) if partner else appeals.none()
    if role == Role.MARKETER:
        me = staff_for_user(user)
        return appeals.filter(marketer=me) if me else appeals.none()
    return appeals.none()


def appeal_get(*, user, pk: int) -> Appeal | None:
    """One appeal the user may see (None: not there, or not theirs)."""
    return appeal_list(user=user).filter(pk=pk).first()


def appeal_evidence_get(*, user, pk: int) -> AppealEvidence | None:
    """One evidence file of an appeal the user may see (None: not there, or not theirs)."""
    visible = appeal_list(user=user).values("pk")
    return AppealEvidence.objects.filter(pk=pk, appeal__in=visible).first()


def appeal_open_count(*, user) -> int:
    return appeal_list(user=user).filter(status="open").count()


@dataclass(frozen=True)
class AppealSides:
    """The customer's timeline as the decision screen splits it: the appellant's records, those
    of the channel the appeal is against (the owner now, or the one an upheld appeal took the
    customer from), and the rest (walk-ins, other channels)."""

    customer: object
    owner_name: str
    against_name: str
    appellant: list[TimelineEvent]
    owner: list[TimelineEvent]
    other: list[TimelineEvent]


def _channel_keys(event: TimelineEvent) -> set[tuple]:
    """The channels an event is about, as (marketer id, partner id) keys."""
    record, data = event.record, event.data
    keys = set()
    pairs = [("marketer", "partner"), ("brought_marketer", "brought_partner")]
    for marketer, partner in pairs:
        if data.get(marketer) or data.get(partner):
            if data.get(marketer):
                keys.add((data[marketer], None))
            if data.get(partner):
                keys.add((None, data[partner]))
    signing = getattr(record, "signing", None)
    if signing is not None and hasattr(signing, "marketer_id"):
        keys |= {(signing.marketer_id, None), (None, signing.partner_id)}
    for side in ("before", "after"):
        snapshot = data.get(side) or {}
        if isinstance(snapshot, dict):
            keys |= {(snapshot.get("marketer"), None), (None, snapshot.get("partner"))}
    if isinstance(record, Appeal):
        keys.add((record.marketer_id, record.partner_id))
    return {key for key in keys if key != (None, None)}


def appeal_sides(*, appeal: Appeal, user) -> AppealSides | None:
    """Both sides of the appeal's customer for the office: None when the user may not read
    that customer."""
    customer = customer_get(user=user, pk=appeal.customer_id)
    if customer is None:
        return None
    owner = customer_owner(customer, today=local_today())
    appellant_key = (appeal.marketer_id, appeal.partner_id)
    owner_key, against_name = (owner.key, owner.name) if owner else (None, "")
    if appeal.override_id:  # upheld: the other side is whom the override took it from
        owner_key, against_name = _held_before(appeal.override)
    mine, theirs, rest = [], [], []
    for event in customer_timeline(customer=customer, user=user):
        keys = _channel_keys(event)
        if appellant_key in keys:
            mine.append(event)
        if owner_key in keys and owner_key != appellant_key:
            theirs.append(event)
        if appellant_key not in keys and owner_key not in keys:
            rest.append(event)
    return AppealSides(
        customer=customer,
        owner_name=owner.name if owner else "",
        against_name=against_name,
        appellant=mine,
        owner=theirs,
        other=rest,
    )


def _held_before(override) -> tuple[tuple, str]:
    """The channel key and name an override took the customer from."""
    before = override.before or {}
    if before.get("marketer"):
        staff = Staff.objects.filter(pk=before["marketer"]).first()
        return (before["marketer"], None), staff.name if staff else ""
    if before.get("partner"):
        partner = Partner.objects.filter(pk=before["partner"]).first()
        return (None, before["partner"]), partner.name if partner else ""
    return (None, None), ""
