from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LineMessagingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "line_messaging"
    verbose_name = _("LINE notifications")

    def ready(self) -> None:
        from line_messaging.channel import chose_line_only, send_line
        from processes.channels import register_channel

        register_channel("line", send_line, replaces_email=chose_line_only)
