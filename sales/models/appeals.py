"""Appeals (申诉): a channel that believes a customer is its own asks a manager to decide.

An appeal speaks for one channel (the marketer filing it, or the partner of the partner user
filing it), names the customer by the phone as the channel knows it, and may point at what it
is about: the registration refused (撞单), one of the channel's registrations, a visit or a
signing it sees. Evidence files are kept privately (the default storage, never served as
media) and read only through views that scope them.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sales.choices import AppealStatus, AppealSubject
from sales.models.customers import ONE_CHANNEL

OPEN = models.Q(status=AppealStatus.OPEN)


def appeal_evidence_path(instance: "AppealEvidence", filename: str) -> str:
    """Under the appeal's folder with a random name and the sniffed type's extension (never
    the uploader's file name)."""
    return f"appeals/{instance.appeal_id}/{uuid.uuid4().hex}.{instance.extension}"


class Appeal(models.Model):
    """申诉: who appeals, for which channel, about which customer, why; and the decision."""

    project = models.ForeignKey(
        "sales.Project", on_delete=models.PROTECT, related_name="appeals", verbose_name=_("project")
    )
    customer = models.ForeignKey(
        "sales.Customer",
        on_delete=models.PROTECT,
        related_name="appeals",
        verbose_name=_("customer"),
    )
    customer_phone = models.CharField(
        _("customer phone"),
        max_length=11,
        help_text=_("As the appellant knows it: full or 前三后四."),
    )
    appellant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="appeals",
        verbose_name=_("appellant"),
    )
    marketer = models.ForeignKey(
        "sales.Staff",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appeals",
        verbose_name=_("marketer"),
    )
    partner = models.ForeignKey(
        "partners.Partner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appeals",
        verbose_name=_("partner"),
    )
    subject = models.CharField(
        _("about"), max_length=20, choices=AppealSubject.choices, default=AppealSubject.CUSTOMER
    )
    registration = models.ForeignKey(
        "sales.Registration",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appeals",
        verbose_name=_("registration"),
    )
    visit = models.ForeignKey(
        "sales.Visit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appeals",
        verbose_name=_("visit"),
    )
    signing = models.ForeignKey(
        "sales.Signing",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appeals",
        verbose_name=_("signing"),
    )
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=20, choices=AppealStatus.choices, default=AppealStatus.OPEN
    )
    decision_note = models.TextField(_("decision note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    override = models.OneToOneField(
        "sales.AttributionOverride",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appeal",
        verbose_name=_("attribution override"),
        help_text=_("The audited change an upheld appeal made."),
    )
    created_at = models.DateTimeField(_("filed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=ONE_CHANNEL, name="appeal_one_channel"),
            models.CheckConstraint(
                condition=(OPEN & models.Q(decided_at__isnull=True))
                | (~OPEN & models.Q(decided_at__isnull=False)),
                name="appeal_decided_when_closed",
            ),
            # One open appeal per channel and customer: a second waits for the first decision.
            models.UniqueConstraint(
                fields=["customer", "marketer"],
                condition=OPEN & models.Q(marketer__isnull=False),
                name="appeal_one_open_per_marketer",
            ),
            models.UniqueConstraint(
                fields=["customer", "partner"],
                condition=OPEN & models.Q(partner__isnull=False),
                name="appeal_one_open_per_partner",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="appeal_queue_idx"),
            models.Index(fields=["-created_at", "-id"], name="appeal_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.customer_phone}"


class AppealEvidence(models.Model):
    """One evidence file of an appeal: an image or a PDF whose type was read from its bytes."""

    appeal = models.ForeignKey(
        Appeal, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("appeal")
    )
    file = models.FileField(_("file"), upload_to=appeal_evidence_path, max_length=200)
    name = models.CharField(_("file name"), max_length=120, help_text=_("As uploaded."))
    content_type = models.CharField(_("content type"), max_length=40)
    size = models.PositiveIntegerField(_("size (bytes)"))
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("appeal evidence")
        verbose_name_plural = _("appeal evidence")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    @property
    def extension(self) -> str:
        return {
            "image/jpeg": "jpg",
            "image/png": "png",
            "image/gif": "gif",
            "image/webp": "webp",
            "application/pdf": "pdf",
        }.get(self.content_type, "bin")

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class AppealComment(models.Model):
    """A supervisor's or manager's remark on an appeal (the office's only)."""

    appeal = models.ForeignKey(
        Appeal, on_delete=models.CASCADE, related_name="comments", verbose_name=_("appeal")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("appeal comment")
        verbose_name_plural = _("appeal comments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.appeal_id}: {self.text[:30]}"
