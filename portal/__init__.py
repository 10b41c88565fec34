"""Pages that compose several apps: the partner portal, the manager's dashboard, home."""
