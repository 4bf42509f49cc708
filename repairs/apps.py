from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RepairsConfig(AppConfig):
    name = "repairs"
    verbose_name = _("Repairs")

    def ready(self) -> None:
        # Registers the ticket's listener on its case (processes.hooks) and its home card.
        from core import ports
        from repairs import home, hooks, selectors_assets, services  # noqa: F401

        # What other apps may ask of repairs without importing it (see core.ports).
        ports.provide("repairs.file_ticket", services.ticket_file)
        ports.provide("repairs.loanable_assets", selectors_assets.loanable_assets_without_item)

        # Imports a broker outage left queued are sent again by core's periodic pass.
        from core import import_jobs
        from repairs.models import AssetImport
        from repairs.services_assets import queue_asset_import

        import_jobs.register(AssetImport, queue_asset_import)
