"""Appeals reach the inboxes: the managers hear of a filed appeal, the appellant's channel of
its decision (with the note, never the channel the customer was with), each once."""

import pytest
from django.urls import reverse
from django.utils import translation

from common.models import Notification
from common.notifications.kinds import notification_text
from common.roles import Role
from sales.models import Appeal
from tests.sales.appeal_world import HOLDER_PHONE, appeal_world, png

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_managers_hear_of_an_appeal_and_the_partner_of_its_decision_once(client_as):
    world = appeal_world()
    partner = client_as(Role.PARTNER, user=world.partner_user)
    filed = partner.post(
        "/api/v1/appeals/",
        {
            "project": world.project.pk,
            "customer_phone": HOLDER_PHONE,
            "reason": "我们先带看过",
            "subject": "refused",
            "evidence": [png()],
        },
        format="multipart",
    )
    assert filed.status_code == 201, filed.content
    appeal = Appeal.objects.get()
    to_manager = Notification.objects.get(user=world.manager, kind="appeal_filed")
    assert to_manager.link == reverse("sales:appeal-detail", args=[appeal.pk])
    with translation.override("zh-hans"):
        text = notification_text(to_manager.kind, to_manager.facts)
    assert "甲方渠道" in text and "金隅大成" in text

    manager = client_as(Role.MANAGER, user=world.manager)
    decided = manager.post(f"/api/v1/appeals/{appeal.pk}/uphold/", {"note": "证据充分"})
    assert decided.status_code == 200, decided.content
    manager.post(f"/api/v1/appeals/{appeal.pk}/uphold/", {"note": "再次"})  # a 400, no news

    told = Notification.objects.filter(kind="appeal_decided")
    assert [n.user for n in told] == [world.partner_user]
    notice = told.get()
    assert notice.link == reverse("portal:appeal-detail", args=[appeal.pk])
    with translation.override("zh-hans"):
        text = notification_text(notice.kind, notice.facts)
    assert "成立" in text and "证据充分" in text and "139****1111" in text
    assert "王行销" not in text and "王行销" not in str(notice.facts)
    assert not Notification.objects.filter(user=world.holder, kind__startswith="appeal").exists()
