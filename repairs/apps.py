from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RepairsConfig(AppConfig):
    name = "repairs"
    verbose_name = _("Repairs")

    def ready(self) -> None:
        # Registers the ticket's listener on its case (processes.hooks) and its home card.
        from repairs import home, hooks  # noqa: F401
