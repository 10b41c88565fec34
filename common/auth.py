"""Who is asking, in one query: a login with its role and its model permissions.

DRF's TokenAuthentication reads the token and the user (one query); then `common.roles.user_role`
reads the user's groups and Django's ModelBackend the user's and the groups' permissions (three
more) before a list has read a row. `TokenAuthentication` here reads the token, the user, the
role group and (on PostgreSQL) both permission sets in one SELECT and leaves them where those
functions look first (`user._channelhub_role`, ModelBackend's `_user_perm_cache`,
`_group_perm_cache` and `_perm_cache`): the same answers from the same rows, read once.
On SQLite (the bare-machine default) the permissions are read as Django reads them.
"""

from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.models import Case, F, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Concat
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from common.roles import Role

# Role order decides when a login is (wrongly) in two role groups, as common.roles.user_role.
_ROLE_ORDER = Case(*(When(name=role.value, then=Value(i)) for i, role in enumerate(Role)))


def _permission_codes(permissions: QuerySet) -> QuerySet:
    return permissions.values(code=Concat(F("content_type__app_label"), Value("."), F("codename")))


def with_access(queryset: QuerySet, *, user: str = "pk") -> QuerySet:
    """`queryset` (of users, or of rows with a user: `user="user_id"`) annotated with the
    user's role group name (`access_role_group`) and, on PostgreSQL, the user's and its groups'
    permissions as "app_label.codename" (`access_user_perms`, `access_group_perms`)."""
    ref = OuterRef(user)
    groups = Group.objects.filter(user=ref, name__in=[r.value for r in Role])
    queryset = queryset.annotate(
        access_role_group=Subquery(groups.order_by(_ROLE_ORDER).values("name")[:1])
    )
    if connection.vendor == "postgresql":
        from django.contrib.postgres.expressions import ArraySubquery

        queryset = queryset.annotate(
            access_user_perms=ArraySubquery(_permission_codes(Permission.objects.filter(user=ref))),
            access_group_perms=ArraySubquery(
                _permission_codes(Permission.objects.filter(group__user=ref))
            ),
        )
    return queryset


def access_load(user, row) -> None:
    """Leave the role and permissions `with_access` read on `row` where `user_role` and
    ModelBackend look for them. A superuser acts as manager and holds every permission
    (Django answers that without reading any), so nothing is cached for one."""
    if user.is_superuser:
        return
    user._channelhub_role = row.access_role_group
    if hasattr(row, "access_group_perms"):
        user._user_perm_cache = set(row.access_user_perms)
        user._group_perm_cache = set(row.access_group_perms)
        user._perm_cache = user._user_perm_cache | user._group_perm_cache


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication, reading the role and permissions with the token."""

    def authenticate_credentials(self, key):
        model = self.get_model()
        try:
            token = with_access(model.objects.select_related("user"), user="user_id").get(key=key)
        except model.DoesNotExist:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        access_load(token.user, token)
        return (token.user, token)
