from sales.models.activity import Mortgage, Payment, Signing, Subscription, Visit
from sales.models.customers import AttributionOverride, Customer, Registration
from sales.models.org import Project, Staff, Team

__all__ = [
    "AttributionOverride",
    "Customer",
    "Mortgage",
    "Payment",
    "Project",
    "Registration",
    "Signing",
    "Staff",
    "Subscription",
    "Team",
    "Visit",
]
