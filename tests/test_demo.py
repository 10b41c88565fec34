from io import StringIO

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from incentives.models import IncentivePlan
from sales.models import Staff

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_its_printed_logins_work():
    out = StringIO()
    call_command("seed_demo", "--no-activity", stdout=out)
    call_command("seed_demo", "--no-activity", stdout=StringIO())
    assert Staff.objects.filter(role="marketer").count() == 15
    assert IncentivePlan.objects.count() == 1
    printed = out.getvalue()
    assert "ChannelHub-2026" in printed
    for username in ("manager", "secretary", "m01", "partner"):
        assert username in printed
        token = APIClient().post(
            "/api/v1/auth/token/", {"username": username, "password": "ChannelHub-2026"}
        )
        assert token.status_code == 200, username
