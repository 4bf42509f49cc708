from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        # Every installed app's report_providers.py registers its yearly-report section and
        # export-pack files (core/registry.py); this app's own module is one of them.
        from core.registry import autodiscover

        # The report jobs on the home page and the dossier's renderer (core.render_jobs).
        from reports import home, pdf  # noqa: F401

        autodiscover()
