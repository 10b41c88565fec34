from django.db import models
from django.utils.translation import gettext_lazy as _


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
