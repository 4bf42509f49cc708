from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """What every app shares and no app owns; imports no app. Its one table is the rendered
    documents people wait for (core.models.RenderJob)."""

    name = "core"
    verbose_name = _("Shared foundations")

    def ready(self) -> None:
        from core import admin_dates

        admin_dates.install()
