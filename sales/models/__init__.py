from sales.models.activity import Mortgage, Payment, Signing, Subscription, Visit
from sales.models.customers import (
    AttributionOverride,
    Customer,
    ProtectionExtension,
    Registration,
)
from sales.models.marketing import Campaign
from sales.models.org import Project, Staff, Team

__all__ = [
    "AttributionOverride",
    "Campaign",
    "Customer",
    "Mortgage",
    "Payment",
    "Project",
    "ProtectionExtension",
    "Registration",
    "Signing",
    "Staff",
    "Subscription",
    "Team",
    "Visit",
]
