"""What the office hears of partners: a contract nearing its end or ended (managers), an
application arriving (managers and supervisors, who run recruitment); and a partner's own
group robot, which hears of its customers (sales.services.notices)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from common.access import can
from common.notifications.services import notify, robot_webhook_set
from common.selectors import manager_user_list, supervisor_user_list
from partners.models import Partner, PartnerApplication, PartnerContract


def contract_notify(*, contract: PartnerContract, today: date, threshold: int | None = None):
    """The managers hear that a contract ends in `threshold` days' reminder, or (None) ended."""
    facts = {"partner": contract.partner.name, "end_on": contract.end_on}
    if threshold is None:
        kind, key = "contract_expired", f"contract_expired:{contract.pk}"
    else:
        kind, key = "contract_expiring", f"contract_expiring:{contract.pk}:{threshold}"
        facts["days_left"] = (contract.end_on - today).days
    return notify(
        users=manager_user_list(),
        kind=kind,
        facts=facts,
        key=key,
        link=reverse("partners:contract-detail", args=[contract.pk]),
    )


def application_notify(*, application: PartnerApplication) -> int:
    """A public application arrived: who runs recruitment hears of it."""
    return notify(
        users=[*manager_user_list(), *supervisor_user_list()],
        kind="application_arrived",
        facts={"company": application.company_name},
        key=f"application:{application.pk}",
        link=reverse("partners:application-detail", args=[application.pk]),
    )


def partner_robot_set(*, actor, partner: Partner, kind: str, url: str) -> Partner:
    """A channel manager sets a partner's group robot (企业微信 / 钉钉): it hears of the
    partner's customers. https only; the URL is shown back masked."""
    if not can(actor, "configure_partner_robots"):
        raise ValidationError(
            {"non_field_errors": _("Only a channel manager can set a partner's group robot.")}
        )
    return robot_webhook_set(
        actor=actor, owner=partner, kind=kind, url=url, action="partner.robot_set"
    )
