from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    name = "common"
    verbose_name = _("Common")

    def ready(self) -> None:
        from common.access import sync_role_groups_after_migrate

        # Permissions are created by post_migrate; the role groups are (re)built right after,
        # so a fresh database, a test database and a flushed one all carry the same roles.
        post_migrate.connect(sync_role_groups_after_migrate, dispatch_uid="common.sync_roles")
