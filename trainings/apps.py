from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingsConfig(AppConfig):
    name = "trainings"
    verbose_name = _("Trainings")

    def ready(self) -> None:
        # The case page's links to a case's trainings (processes.case_links).
        from trainings import hooks  # noqa: F401
