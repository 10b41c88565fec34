from common.access import Capabilities


def access(request) -> dict:
    """`{% if can.log_visits %}`: the signed-in user's capabilities (navigation and tiles)."""
    return {"can": Capabilities(getattr(request, "user", None))}
