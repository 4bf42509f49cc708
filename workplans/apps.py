from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkplansConfig(AppConfig):
    name = "workplans"
    verbose_name = _("Plans and projects")

    def ready(self) -> None:
        # Registers the plans' and spec drafts' listeners on their cases (processes.hooks).
        from workplans import hooks  # noqa: F401
