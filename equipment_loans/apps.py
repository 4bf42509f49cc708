from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EquipmentLoansConfig(AppConfig):
    name = "equipment_loans"
    verbose_name = _("Equipment loans")

    def ready(self) -> None:
        # Registers the loan's listeners (processes.hooks), its home card (core.home_cards) and
        # the loan slip's renderer (core.render_jobs).
        from equipment_loans import home, hooks, pdf  # noqa: F401
