"""渠道招募: public applications, screening on the manager's criteria, approval and invitation."""

import hashlib
import secrets
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.phones import normalise_phone
from common.services import audit_record
from partners.choices import (
    OPEN_APPLICATION_STATUSES,
    ApplicationStatus,
    PartnerKind,
    PartnerStatus,
)
from partners.emails import send_templated_mail
from partners.models import Partner, PartnerApplication, PartnerInvite, RecruitmentCriteria
from partners.selectors import invite_by_token, recruitment_criteria_get
from partners.services.notices import application_notify
from partners.services.partners import partner_create, partner_member_create
from partners.validators import clean_credit_code

TWO_PLACES = Decimal("0.01")


# --- submission -------------------------------------------------------------------------------
def _clean_application(fields: dict) -> dict:
    cleaned = {
        key: (value.strip() if isinstance(value, str) else value) for key, value in fields.items()
    }
    errors: dict[str, list[str]] = {}
    for name in ("company_name", "regions", "contact_name", "contact_email", "capability"):
        if not cleaned.get(name):
            errors[name] = [_("This field is required.")]
    if cleaned.get("kind") not in PartnerKind.values:
        errors["kind"] = [_("Choose one of the listed kinds.")]
    try:
        cleaned["credit_code"] = clean_credit_code(cleaned.get("credit_code") or "")
    except ValidationError as exc:
        errors["credit_code"] = exc.messages
    if not cleaned.get("credit_code") and cleaned.get("kind") != PartnerKind.BROKER:
        errors.setdefault(
            "credit_code", [_("Companies must give their unified social credit code.")]
        )
    try:
        cleaned["contact_phone"] = normalise_phone(cleaned.get("contact_phone") or "")
    except ValidationError as exc:
        errors["contact_phone"] = exc.messages
    if errors:
        raise ValidationError(errors)
    return cleaned


def _credit_code_taken(code: str) -> bool:
    if not code:
        return False
    open_application = PartnerApplication.objects.filter(
        credit_code=code, status__in=OPEN_APPLICATION_STATUSES
    )
    return open_application.exists() or Partner.objects.filter(credit_code=code).exists()


def application_submit(
    *,
    company_name: str,
    kind: str,
    regions: str,
    contact_name: str,
    contact_phone: str,
    contact_email: str,
    capability: str,
    credit_code: str = "",
    language: str = "",
    submitted_ip: str | None = None,
) -> PartnerApplication:
    """File a public application. A credit code may have one open application and may not
    belong to an existing partner; individual brokers may apply without one."""
    cleaned = _clean_application(
        {
            "company_name": company_name,
            "kind": kind,
            "regions": regions,
            "contact_name": contact_name,
            "contact_phone": contact_phone,
            "contact_email": contact_email,
            "capability": capability,
            "credit_code": credit_code,
        }
    )
    taken = ValidationError(
        {
            "credit_code": _(
                "An application or partnership with this credit code already exists; "
                "please contact the channel department."
            )
        }
    )
    if _credit_code_taken(cleaned["credit_code"]):
        raise taken
    application = PartnerApplication(
        **cleaned, language=language[:10], submitted_ip=submitted_ip or None
    )
    application.full_clean(exclude=["credit_code", "contact_phone"], validate_constraints=False)
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:  # another open application with this code won the race
        raise taken from None
    application_notify(application=application)
    return application


# --- screening --------------------------------------------------------------------------------
def screening_result(
    *, criteria: RecruitmentCriteria, region: int, track_record: int, reputation: int
) -> tuple[Decimal, bool]:
    """Weighted score Σ(score × weight) / Σ(weight) to 0.01; passed when it reaches the pass
    mark and no single criterion is below the minimum score."""
    weights = (criteria.region_weight, criteria.track_record_weight, criteria.reputation_weight)
    scores = (region, track_record, reputation)
    total_weight = sum(weights)
    if total_weight <= 0:
        raise ValidationError(
            _("The recruitment criteria weights add up to zero: a manager must set them.")
        )
    weighted = sum(Decimal(score) * weight for score, weight in zip(scores, weights, strict=True))
    score = (weighted / total_weight).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
    return score, score >= criteria.pass_mark and min(scores) >= criteria.minimum_score


