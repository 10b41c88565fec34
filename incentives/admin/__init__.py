"""Admin of the incentive engine, one module per sub-domain (registered on import)."""

from incentives.admin import plans, statements, targets  # noqa: F401
