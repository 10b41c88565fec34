"""common.people: a person's name, not their login name."""

import pytest

from common.people import person_name
from common.roles import Role
from tests.factories.org import UserFactory

pytestmark = pytest.mark.django_db


def test_the_staff_name_then_the_full_name_then_the_login_name(make_login):
    staff_user = make_login(Role.SECRETARY)
    assert person_name(staff_user) == staff_user.staff.name != staff_user.get_username()
    plain = UserFactory(username="admin2", first_name="明", last_name="李")
    assert person_name(plain) == plain.get_full_name().strip()
    assert person_name(UserFactory(username="nobody", first_name="", last_name="")) == "nobody"
    assert person_name(None) == ""
