from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "documents"
    verbose_name = _("Official documents")

    def ready(self) -> None:
        from documents import hooks  # noqa: F401  registers with the engine's hook registry
