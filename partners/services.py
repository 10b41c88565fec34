"""Writes for partners."""

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from common.roles import Role, user_role_set
from partners.models import Partner, PartnerMember


@transaction.atomic
def partner_member_create(*, partner: Partner, username: str, password: str, email: str = ""):
    """Create a portal login for one partner organisation (role: partner)."""
    user_model = get_user_model()
    if user_model.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This user name is already taken.")})
    user = user_model(username=username, email=email)
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)
    user.save()
    user_role_set(user, Role.PARTNER)
    PartnerMember.objects.create(user=user, partner=partner)
    return user
