import re

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sales.choices import (
    MortgageStatus,
    PaymentKind,
    PropertyType,
    SigningStatus,
    SubscriptionStatus,
    VisitStatus,
)
from sales.models.customers import AT_MOST_ONE_CHANNEL
from sales.models.marketing import CAMPAIGN_NAMED, source_fields

POSITIVE_AMOUNT = models.Q(amount__gt=0)

# How `visit_reject` keeps a rejection's reason in the visit's note (the API's note field
# carries it so); pages show it in words through `Visit.note_text` / `Visit.rejection_reason`.
REJECTION_MARK = "[rejected: {reason}]"
REJECTION_RE = re.compile(r"\s*\[rejected: ([^\]]*)\]?")


def _channel_fields(related: str):
    marketer = models.ForeignKey(
        "sales.Staff",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name=related,
        verbose_name=_("marketer"),
    )
    partner = models.ForeignKey(
        "partners.Partner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name=related,
        verbose_name=_("partner"),
    )
    return marketer, partner


class Visit(models.Model):
    """来访/带访: a customer group at the sales office, brought by a marketer or a partner, or
    neither: a walk-in (自然到访)."""

    project = models.ForeignKey(
        "sales.Project", on_delete=models.PROTECT, related_name="visits", verbose_name=_("project")
    )
    customer = models.ForeignKey(
        "sales.Customer",
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name=_("customer"),
    )
    customer_name = models.CharField(_("customer name"), max_length=100)
    customer_phone = models.CharField(_("customer phone"), max_length=11)
    marketer, partner = _channel_fields("visits")
    brought_marketer = models.ForeignKey(
        "sales.Staff",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("brought by marketer"),
        help_text=_("Who brought the group, as logged; the visit is credited by attribution."),
    )
    brought_partner = models.ForeignKey(
        "partners.Partner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("brought by partner"),
    )
    visited_at = models.DateTimeField(_("visited at"))
    property_type = models.CharField(
        _("property type of interest"), max_length=20, choices=PropertyType.choices
    )
    consultant = models.ForeignKey(
        "sales.Staff",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="received_visits",
        verbose_name=_("property consultant"),
    )
    group_size = models.PositiveSmallIntegerField(_("people in the group"), default=1)
    status = models.CharField(
        _("status"), max_length=20, choices=VisitStatus.choices, default=VisitStatus.PENDING
    )
    is_valid = models.BooleanField(
        _("valid"),
        default=False,
        help_text=_("Confirmed and not a repeat visit inside the project's window."),
    )
    registration = models.ForeignKey(
        "sales.Registration",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("registration it fell in"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    source, campaign = source_fields("visits")
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("logged by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_at", "-id"]
        constraints = [
            # Credited and brought alike: one channel, or none (a walk-in, 自然到访).
            models.CheckConstraint(condition=AT_MOST_ONE_CHANNEL, name="visit_at_most_one_channel"),
            models.CheckConstraint(
                condition=models.Q(brought_marketer__isnull=True)
                | models.Q(brought_partner__isnull=True),
                name="visit_brought_by_one_channel",
            ),
            models.CheckConstraint(
                condition=models.Q(is_valid=False) | models.Q(status="confirmed"),
                name="visit_valid_only_when_confirmed",
            ),
            models.CheckConstraint(condition=models.Q(group_size__gte=1), name="visit_group_size"),
            models.CheckConstraint(condition=CAMPAIGN_NAMED, name="visit_campaign_named"),
        ]
        indexes = [
            models.Index(fields=["project", "customer", "visited_at"], name="visit_customer_idx"),
            models.Index(fields=["marketer", "is_valid", "visited_at"], name="visit_marketer_idx"),
            models.Index(fields=["partner", "is_valid", "visited_at"], name="visit_partner_idx"),
            models.Index(fields=["project", "visited_at"], name="visit_project_day_idx"),
            # The unfiltered list's order (newest first): a page is an index scan, not a sort.
            models.Index(fields=["-visited_at", "-id"], name="visit_recent_idx"),
            # One marketer's or partner's visits in the list's order (`?marketer=`, a
            # marketer's or a partner user's own list): a page reads its 50 rows and joins
            # only theirs, instead of sorting all of theirs and hashing every staff row.
            models.Index(
                fields=["marketer", "-visited_at", "-id"], name="visit_marketer_recent_idx"
            ),
            models.Index(fields=["partner", "-visited_at", "-id"], name="visit_partner_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.customer_name} {self.visited_at:%Y-%m-%d %H:%M}"

    @property
    def note_text(self) -> str:
        """The note as people wrote it, without the rejection's mark."""
        return REJECTION_RE.sub("", self.note).strip()

    @property
    def rejection_reason(self) -> str:
        """Why the office rejected the visit ("" if it gave no reason)."""
        reasons = [found.strip() for found in REJECTION_RE.findall(self.note)]
        return "；".join(reason for reason in reasons if reason)


class Subscription(models.Model):
    """认购: a customer reserves a unit with a deposit, before signing."""

    project = models.ForeignKey(
        "sales.Project",
        on_delete=models.PROTECT,
        related_name="subscriptions",
        verbose_name=_("project"),
    )
    customer = models.ForeignKey(
        "sales.Customer",
        on_delete=models.PROTECT,
        related_name="subscriptions",
        verbose_name=_("customer"),
    )
    marketer, partner = _channel_fields("subscriptions")
    unit = models.CharField(_("unit"), max_length=50)
    property_type = models.CharField(
        _("property type"), max_length=20, choices=PropertyType.choices
    )
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    subscribed_on = models.DateField(_("subscribed on"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=SubscriptionStatus.choices,
        default=SubscriptionStatus.ACTIVE,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("subscription (认购)")
        verbose_name_plural = _("subscriptions (认购)")
        ordering = ["-subscribed_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=POSITIVE_AMOUNT, name="subscription_amount_positive"),
        ]
        indexes = [models.Index(fields=["project", "subscribed_on"], name="subscription_day_idx")]

    def __str__(self) -> str:
        return f"{self.unit} {self.subscribed_on}"


class Signing(models.Model):
    """签约: a signed unit, credited to a marketer and/or a partner; may be cancelled (退房)."""

    project = models.ForeignKey(
        "sales.Project",
        on_delete=models.PROTECT,
        related_name="signings",
        verbose_name=_("project"),
    )
    customer = models.ForeignKey(
        "sales.Customer",
        on_delete=models.PROTECT,
        related_name="signings",
        verbose_name=_("customer"),
    )
    subscription = models.ForeignKey(
        Subscription,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signings",
        verbose_name=_("subscription"),
    )
    customer_name = models.CharField(_("customer name"), max_length=100)
    customer_phone = models.CharField(_("customer phone"), max_length=11)
    marketer, partner = _channel_fields("signings")
    unit = models.CharField(_("unit"), max_length=50)
    property_type = models.CharField(
        _("property type"), max_length=20, choices=PropertyType.choices
    )
    area = models.DecimalField(_("area (m²)"), max_digits=10, decimal_places=2)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    signed_on = models.DateField(_("signed on"))
    status = models.CharField(
        _("status"), max_length=20, choices=SigningStatus.choices, default=SigningStatus.SIGNED
    )
    cancelled_on = models.DateField(_("cancelled on"), null=True, blank=True)
    cancel_reason = models.CharField(_("cancellation reason"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("signing (签约)")
        verbose_name_plural = _("signings (签约)")
        ordering = ["-signed_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=POSITIVE_AMOUNT, name="signing_amount_positive"),
            models.CheckConstraint(condition=models.Q(area__gt=0), name="signing_area_positive"),
            models.CheckConstraint(
                condition=(models.Q(status="signed", cancelled_on__isnull=True))
                | (models.Q(status="cancelled", cancelled_on__isnull=False)),
                name="signing_cancelled_on_iff_cancelled",
            ),
            models.CheckConstraint(
                condition=models.Q(cancelled_on__isnull=True)
                | models.Q(cancelled_on__gte=models.F("signed_on")),
                name="signing_cancelled_after_signed",
            ),
            models.UniqueConstraint(
                fields=["project", "unit"],
                condition=models.Q(status="signed"),
                name="signing_unit_sold_once",
            ),
        ]
        indexes = [
            models.Index(fields=["marketer", "signed_on"], name="signing_marketer_idx"),
            models.Index(fields=["partner", "signed_on"], name="signing_partner_idx"),
            models.Index(fields=["project", "signed_on"], name="signing_project_day_idx"),
            models.Index(fields=["-signed_on", "-id"], name="signing_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.signed_on}"


class Payment(models.Model):
    """回款: money received against a signing."""

    signing = models.ForeignKey(
        Signing, on_delete=models.PROTECT, related_name="payments", verbose_name=_("signing")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=PaymentKind.choices)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    paid_on = models.DateField(_("paid on"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("payment (回款)")
        verbose_name_plural = _("payments (回款)")
        ordering = ["-paid_on", "-id"]
        constraints = [models.CheckConstraint(condition=POSITIVE_AMOUNT, name="payment_positive")]
        indexes = [models.Index(fields=["paid_on"], name="payment_day_idx")]

    def __str__(self) -> str:
        return f"{self.amount} {self.paid_on}"


class Mortgage(models.Model):
    """按揭: a bank loan against a signing, from application to disbursement (放款)."""

    signing = models.ForeignKey(
        Signing, on_delete=models.PROTECT, related_name="mortgages", verbose_name=_("signing")
    )
    bank = models.CharField(_("bank"), max_length=100)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    status = models.CharField(
        _("status"), max_length=20, choices=MortgageStatus.choices, default=MortgageStatus.APPLIED
    )
    applied_on = models.DateField(_("applied on"))
    disbursed_on = models.DateField(_("disbursed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("mortgage (按揭)")
        verbose_name_plural = _("mortgages (按揭)")
        ordering = ["-applied_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=POSITIVE_AMOUNT, name="mortgage_positive"),
            models.CheckConstraint(
                condition=~models.Q(status="disbursed") | models.Q(disbursed_on__isnull=False),
                name="mortgage_disbursed_has_date",
            ),
        ]
        indexes = [models.Index(fields=["disbursed_on"], name="mortgage_disbursed_idx")]

    def __str__(self) -> str:
        return f"{self.bank} {self.amount}"
