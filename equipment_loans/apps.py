from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EquipmentLoansConfig(AppConfig):
    name = "equipment_loans"
    verbose_name = _("Equipment loans")

    def ready(self) -> None:
        # Registers the loan's listeners (processes.hooks) and its home card (core.home_cards).
        from equipment_loans import home, hooks  # noqa: F401
