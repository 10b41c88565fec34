from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sales.choices import CustomerStatus, RegistrationStatus
from sales.models.marketing import CAMPAIGN_NAMED, source_fields

ONE_CHANNEL = models.Q(marketer__isnull=False, partner__isnull=True) | models.Q(
    marketer__isnull=True, partner__isnull=False
)
# A visit names one channel, or none at all: a walk-in (自然到访) the sales office logged.
AT_MOST_ONE_CHANNEL = models.Q(marketer__isnull=True) | models.Q(partner__isnull=True)
# A customer has one owner at most: a marketer, a partner or the sales office (a walk-in).
ONE_OWNER = (
    models.Q(owner_marketer__isnull=True, owner_partner__isnull=True)
    | models.Q(owner_marketer__isnull=True, owner_office=False)
    | models.Q(owner_partner__isnull=True, owner_office=False)
)


class Customer(models.Model):
    """A buyer (customer group) at one project, and the channel the deal is attributed to."""

    project = models.ForeignKey(
        "sales.Project",
        on_delete=models.PROTECT,
        related_name="customers",
        verbose_name=_("project"),
    )
    name = models.CharField(_("customer name"), max_length=100)
    name_initials = models.CharField(
        _("name initials"),
        max_length=100,
        blank=True,
        help_text=_("Pinyin initials of the name (张伟 → zw), for search; set by the services."),
    )
    phone = models.CharField(
        _("phone"),
        max_length=11,
        blank=True,
        help_text=_("Full 11-digit mobile; empty when only the masked number is known."),
    )
    phone_key = models.CharField(
        _("phone key"), max_length=7, help_text=_("First 3 + last 4 digits, for 前三后四 matching.")
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=CustomerStatus.choices,
        default=CustomerStatus.REGISTERED,
    )
    owner_marketer = models.ForeignKey(
        "sales.Staff",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_customers",
        verbose_name=_("attributed marketer"),
    )
    owner_partner = models.ForeignKey(
        "partners.Partner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_customers",
        verbose_name=_("attributed partner"),
    )
    owner_office = models.BooleanField(
        _("the sales office's (walk-in)"),
        default=False,
        help_text=_("A walk-in (自然到访) made the customer the sales office's, nobody's deal."),
    )
    owner_locked_until = models.DateField(
        _("attribution locked until"),
        null=True,
        blank=True,
        help_text=_(
            "The owner's protection end: deal protection after a visit inside registration "
            "protection, or walk-in protection when the owner is the sales office."
        ),
    )
    owner_overridden = models.BooleanField(
        _("attribution set by a manager"),
        default=False,
        help_text=_("Visits no longer move the attribution once a manager has set it."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "phone"],
                condition=~models.Q(phone=""),
                name="customer_phone_unique_in_project",
            ),
            models.CheckConstraint(condition=ONE_OWNER, name="customer_one_owner"),
        ]
        indexes = [
            models.Index(fields=["project", "phone_key"], name="customer_phone_key_idx"),
            models.Index(fields=["-created_at", "-id"], name="customer_recent_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class Registration(models.Model):
    """客户报备: a marketer or partner claims a customer for a project for protection_days."""

    project = models.ForeignKey(
        "sales.Project",
        on_delete=models.PROTECT,
        related_name="registrations",
        verbose_name=_("project"),
    )
    customer = models.ForeignKey(
        Customer,
        on_delete=models.PROTECT,
        related_name="registrations",
        verbose_name=_("customer"),
    )
    marketer = models.ForeignKey(
        "sales.Staff",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("marketer"),
    )
    partner = models.ForeignKey(
        "partners.Partner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("partner"),
    )
    customer_name = models.CharField(_("customer name"), max_length=100)
    customer_phone = models.CharField(
        _("customer phone"), max_length=11, help_text=_("As registered: full or 前三后四 masked.")
    )
    registered_at = models.DateTimeField(_("registered at"))
    protected_until = models.DateField(
        _("protected until"),
        null=True,
        blank=True,
        help_text=_("Last day of protection (inclusive); empty when the project is 到访为王."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.ACTIVE,
    )
    source, campaign = source_fields("registrations")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["-registered_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=ONE_CHANNEL, name="registration_one_channel"),
            models.CheckConstraint(condition=CAMPAIGN_NAMED, name="registration_campaign_named"),
        ]
        indexes = [
            models.Index(fields=["project", "customer", "status"], name="registration_lookup_idx"),
            models.Index(fields=["status", "protected_until"], name="registration_expiry_idx"),
            models.Index(fields=["-registered_at", "-id"], name="registration_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.customer_name} @ {self.project_id}"


class ProtectionExtension(models.Model):
    """A manager's one extension of one registration's protection: by how much, why, who."""

    registration = models.OneToOneField(
        Registration,
        on_delete=models.PROTECT,
        related_name="extension",
        verbose_name=_("registration"),
        help_text=_("One extension per registration: the database refuses a second."),
    )
    days = models.PositiveSmallIntegerField(_("days added"))
    reason = models.TextField(_("reason"))
    protected_until_before = models.DateField(_("protected until, before"))
    protected_until_after = models.DateField(_("protected until, after"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("extended by"),
    )
    created_at = models.DateTimeField(_("extended at"), auto_now_add=True)

    class Meta:
        verbose_name = _("protection extension")
        verbose_name_plural = _("protection extensions")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(days__gte=1), name="extension_days_positive")
        ]

    def __str__(self) -> str:
        return f"{self.registration} +{self.days}"


class AttributionOverride(models.Model):
    """A manager's change of who a customer's deal is attributed to: who, when, why, what."""

    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="overrides", verbose_name=_("customer")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("changed by"),
    )
    reason = models.TextField(_("reason"))
    before = models.JSONField(_("before"))
    after = models.JSONField(_("after"))
    created_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attribution override")
        verbose_name_plural = _("attribution overrides")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.customer} {self.created_at:%Y-%m-%d}"