def _locked_application(application: PartnerApplication) -> PartnerApplication:
    return PartnerApplication.objects.select_for_update().get(pk=application.pk)


@transaction.atomic
def application_screen(
    *,
    actor,
    application: PartnerApplication,
    score_region: int,
    score_track_record: int,
    score_reputation: int,
    notes: str = "",
) -> PartnerApplication:
    """Score the seed's three criteria (1–5 each) and record pass or fail against the
    manager's weights and pass mark; re-screening before the decision replaces the scores."""
    application = _locked_application(application)
    if application.status not in OPEN_APPLICATION_STATUSES:
        raise ValidationError(
            {
                "status": _("This application is already decided (%(status)s).")
                % {"status": application.get_status_display()}
            }
        )
    scores = {
        "score_region": score_region,
        "score_track_record": score_track_record,
        "score_reputation": score_reputation,
    }
    errors = {
        name: [_("Give a score from 1 to 5.")]
        for name, value in scores.items()
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5
    }
    if errors:
        raise ValidationError(errors)
    criteria = recruitment_criteria_get()
    weighted, passed = screening_result(
        criteria=criteria,
        region=score_region,
        track_record=score_track_record,
        reputation=score_reputation,
    )
    for name, value in scores.items():
        setattr(application, name, value)
    application.weighted_score = weighted
    application.pass_mark = criteria.pass_mark
    application.is_passed = passed
    application.screening_notes = notes.strip()
    application.status = ApplicationStatus.SCREENING
    application.reviewer = actor
    application.screened_at = timezone.now()
    application.save()
    audit_record(
        actor=actor,
        action="application.screened",
        obj=application,
        changes={
            **scores,
            "weighted_score": weighted,
            "pass_mark": criteria.pass_mark,
            "minimum_score": criteria.minimum_score,
            "weights": [
                criteria.region_weight,
                criteria.track_record_weight,
                criteria.reputation_weight,
            ],
            "is_passed": passed,
        },
        summary=(
            _("Passed screening with %(score)s.")
            if passed
            else _("Failed screening with %(score)s.")
        )
        % {"score": weighted},
    )
    return application


# --- decision ---------------------------------------------------------------------------------
@transaction.atomic
def application_approve(
    *,
    actor,
    application: PartnerApplication,
    reason: str = "",
    credit_rating: str = "",
    tier: int | None = None,
) -> PartnerApplication:
    """Approve a screened application that passed: create the partner (active) and e-mail its
    contact a one-time link to set the portal login."""
    application = _locked_application(application)
    if application.status != ApplicationStatus.SCREENING:
        raise ValidationError(
            {
                "status": _("Only a screened application can be approved; screen it first.")
                if application.status == ApplicationStatus.SUBMITTED
                else _("This application is already decided.")
            }
        )
    if not application.is_passed:
        raise ValidationError(
            {
                "status": _(
                    "This application did not pass screening (%(score)s, pass mark %(mark)s): "
                    "re-screen or reject it."
                )
                % {"score": application.weighted_score, "mark": application.pass_mark}
            }
        )
    extra = {"tier": tier} if tier is not None else {}
    partner = partner_create(
        actor=actor,
        name=application.company_name,
        kind=application.kind,
        status=PartnerStatus.ACTIVE,
        regions=application.regions,
        contact_name=application.contact_name,
        contact_phone=application.contact_phone,
        contact_email=application.contact_email,
        credit_code=application.credit_code,
        credit_rating=credit_rating or "",
        **extra,
    )
    application.status = ApplicationStatus.APPROVED
    application.partner = partner
    application.reviewer = actor
    application.reason = reason.strip()
    application.decided_at = timezone.now()
    application.save()
    audit_record(
        actor=actor,
        action="application.approved",
        obj=application,
        changes={
            "status": {"before": ApplicationStatus.SCREENING, "after": application.status},
            "partner": partner.pk,
        },
        summary=application.reason,
    )
    partner_invite_create(
        actor=actor,
        partner=partner,
        email=application.contact_email,
        language=application.language,
    )
    return application


