"""Reads for partners, scoped so that a partner user only ever reaches its own partner."""

from partners.models import Partner


def partner_for_user(user) -> Partner | None:
    """The partner organisation a portal login belongs to, or None for staff."""
    if not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_channelhub_partner", "unset")
    if cached == "unset":
        cached = Partner.objects.filter(members__user=user).first()
        user._channelhub_partner = cached
    return cached
