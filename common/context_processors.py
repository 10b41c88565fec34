from common.roles import user_role


def role(request) -> dict:
    """Expose the signed-in user's role code to templates (navigation by role)."""
    return {"user_role": user_role(getattr(request, "user", None))}
