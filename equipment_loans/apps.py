from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EquipmentLoansConfig(AppConfig):
    name = "equipment_loans"
    verbose_name = _("Equipment loans")
