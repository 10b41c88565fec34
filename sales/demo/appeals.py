"""The demo's appeals (申诉): one still open in the office's queue with a supervisor's comment,
one upheld (the customer moves to the appellant, audited) and one not upheld — filed by the
partner login and a marketer, each with a screenshot as evidence, through the services."""

import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile

from common.roles import Role
from partners.models import PartnerMember
from sales.models import Customer, Staff
from sales.services.appeals import appeal_comment, appeal_file, appeal_reject, appeal_uphold


def _png(width: int = 240, height: int = 160) -> bytes:
    """A plain grey PNG, the size of a phone screenshot's thumbnail."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\xd0\xd4\xdc" * width for _row in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def _evidence(name: str) -> list:
    return [SimpleUploadedFile(name, _png(), content_type="image/png")]


def _customer(*, held_by: str, skip: list, project=None) -> Customer | None:
    """The first customer with a full phone whose holder is a marketer or a partner
    (`held_by`), not among `skip`, at `project` when given."""
    customers = Customer.objects.filter(**{f"owner_{held_by}__isnull": False}).exclude(phone="")
    if project is not None:
        customers = customers.filter(project=project)
    return customers.exclude(pk__in=skip).order_by("pk").first()


def _file(*, actor, customer: Customer, reason: str, evidence: str):
    return appeal_file(
        actor=actor,
        project=customer.project,
        customer_phone=customer.phone,
        reason=reason,
        evidence=_evidence(evidence),
    )


def appeals_seed(*, manager, supervisor) -> int:
    """Three appeals; returns how many were filed."""
    member = PartnerMember.objects.filter(user__username="partner").select_related("user").first()
    marketer = Staff.objects.filter(role=Role.MARKETER).select_related("user", "team")
    marketer = marketer.order_by("pk").first()
    filed = []

    def next_customer(**whose) -> Customer | None:
        return _customer(**whose, skip=[appeal.customer_id for appeal in filed])

    if member is not None and (customer := next_customer(held_by="marketer")):
        appeal = _file(
            actor=member.user,
            customer=customer,
            reason="客户上月由我司经纪人带看过样板间，有微信聊天记录和带看单为证。",
            evidence="带看聊天记录.png",
        )
        appeal_comment(
            actor=supervisor, appeal=appeal, text="已联系置业顾问核实带看时间，待经理定夺。"
        )
        filed.append(appeal)
    if member is not None and (customer := next_customer(held_by="marketer")):
        appeal = _file(
            actor=member.user,
            customer=customer,
            reason="该客户由我司首次带访，来访登记漏填了渠道。",
            evidence="首次带访登记.png",
        )
        note = "核实来访监控与登记表，首次带访属实，改判归属。"
        filed.append(appeal_uphold(actor=manager, appeal=appeal, note=note))
    if marketer is not None and (
        customer := next_customer(held_by="partner", project=marketer.team.project)
    ):
        appeal = _file(
            actor=marketer.user,
            customer=customer,
            reason="客户之前在电话里咨询过我，说会来看房。",
            evidence="通话记录.png",
        )
        note = "电话咨询不构成报备，渠道报备在先，归属不变。"
        filed.append(appeal_reject(actor=manager, appeal=appeal, note=note))
    return len(filed)
