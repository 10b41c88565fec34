"""API permission classes: Django model permissions (granted per role in common.roles),
including the view permission for reads. Row scoping is the selectors' job."""

from rest_framework import permissions

from common.roles import Role, user_role


class RoleModelPermissions(permissions.DjangoModelPermissions):
    """Reads need `view_<model>`, writes need add/change/delete, as the role grants them."""

    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
    }


class IsManager(permissions.BasePermission):
    """Managers (and superusers) only."""

    def has_permission(self, request, view) -> bool:
        return user_role(request.user) == Role.MANAGER
