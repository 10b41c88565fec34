from sales.models.activity import Mortgage, Payment, Signing, Subscription, Visit
from sales.models.appeals import Appeal, AppealComment, AppealEvidence
from sales.models.customers import (
    AttributionOverride,
    Customer,
    ProtectionExtension,
    Registration,
)
from sales.models.org import Project, Staff, Team

__all__ = [
    "Appeal",
    "AppealComment",
    "AppealEvidence",
    "AttributionOverride",
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
