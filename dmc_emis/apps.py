from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DmcEmisConfig(AppConfig):
    name = "dmc_emis"
    verbose_name = _("DMC / EMIS student data")

    def ready(self) -> None:
        # Registers the round entry's listener on its case (processes.hooks), its home panel and
        # the round summary's renderer (core.render_jobs).
        from dmc_emis import home, hooks, pdf  # noqa: F401
