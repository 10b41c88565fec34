"""What the appeal tests share: evidence bytes of each kind and a world with a customer held by
a marketer that a partner believes is its own."""

from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from common.roles import Role
from sales.models import Customer
from sales.services.customers import registration_create
from sales.services.visits import visit_record
from tests.factories.org import PartnerFactory, ProjectFactory, TeamFactory
from tests.helpers import PDF_BYTES, login_create

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40
WEBP_BYTES = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 40
HOLDER_PHONE = "13900001111"


def upload(name: str, content: bytes, content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def png(name: str = "chat.png") -> SimpleUploadedFile:
    return upload(name, PNG_BYTES)


def pdf(name: str = "record.pdf") -> SimpleUploadedFile:
    return upload(name, PDF_BYTES, "application/pdf")


@dataclass
class AppealWorld:
    project: object
    team: object
    manager: object
    supervisor: object
    secretary: object
    holder: object  # the marketer's login who holds the customer
    partner: object
    partner_user: object
    other_partner: object
    other_partner_user: object
    customer: Customer


def appeal_world() -> AppealWorld:
    """A marketer (王行销) registered 13900001111 and brought the visit: the customer is his.
    Partner 甲方 believes it is its own; partner 乙方 is someone else entirely."""
    project = ProjectFactory(name="金隅大成")
    team = TeamFactory(project=project)
    manager = login_create(Role.MANAGER)
    supervisor = login_create(Role.SUPERVISOR)
    team.supervisor = supervisor.staff
    team.save(update_fields=["supervisor"])
    secretary = login_create(Role.SECRETARY)
    holder = login_create(Role.MARKETER, team=team, name="王行销")
    partner, other = PartnerFactory(name="甲方渠道"), PartnerFactory(name="乙方渠道")
    partner_user = login_create(Role.PARTNER, partner=partner)
    other_user = login_create(Role.PARTNER, partner=other)
    registration = registration_create(
        actor=holder, project=project, customer_name="赵客户", customer_phone=HOLDER_PHONE
    )
    visit_record(
        actor=secretary,
        project=project,
        customer_name="赵客户",
        customer_phone=HOLDER_PHONE,
        visited_at=timezone.now(),
        property_type="high_rise",
        marketer=holder.staff,
        status="confirmed",
    )
    return AppealWorld(
        project=project,
        team=team,
        manager=manager,
        supervisor=supervisor,
        secretary=secretary,
        holder=holder,
        partner=partner,
        partner_user=partner_user,
        other_partner=other,
        other_partner_user=other_user,
        customer=registration.customer,
    )
