from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.models import RobotWebhook
from common.roles import Role
from sales.choices import AttributionMode, PhoneMode, PropertyType, StaffLevel


class Project(models.Model):
    """楼盘项目: a development with a sales office, and the channel rules it runs under."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.SlugField(_("code"), max_length=30, unique=True)
    city = models.CharField(_("city"), max_length=50)
    has_high_rise = models.BooleanField(_("has high-rise"), default=True)
    has_garden_house = models.BooleanField(_("has garden houses"), default=False)
    has_villa = models.BooleanField(_("has villas"), default=False)
    protection_days = models.PositiveSmallIntegerField(
        _("registration protection (days)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    deal_protection_days = models.PositiveSmallIntegerField(
        _("deal protection after a visit (days)"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
    )
    walkin_protection_days = models.PositiveSmallIntegerField(
        _("walk-in protection (days)"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
        help_text=_(
            "After a walk-in (自然到访) the customer is the sales office's this long: channel "
            "registrations of it are refused."
        ),
    )
    revisit_window_days = models.PositiveSmallIntegerField(
        _("repeat-visit window (days)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    phone_mode = models.CharField(
        _("phone mode"), max_length=10, choices=PhoneMode.choices, default=PhoneMode.FULL
    )
    attribution_mode = models.CharField(
        _("attribution mode"),
        max_length=20,
        choices=AttributionMode.choices,
        default=AttributionMode.REGISTRATION,
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def property_types(self) -> list[str]:
        """The property types this project sells, in PropertyType order."""
        flags = {
            PropertyType.HIGH_RISE: self.has_high_rise,
            PropertyType.GARDEN_HOUSE: self.has_garden_house,
            PropertyType.VILLA: self.has_villa,
        }
        return [str(kind) for kind, present in flags.items() if present]


class Team(RobotWebhook, models.Model):
    """渠道小组: a team of marketers working one project, with a leader (and optionally a group
    robot that hears of its members' customers: RobotWebhook)."""

    name = models.CharField(_("name"), max_length=100)
    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="teams", verbose_name=_("project")
    )
    leader = models.ForeignKey(
        "Staff",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_teams",
        verbose_name=_("leader"),
    )
    supervisor = models.ForeignKey(
        "Staff",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supervised_teams",
        verbose_name=_("supervisor"),
        help_text=_("The channel supervisor who runs this team."),
    )

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["project__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="team_name_unique_in_project")
        ]

    def __str__(self) -> str:
        return f"{self.project.name} · {self.name}" if self.project_id else self.name


class Staff(models.Model):
    """A member of the channel department (a partner's users are not staff)."""

    name = models.CharField(pgettext_lazy("person", "name"), max_length=100)
    role = models.CharField(
        _("role"), max_length=20, choices=[(r.value, r.label) for r in Role if r != Role.PARTNER]
    )
    level = models.CharField(  # noqa: DJ001 - the API contract says null, not "", when unset
        _("level"),
        max_length=20,
        choices=StaffLevel.choices,
        null=True,
        blank=True,
        help_text=_("Marketers only: regular, excellent or senior."),
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("team"),
    )
    hired_on = models.DateField(_("hire date"))
    referred_by = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("referred by"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    left_on = models.DateField(
        _("last working day"),
        null=True,
        blank=True,
        help_text=_("Set when the staff member leaves; salary and bonuses stop after it."),
    )
    phone = models.CharField(_("phone"), max_length=11, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("login"),
    )

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role="marketer", level__isnull=False)
                | (~models.Q(role="marketer") & models.Q(level__isnull=True)),
                name="staff_level_only_and_always_for_marketers",
            ),
            models.CheckConstraint(
                condition=~models.Q(referred_by=models.F("id")),
                name="staff_not_referred_by_self",
            ),
        ]
        indexes = [models.Index(fields=["role", "is_active"], name="staff_role_active_idx")]

    def __str__(self) -> str:
        return self.name
