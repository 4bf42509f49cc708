from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts, offices and schools")

    def ready(self) -> None:
        from accounts.models import SchoolImport
        from accounts.services_schools import queue_school_import
        from core import import_jobs

        # Imports a broker outage left queued are sent again by core's periodic pass.
        import_jobs.register(SchoolImport, queue_school_import)
