from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MinutesConfig(AppConfig):
    name = "minutes"
    verbose_name = _("Meeting minutes")

    def ready(self) -> None:
        # The case page's links to a case's minutes (processes.case_links), the home card and
        # the minutes PDF's renderer (core.render_jobs).
        from minutes import home, hooks, pdf  # noqa: F401
