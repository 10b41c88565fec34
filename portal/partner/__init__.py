"""Partner self-service portal (/partners/portal/)."""
