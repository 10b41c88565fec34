from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JobRun(models.Model):
    """One run of a background job (or the latest heartbeat): what ran, for which key, how."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    name = models.CharField(_("job"), max_length=100)
    key = models.CharField(_("key"), max_length=100, blank=True, help_text=_("e.g. the period"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    message = models.TextField(_("message"), blank=True)
    # What the run found, as codes and values (e.g. a compute's counts and coverage): rendered
    # in the reader's language when read; `message` keeps the default language's text.
    facts = models.JSONField(_("facts"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["name", "-started_at"], name="jobrun_name_started_idx")]

    def __str__(self) -> str:
        return f"{self.name} {self.key} {self.status}".strip()

    @property
    def label(self) -> str:
        """What ran, in the reader's words: 计算奖金 2026-10, not `compute_incentives`."""
        return job_label(self.name, self.key)


# The readable name of each job that records its runs (JobRun.name → words with its key).
JOB_LABELS = {
    "compute_incentives": _("Compute incentives %(key)s"),
    "daily_report_mail": _("Daily report mail %(key)s"),
    "worker_heartbeat": _("Background worker heartbeat"),
}


def job_label(name: str, key: str = "") -> str:
    """A job run's name and key in words; a job without a label reads as its name and key."""
    label = JOB_LABELS.get(name)
    if label is None:
        return f"{name} {key}".strip()
    return (str(label) % {"key": key}).strip()


class AuditEntry(models.Model):
    """Who changed what, when: one row per business decision or change, never edited."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
        help_text=_("Empty when the system (a scheduled job) acted."),
    )
    action = models.CharField(_("action"), max_length=100)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("object type")
    )
    object_id = models.PositiveBigIntegerField(_("object id"))
    target = GenericForeignKey("content_type", "object_id")
    summary = models.TextField(_("summary"), blank=True)
    changes = models.JSONField(
        _("changes"),
        default=dict,
        blank=True,
        encoder=DjangoJSONEncoder,
        help_text=_('{"field": {"before": old, "after": new}}'),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="audit_object_idx"),
            models.Index(fields=["action", "-created_at"], name="audit_action_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.content_type_id}:{self.object_id}"
