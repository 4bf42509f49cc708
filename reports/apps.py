from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        # Every installed app's report_providers.py registers its yearly-report section and
        # export-pack files (core/registry.py); this app's own module is one of them.
        from core.registry import autodiscover
        from reports import home  # noqa: F401  (the report jobs on the home page)

        autodiscover()
