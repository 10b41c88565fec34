"""Who is asking, in one query: a login with its role and its model permissions.

DRF's TokenAuthentication reads the token and the user (one query); then `common.roles.user_role`
reads the user's groups and Django's ModelBackend the user's and the groups' permissions (three
more) before a list has read a row. `TokenAuthentication` here reads the token, the user, the
role group and (on PostgreSQL) both permission sets in one SELECT and leaves them where those
functions look first (`user._channelhub_role`, ModelBackend's `_user_perm_cache`,
`_group_perm_cache` and `_perm_cache`): the same answers from the same rows, read once.
`ModelBackend` does the same for a signed-in session's user (the pages, and the API's session
authentication). On SQLite (the bare-machine default) the permissions are read as Django reads
them.
"""

from functools import cache

from django.contrib.auth import backends, get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import Case, OuterRef, QuerySet, Subquery, Value, When
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token

from common.roles import Role

# Role order decides when a login is (wrongly) in two role groups, as common.roles.user_role.
_ROLE_ORDER = Case(*(When(name=role.value, then=Value(i)) for i, role in enumerate(Role)))


@cache
def _access_columns() -> str:
    """SQL columns (PostgreSQL) of the user row `u`: its role group's name and its own and its
    groups' permissions as "app_label.codename" arrays. Written once per process: the ORM
    took longer to compile the same query than PostgreSQL to run it."""
    user = get_user_model()
    groups, user_perms = user.groups.through, user.user_permissions.through
    group_perms = Group.permissions.through

    def column(model, name: str) -> str:
        return model._meta.get_field(name).column

    ug = f"{groups._meta.db_table} ug"
    ug_user, ug_group = f"ug.{column(groups, 'user')}", f"ug.{column(groups, 'group')}"
    code = "ct.app_label || '.' || p.codename"
    permission = (
        f"{Permission._meta.db_table} p JOIN {ContentType._meta.db_table} ct "
        "ON ct.id = p.content_type_id"
    )
    roles = ", ".join(f"'{role.value}'" for role in Role)  # constants, not input
    order = " ".join(f"WHEN '{role.value}' THEN {i}" for i, role in enumerate(Role))
    return (
        f"(SELECT g.name FROM {ug} JOIN {Group._meta.db_table} g ON g.id = {ug_group} "  # noqa: S608  # nosec B608 - model names, no input
        f"WHERE {ug_user} = u.id AND g.name IN ({roles}) ORDER BY CASE g.name {order} END "
        "LIMIT 1) AS access_role_group, "
        f"ARRAY(SELECT {code} FROM {user_perms._meta.db_table} up JOIN {permission} "
        f"ON p.id = up.{column(user_perms, 'permission')} "
        f"WHERE up.{column(user_perms, 'user')} = u.id) AS access_user_perms, "
        f"ARRAY(SELECT {code} FROM {ug} JOIN {group_perms._meta.db_table} gp "
        f"ON gp.{column(group_perms, 'group')} = {ug_group} JOIN {permission} "
        f"ON p.id = gp.{column(group_perms, 'permission')} WHERE {ug_user} = u.id) "
        "AS access_group_perms"
    )


def _on_postgresql(model) -> bool:
    return connections[model.objects.db].vendor == "postgresql"


def users_with_access(*, where: str, params: list, join: str = "", columns: str = "") -> list:
    """The users of `where` (SQL over `u`, the user table, and whatever `join` adds), each
    with `access_role_group` and both permission sets (PostgreSQL only)."""
    user = get_user_model()
    sql = (
        f"SELECT u.*{columns}, {_access_columns()} FROM {user._meta.db_table} u {join} "  # noqa: S608  # nosec B608 - model names, no input
        f"WHERE {where}"
    )
    return list(user.objects.raw(sql, params))  # fixed SQL; the values go as parameters


def with_access(queryset: QuerySet, *, user: str = "pk") -> QuerySet:
    """The portable form (SQLite): `queryset` (of users, or of rows with a user:
    `user="user_id"`) annotated with the user's role group name (`access_role_group`); the
    permissions are read as Django reads them."""
    groups = Group.objects.filter(user=OuterRef(user), name__in=[r.value for r in Role])
    return queryset.annotate(
        access_role_group=Subquery(groups.order_by(_ROLE_ORDER).values("name")[:1])
    )


def access_load(user, row) -> None:
    """Leave the role and permissions read on `row` where `user_role` and ModelBackend look
    for them. A superuser acts as manager and holds every permission (Django answers that
    without reading any), so nothing is cached for one."""
    if user.is_superuser:
        return
    user._channelhub_role = row.access_role_group
    if hasattr(row, "access_group_perms"):
        user._user_perm_cache = set(row.access_user_perms)
        user._group_perm_cache = set(row.access_group_perms)
        user._perm_cache = user._user_perm_cache | user._group_perm_cache


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication, reading the role and permissions with the token."""

    model = Token

    def authenticate_credentials(self, key):
        if _on_postgresql(Token):
            table = Token._meta.db_table
            users = users_with_access(
                join=f"JOIN {table} t ON t.user_id = u.id",
                columns=', t."key" AS token_key, t.created AS token_created',
                where='t."key" = %s',
                params=[key],
            )
            if not users:
                raise exceptions.AuthenticationFailed(_("Invalid token."))
            user = users[0]
            token = Token(key=user.token_key, user=user, created=user.token_created)
        else:
            try:
                token = with_access(Token.objects.select_related("user"), user="user_id").get(
                    key=key
                )
            except Token.DoesNotExist:
                raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
            user = token.user
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        access_load(user, user if _on_postgresql(Token) else token)
        return (user, token)


class ModelBackend(backends.ModelBackend):
    """Django's backend, reading a session's user with its role and permissions in one query.
    (Sessions signed in through django.contrib.auth.backends.ModelBackend before it replaced
    that one in AUTHENTICATION_BACKENDS sign in again once.)"""

    def get_user(self, user_id):
        model = get_user_model()
        if _on_postgresql(model):
            try:
                pk = model._meta.pk.to_python(user_id)
            except (ValidationError, TypeError, ValueError):  # not an id of this table
                return None
            users = users_with_access(where="u.id = %s", params=[pk])
            user = users[0] if users else None
            row = user
        else:
            user = row = with_access(model._default_manager.all()).filter(pk=user_id).first()
        if user is None or not self.user_can_authenticate(user):
            return None
        access_load(user, row)
        return user
