"""渠道培训: sessions on the seed's three topics, the partners invited, attendance and score."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from partners.choices import TrainingTopic


class TrainingSession(models.Model):
    """One training session for partners."""

    topic = models.CharField(_("topic"), max_length=20, choices=TrainingTopic.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    held_on = models.DateField(_("date"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    trainer = models.CharField(_("trainer"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    partners = models.ManyToManyField(
        "partners.Partner",
        through="TrainingAttendance",
        related_name="training_sessions",
        verbose_name=_("invited partners"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.title or self.get_topic_display()}"


class TrainingAttendance(models.Model):
    """A partner invited to a session: whether it attended and its assessment score (0–100)."""

    session = models.ForeignKey(
        TrainingSession,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("session"),
    )
    partner = models.ForeignKey(
        "partners.Partner",
        on_delete=models.PROTECT,
        related_name="training_attendances",
        verbose_name=_("partner"),
    )
    attended = models.BooleanField(_("attended"), default=False)
    score = models.PositiveSmallIntegerField(
        _("score"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("training attendance")
        verbose_name_plural = _("training attendances")
        ordering = ["session", "partner__name"]
        constraints = [
            models.UniqueConstraint(fields=["session", "partner"], name="attendance_unique"),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__lte=100),
                name="attendance_score_0_to_100",
            ),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(attended=True),
                name="attendance_score_needs_attendance",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session} · {self.partner}"
