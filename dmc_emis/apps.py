from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DmcEmisConfig(AppConfig):
    name = "dmc_emis"
    verbose_name = _("DMC / EMIS student data")
