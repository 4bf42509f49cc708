from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkplansConfig(AppConfig):
    name = "workplans"
    verbose_name = _("Plans and projects")

    def ready(self) -> None:
        # Registers the listeners of plans and spec drafts on their cases (processes.hooks),
        # the schools' surveys panel of the home page (core.home_cards) and the renderers of
        # the plan's PDFs (core.render_jobs).
        from workplans import home, hooks, pdf  # noqa: F401
