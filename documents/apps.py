from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "documents"
    verbose_name = _("Official documents")

    def ready(self) -> None:
        # Registers with the engine's hook registry and the memo draft's renderer
        # (core.render_jobs).
        from documents import hooks, pdf  # noqa: F401
