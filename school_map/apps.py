from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchoolMapConfig(AppConfig):
    name = "school_map"
    verbose_name = _("School map")