@transaction.atomic
def application_reject(
    *, actor, application: PartnerApplication, reason: str
) -> PartnerApplication:
    """Reject an open application with a reason the applicant is told by e-mail."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the rejection.")})
    application = _locked_application(application)
    if application.status not in OPEN_APPLICATION_STATUSES:
        raise ValidationError({"status": _("This application is already decided.")})
    before = application.status
    application.status = ApplicationStatus.REJECTED
    application.reviewer = actor
    application.reason = reason
    application.decided_at = timezone.now()
    application.save()
    audit_record(
        actor=actor,
        action="application.rejected",
        obj=application,
        changes={"status": {"before": before, "after": application.status}},
        summary=reason,
    )
    context = {"application": application, "reason": reason}
    transaction.on_commit(
        lambda: send_templated_mail(
            template="application_rejected",
            context=context,
            to=[application.contact_email],
            language=application.language,
        )
    )
    return application


# --- invitation -------------------------------------------------------------------------------
def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def partner_invite_create(
    *, actor, partner: Partner, email: str, language: str = ""
) -> tuple[PartnerInvite, str]:
    """Send a one-time link (valid PARTNER_INVITE_MAX_AGE_DAYS) to set a portal login.
    Only the token's hash is stored: the link exists in the e-mail alone."""
    email = (email or "").strip()
    if not email:
        raise ValidationError({"email": _("Give the e-mail address to send the invitation to.")})
    token = secrets.token_urlsafe(32)
    invite = PartnerInvite.objects.create(
        partner=partner,
        email=email,
        token_hash=_token_hash(token),
        expires_at=timezone.now() + timedelta(days=settings.PARTNER_INVITE_MAX_AGE_DAYS),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(
        actor=actor,
        action="invite.sent",
        obj=partner,
        changes={"email": email},
        summary=_("Portal invitation sent to %(email)s.") % {"email": email},
    )
    context = {
        "partner": partner,
        "url": f"{settings.SITE_URL}{reverse('partners:invite', args=[token])}",
        "expires_at": invite.expires_at,
    }
    transaction.on_commit(
        lambda: send_templated_mail(
            template="partner_invite", context=context, to=[email], language=language
        )
    )
    return invite, token


def invite_problem(invite: PartnerInvite | None) -> str | None:
    """Why a link cannot be used ("invalid", "used", "expired"), or None when it can."""
    if invite is None:
        return "invalid"
    if invite.used_at is not None:
        return "used"
    if invite.expires_at <= timezone.now():
        return "expired"
    return None


INVITE_PROBLEM_MESSAGES = {
    "invalid": gettext_lazy("This invitation link is not valid."),
    "used": gettext_lazy(
        "This invitation link has already been used. Log in with the user name you set."
    ),
    "expired": gettext_lazy(
        "This invitation link has expired. Ask the channel department for a new one."
    ),
}


@transaction.atomic
def partner_invite_accept(*, token: str, username: str, password: str):
    """Use an invitation once: create the partner's portal login with the chosen name and
    password. A second use, or an expired link, is refused."""
    invite = invite_by_token(token)
    if invite is not None:
        invite = PartnerInvite.objects.select_for_update().get(pk=invite.pk)
    problem = invite_problem(invite)
    if problem:
        raise ValidationError(str(INVITE_PROBLEM_MESSAGES[problem]), code=problem)
    user = partner_member_create(
        partner=invite.partner, username=username, password=password, email=invite.email
    )
    invite.used_at = timezone.now()
    invite.user = user
    invite.save(update_fields=["used_at", "user"])
    audit_record(
        actor=user,
        action="invite.accepted",
        obj=invite.partner,
        changes={"username": user.get_username()},
        summary=_("Portal login %(username)s created from the invitation.")
        % {"username": user.get_username()},
    )
    return user
