"""A person's name as pages show it: the linked staff member's name, else the user's full
name, else the login name — never the login name when the person has a name."""

from django.core.exceptions import ObjectDoesNotExist


def person_name(user) -> str:
    """The name to show for a user (a login): Staff.name, full name, or username."""
    if user is None:
        return ""
    try:
        staff = user.staff
    except (ObjectDoesNotExist, AttributeError):
        staff = None
    if staff is not None and staff.name:
        return staff.name
    full = (user.get_full_name() or "").strip() if hasattr(user, "get_full_name") else ""
    return full or user.get_username()
