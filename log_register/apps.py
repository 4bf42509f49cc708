from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LogRegisterConfig(AppConfig):
    name = "log_register"
    verbose_name = _("Traffic-log retention register")
