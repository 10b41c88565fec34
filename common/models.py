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


class Notification(models.Model):
    """One message in one user's inbox: what happened (a kind and its facts), rendered in the
    reader's language when read (common.notifications.kinds), never stored as text."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=50)
    facts = models.JSONField(_("facts"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    link = models.CharField(_("link"), max_length=300, blank=True)
    key = models.CharField(
        _("event key"),
        max_length=150,
        help_text=_("The event this tells of: the same event never reaches a user twice."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_user")
        ]
        indexes = [
            models.Index(fields=["user", "-created_at", "-id"], name="notification_inbox_idx"),
            models.Index(
                fields=["user"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.user_id}"


class NotificationPreference(models.Model):
    """How a user wants to hear of notifications besides the inbox (no row: inbox only)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name=_("user"),
    )
    email_enabled = models.BooleanField(_("also by e-mail"), default=False)
    language = models.CharField(
        _("language"),
        max_length=10,
        blank=True,
        help_text=_("The language the e-mails are written in: the one the page was read in."),
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.user_id)


class RobotKind(models.TextChoices):
    """Group-robot webhooks ChannelHub can post to, each with its own message format."""

    WECOM = "wecom", _("WeCom (企业微信) group robot")
    DINGTALK = "dingtalk", _("DingTalk (钉钉) group robot")


class RobotWebhook(models.Model):
    """A team's or a partner's group robot: its kind and its secret URL (https only, shown
    back masked: common.webhooks.robot_url_masked). Set through common.webhooks.robot_clean."""

    robot_kind = models.CharField(
        _("group robot"), max_length=10, choices=RobotKind.choices, blank=True
    )
    robot_url = models.CharField(_("group robot webhook URL"), max_length=500, blank=True)

    class Meta:
        abstract = True


class WebhookDelivery(models.Model):
    """One message to one group robot, posted by a job with retries: how it went."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    key = models.CharField(_("key"), max_length=200, unique=True)
    robot_kind = models.CharField(_("group robot"), max_length=10, choices=RobotKind.choices)
    url = models.CharField(_("webhook URL"), max_length=500)
    payload = models.JSONField(_("message"), encoder=DjangoJSONEncoder)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.robot_kind} {self.key} {self.status}"
