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


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    SCREENING = "screening", _("Screened, awaiting decision")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


OPEN_APPLICATION_STATUSES = (ApplicationStatus.SUBMITTED, ApplicationStatus.SCREENING)


class FeeMode(models.TextChoices):
    PER_UNIT = "per_unit", _("Fixed amount per signed unit")
    PERCENT = "percent", _("Percentage of the signed amount")


class FeeMilestone(models.TextChoices):
    SIGNING = "signing", _("Signing (签约)")
    DOWN_PAYMENT = "down_payment", _("Down payment (首付)")
    MORTGAGE_DISBURSEMENT = "mortgage_disbursement", _("Mortgage disbursement (按揭放款)")


class ContractStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    TERMINATED = "terminated", _("Terminated")


# Days before a contract's end date on which the daily job reminds, largest first.
CONTRACT_REMINDER_DAYS = (30, 7)


class TrainingTopic(models.TextChoices):
    PRODUCT = "product", _("Product introduction and features (产品介绍和特点)")
    COMPETITION = (
        "competition",
        _("Competitor analysis and sales strategy (产品对手分析和销售策略设计)"),
    )
    MARKETING = (
        "marketing",
        _("Marketing and channel strategy (市场营销和销售渠道的策略和管理模式)"),
    )
