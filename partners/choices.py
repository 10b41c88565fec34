from django.db import models
from django.utils.translation import gettext_lazy as _


class PartnerKind(models.TextChoices):
    AGENCY = "agency", _("Agency (中介/代理)")
    DISTRIBUTOR = "distributor", _("Distributor (经销/分销)")
    ECOMMERCE = "ecommerce", _("E-commerce platform")
    BIG_CLIENT = "big_client", _("Big client (大客户)")
    BROKER = "broker", _("Individual broker (全民经纪人)")


class PartnerStatus(models.TextChoices):
    PROSPECT = "prospect", _("Prospect")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    TERMINATED = "terminated", _("Terminated")


class CreditRating(models.TextChoices):
    A = "A", "A"
    B = "B", "B"
    C = "C", "C"
    D = "D", "D"
