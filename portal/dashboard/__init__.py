"""The manager's dashboard (/dashboard/): attainment, activity, funnel, flags, jobs."""
