"""API permission classes over Django model permissions (granted per role in common.access),
including the view permission for reads. Capabilities use `common.access.Can`; row scoping
is the selectors' job."""

from rest_framework import permissions


class RoleModelPermissions(permissions.DjangoModelPermissions):
    """Reads need `view_<model>`, writes need add/change/delete, as the role grants them."""

    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
    }


class ScopedRoleModelPermissions(RoleModelPermissions):
    """RoleModelPermissions where an action may name its own permissions:
    `action_permissions = {"approve": (...)}` on the view (otherwise a POST action would need
    `add_<model>`). A partner user refused an object outside its rows gets 404, as on every
    route: common.exceptions turns the refusal into it."""

    def has_permission(self, request, view) -> bool:
        action_perms = (getattr(view, "action_permissions", None) or {}).get(
            getattr(view, "action", None)
        )
        if action_perms is not None:
            user = request.user
            allowed = bool(user and user.is_authenticated and user.has_perms(action_perms))
        else:
            allowed = super().has_permission(request, view)
        return allowed
