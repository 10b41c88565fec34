from django.db import models
from django.utils.translation import gettext_lazy as _


class BoardKind(models.TextChoices):
    WEEKLY_VISITS = "weekly_visits", _("Weekly visits")
    MONTHLY_VISITS = "monthly_visits", _("Monthly visits")
    MONTHLY_SIGNINGS = "monthly_signings", _("Monthly signings")
    MONTHLY_TEAM_SIGNINGS = "monthly_team_signings", _("Monthly team signings")


class StatementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    PAID = "paid", _("Paid")


class LineKind(models.TextChoices):
    BASE_SALARY = "base_salary", _("Base salary")
    COMMISSION = "commission", _("Commission")
    VISIT_INCENTIVE = "visit_incentive", _("Visit incentive")
    WEEKLY_VISIT_AWARD = "weekly_visit_award", _("Weekly visit award")
    MONTHLY_VISIT_AWARD = "monthly_visit_award", _("Monthly visit award")
    SIGNING_AWARD = "signing_award", _("Signing award")
    TEAM_AWARD = "team_award", _("Team award share")
    REFERRAL_BONUS = "referral_bonus", _("Referral bonus")
    CLAWBACK = "clawback", _("Clawback")
    ADJUSTMENT = "adjustment", _("Manual adjustment")


class CommissionMode(models.TextChoices):
    PER_UNIT = "per_unit", _("Fixed per unit")
    PERCENT = "percent", _("Percent of the signed amount")


class TargetMetric(models.TextChoices):
    SIGNING_AMOUNT = "signing_amount", _("Signing amount")
    SIGNED_UNITS = "signed_units", _("Signed units")
    VALID_VISITS = "valid_visits", _("Valid visits")
    PAYMENTS = "payments", _("Payments received")
    NEW_PARTNERS = "new_partners", _("New partners")
    REGISTRATIONS = "registrations", _("Registrations")


# Metrics counted in whole units (the others are money).
COUNT_METRICS = frozenset({"signed_units", "valid_visits", "new_partners", "registrations"})


class TargetSubject(models.TextChoices):
    COMPANY = "company", _("Company")
    TEAM = "team", _("Team")
    STAFF = "staff", _("Staff member")
    PARTNER = "partner", _("Partner")


class CostCategory(models.TextChoices):
    RECRUITMENT = "recruitment", _("Recruitment")
    TRAINING = "training", _("Training")
    PROMOTION = "promotion", _("Promotion")
    MANAGEMENT = "management", _("Management")
