"""渠道招募: public applications, the manager's screening criteria, and portal invitations."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from partners.choices import ApplicationStatus, PartnerKind
from partners.validators import validate_credit_code

SCORE_RANGE = (MinValueValidator(1), MaxValueValidator(5))


class RecruitmentCriteria(models.Model):
    """The seed's three screening criteria: each scored 1–5, weighted; one row, set by the
    manager. The weighted score is Σ(score × weight) / Σ(weight), on the same 1–5 scale."""

    singleton = models.BooleanField(default=True, editable=False, unique=True)
    region_weight = models.DecimalField(
        _("weight: region and sales capability (区域和销售能力)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("40"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    track_record_weight = models.DecimalField(
        _("weight: track record and potential market (业绩和潜在市场)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("30"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    reputation_weight = models.DecimalField(
        _("weight: reputation and credit (信誉和信用)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("30"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    pass_mark = models.DecimalField(
        _("pass mark"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("3.00"),
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("5"))],
        help_text=_("An application passes when its weighted score (1–5) reaches this mark."),
    )
    minimum_score = models.PositiveSmallIntegerField(
        _("minimum score on every criterion"),
        default=2,
        validators=list(SCORE_RANGE),
        help_text=_("A score below this on any one criterion fails the application (一票否决)."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("recruitment criteria")
        verbose_name_plural = _("recruitment criteria")
        constraints = [
            models.CheckConstraint(condition=models.Q(singleton=True), name="criteria_singleton"),
            models.CheckConstraint(
                condition=models.Q(
                    region_weight__gte=0, track_record_weight__gte=0, reputation_weight__gte=0
                ),
                name="criteria_weights_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(pass_mark__gte=1, pass_mark__lte=5),
                name="criteria_pass_mark_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Recruitment criteria"))


class PartnerApplication(models.Model):
    """A company's (or broker's) application to become a partner, from the public form."""

    company_name = models.CharField(_("company name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=PartnerKind.choices)
    regions = models.CharField(_("regions"), max_length=300)
    contact_name = models.CharField(_("contact name"), max_length=100)
    contact_phone = models.CharField(_("contact phone"), max_length=20)
    contact_email = models.EmailField(_("contact email"))
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        blank=True,
        validators=[validate_credit_code],
    )
    capability = models.TextField(
        _("sales capability and track record"),
        help_text=_("Team size, channels, projects sold, results in the last two years."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
    )
    score_region = models.PositiveSmallIntegerField(
        _("score: region and sales capability"), null=True, blank=True, validators=SCORE_RANGE
    )
    score_track_record = models.PositiveSmallIntegerField(
        _("score: track record and potential market"),
        null=True,
        blank=True,
        validators=SCORE_RANGE,
    )
    score_reputation = models.PositiveSmallIntegerField(
        _("score: reputation and credit"), null=True, blank=True, validators=SCORE_RANGE
    )
    weighted_score = models.DecimalField(
        _("weighted score"), max_digits=3, decimal_places=2, null=True, blank=True
    )
    pass_mark = models.DecimalField(
        _("pass mark applied"), max_digits=3, decimal_places=2, null=True, blank=True
    )
    is_passed = models.BooleanField(_("passed screening"), null=True, blank=True)
    screening_notes = models.TextField(_("screening notes"), blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewer"),
    )
    reason = models.TextField(_("decision reason"), blank=True)
    partner = models.OneToOneField(
        "partners.Partner",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="application",
        verbose_name=_("partner created"),
    )
    language = models.CharField(_("language"), max_length=10, blank=True)
    submitted_ip = models.GenericIPAddressField(_("submitted from"), null=True, blank=True)
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    screened_at = models.DateTimeField(_("screened at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("partner application")
        verbose_name_plural = _("partner applications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~models.Q(credit_code="")
                & models.Q(status__in=["submitted", "screening"]),
                name="application_one_open_per_credit_code",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(score_region__isnull=True)
                    | models.Q(score_region__gte=1, score_region__lte=5)
                )
                & (
                    models.Q(score_track_record__isnull=True)
                    | models.Q(score_track_record__gte=1, score_track_record__lte=5)
                )
                & (
                    models.Q(score_reputation__isnull=True)
                    | models.Q(score_reputation__gte=1, score_reputation__lte=5)
                ),
                name="application_scores_1_to_5",
            ),
        ]
        indexes = [models.Index(fields=["status", "-created_at"], name="application_status_idx")]

    def __str__(self) -> str:
        return self.company_name


class PartnerInvite(models.Model):
    """A one-time link that lets a new partner set its portal login (only a hash is kept)."""

    partner = models.ForeignKey(
        "partners.Partner",
        on_delete=models.CASCADE,
        related_name="invites",
        verbose_name=_("partner"),
    )
    email = models.EmailField(_("sent to"))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("login created"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("partner invitation")
        verbose_name_plural = _("partner invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.partner} → {self.email}"
