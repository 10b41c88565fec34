from django.contrib.auth.models import Group

from common.access import MODEL_PERMISSIONS
from common.roles import Role, user_role


def _perms(group: Group) -> set[str]:
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}


def test_every_role_has_a_group_with_exactly_its_permissions(db):
    for role, perms in MODEL_PERMISSIONS.items():
        assert _perms(Group.objects.get(name=role)) == set(perms)


def test_manager_group_holds_every_project_permission(db):
    perms = _perms(Group.objects.get(name=Role.MANAGER))
    assert {"sales.add_project", "sales.delete_staff", "partners.change_partner"} <= perms
    assert "auth.add_user" not in perms


def test_superuser_acts_as_manager(django_user_model):
    admin = django_user_model.objects.create_superuser("root", "r@example.com", "Secret-pass-123")
    assert user_role(admin) == Role.MANAGER


def test_login_without_role_has_none(django_user_model):
    assert user_role(django_user_model.objects.create_user("nobody", password="x")) is None
