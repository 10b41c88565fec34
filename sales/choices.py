from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PropertyType(models.TextChoices):
    HIGH_RISE = "high_rise", _("High-rise (高层住宅)")
    GARDEN_HOUSE = "garden_house", _("Garden house (洋房)")
    VILLA = "villa", _("Villa (别墅)")


class StaffLevel(models.TextChoices):
    REGULAR = "regular", _("Regular (一般)")
    EXCELLENT = "excellent", _("Excellent (优秀)")
    SENIOR = "senior", _("Senior (高级)")


class PhoneMode(models.TextChoices):
    FULL = "full", _("Full number, shown masked")
    MASKED = "masked", _("Masked 前三后四, matched on first 3 + last 4")


class AttributionMode(models.TextChoices):
    REGISTRATION = "registration", _("Registration protection (报备保护)")
    FIRST_VISIT = "first_visit", _("First confirmed visit wins (到访为王)")


class CustomerStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    VISITED = "visited", _("Visited")
    SUBSCRIBED = "subscribed", _("Subscribed")
    SIGNED = "signed", _("Signed")
    SETTLED = "settled", _("Commission settled")
    INVALID = "invalid", _("Invalid")
    CANCELLED = "cancelled", _("Cancelled (退房)")


# How far along the funnel each status is; a customer only moves forward (退房 aside).
CUSTOMER_STATUS_ORDER = {
    CustomerStatus.INVALID: 0,
    CustomerStatus.REGISTERED: 1,
    CustomerStatus.VISITED: 2,
    CustomerStatus.SUBSCRIBED: 3,
    CustomerStatus.SIGNED: 4,
    CustomerStatus.SETTLED: 5,
    CustomerStatus.CANCELLED: 6,
}


class RegistrationStatus(models.TextChoices):
    ACTIVE = "active", _("Protected")
    VISITED = "visited", _("Visited (deal protection)")
    EXPIRED = "expired", _("Expired")
    LOST = "lost", _("Closed by another channel (他人成交)")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    # A manager's override (an upheld appeal too) gave the customer to another channel: no deal
    # was closed, so not 他人成交 — the channel reads "attributed elsewhere".
    OVERRIDDEN = "overridden", _("Attributed elsewhere by the sales office")


class VisitStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")


class SigningStatus(models.TextChoices):
    SIGNED = "signed", _("Signed")
    CANCELLED = "cancelled", _("Cancelled (退房)")


class SubscriptionStatus(models.TextChoices):
    # Not the partners' "Active" (合作中): a live 认购 is 已认购.
    ACTIVE = "active", pgettext_lazy("subscription status", "Active")
    SIGNED = "signed", _("Converted to signing")
    CANCELLED = "cancelled", _("Cancelled")


class PaymentKind(models.TextChoices):
    DEPOSIT = "deposit", _("Deposit (定金)")
    DOWN_PAYMENT = "down_payment", _("Down payment (首付)")
    INSTALLMENT = "installment", _("Installment")
    FULL = "full", _("Full payment (全款)")


class MortgageStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    APPROVED = "approved", _("Approved")
    DISBURSED = "disbursed", _("Disbursed (放款)")
    REJECTED = "rejected", _("Rejected")


class AppealStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("appeal status", "Open")
    UPHELD = "upheld", pgettext_lazy("appeal status", "Upheld")
    REJECTED = "rejected", pgettext_lazy("appeal status", "Rejected")


class AppealSubject(models.TextChoices):
    """What an appeal is about: the registration refused (撞单), or a record the channel sees."""

    REFUSED = "refused", _("A refused registration (撞单)")
    CUSTOMER = "customer", _("A customer")
    VISIT = "visit", _("A visit")
    SIGNING = "signing", _("A signing")


class CustomerSource(models.TextChoices):
    """客户来源: how a customer came to a registration or a visit."""

    PARTNER = "partner", _("Partner (渠道合作伙伴)")
    MARKETER_OUTREACH = "marketer_outreach", _("Marketer outreach (行销拓客)")
    WALK_IN = "walk_in", _("Walk-in (自然到访)")
    REFERRAL = "referral", _("Referral (老带新)")
    CAMPAIGN = "campaign", _("Campaign (营销活动)")
    ONLINE = "online", _("Online (线上)")


class CampaignKind(models.TextChoices):
    EVENT = "event", _("Event (暖场活动)")
    PROMOTION = "promotion", _("Promotion (促销)")
    ADVERTISING = "advertising", _("Advertising (广告投放)")
    OUTREACH = "outreach", _("Outreach (拓客活动)")
    PARTNER_INCENTIVE = "partner_incentive", _("Partner incentive (渠道激励)")


class CampaignStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    RUNNING = "running", _("Running")
    CLOSED = "closed", _("Closed")
