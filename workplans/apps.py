from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkplansConfig(AppConfig):
    name = "workplans"
    verbose_name = _("Plans and projects")
